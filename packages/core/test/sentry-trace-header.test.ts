import { describe, expect, it } from 'vitest';
import { parseSentryTraceHeader, sentryTraceHeader } from '../src/sentry-trace-header';

const TRACE_ID = '771a43a4192642f0b136d5159a501700';
const SPAN_ID = 'b0e6f15b45c36b12';

describe('parseSentryTraceHeader', () => {
  it('reads trace id, span id and a positive decision', () => {
    expect(parseSentryTraceHeader(`${TRACE_ID}-${SPAN_ID}-1`)).toEqual({
      traceId: TRACE_ID,
      parentSpanId: SPAN_ID,
      parentSampled: true,
    });
  });

  it('reads a negative decision', () => {
    expect(parseSentryTraceHeader(`${TRACE_ID}-${SPAN_ID}-0`)?.parentSampled).toBe(false);
  });

  it('leaves the decision out when deferred (no flag)', () => {
    const parsed = parseSentryTraceHeader(`${TRACE_ID}-${SPAN_ID}`);
    expect(parsed).toEqual({ traceId: TRACE_ID, parentSpanId: SPAN_ID });
    expect(parsed && 'parentSampled' in parsed).toBe(false);
  });

  it('allows surrounding spaces and tabs', () => {
    expect(parseSentryTraceHeader(` \t${TRACE_ID}-${SPAN_ID}-1\t `)?.traceId).toBe(TRACE_ID);
  });

  it.each([
    ['upper-case trace id', `${TRACE_ID.toUpperCase()}-${SPAN_ID}-1`],
    ['upper-case span id', `${TRACE_ID}-${SPAN_ID.toUpperCase()}`],
    ['all-zero trace id', `${'0'.repeat(32)}-${SPAN_ID}-1`],
    ['all-zero span id', `${TRACE_ID}-${'0'.repeat(16)}-1`],
    ['short trace id', `${TRACE_ID.slice(1)}-${SPAN_ID}-1`],
    ['long span id', `${TRACE_ID}-${SPAN_ID}0-1`],
    ['trace id only', TRACE_ID],
    ['span id only', SPAN_ID],
    ['flag only', '1'],
    ['ids without separator', `${TRACE_ID}${SPAN_ID}`],
    ['flag 2', `${TRACE_ID}-${SPAN_ID}-2`],
    ['trailing garbage', `${TRACE_ID}-${SPAN_ID}-1-x`],
    ['newline padding', `\n${TRACE_ID}-${SPAN_ID}-1`],
    ['W3C traceparent', `00-${TRACE_ID}-${SPAN_ID}-01`],
    ['empty', ''],
    ['garbage', 'hello world'],
  ])('rejects %s', (_name, value) => {
    expect(parseSentryTraceHeader(value)).toBeUndefined();
  });

  it('rejects values over 512 characters even when the rest is valid', () => {
    const padded = `${TRACE_ID}-${SPAN_ID}-1`.padEnd(513, ' ');
    expect(parseSentryTraceHeader(padded.slice(0, 512))?.traceId).toBe(TRACE_ID);
    expect(parseSentryTraceHeader(padded)).toBeUndefined();
  });

  it('rejects non-strings without throwing', () => {
    for (const value of [undefined, null, 42, {}, [`${TRACE_ID}-${SPAN_ID}-1`]]) {
      expect(parseSentryTraceHeader(value)).toBeUndefined();
    }
  });
});

describe('sentryTraceHeader', () => {
  it('writes the flag only when there is a decision', () => {
    expect(sentryTraceHeader(TRACE_ID, SPAN_ID, true)).toBe(`${TRACE_ID}-${SPAN_ID}-1`);
    expect(sentryTraceHeader(TRACE_ID, SPAN_ID, false)).toBe(`${TRACE_ID}-${SPAN_ID}-0`);
    expect(sentryTraceHeader(TRACE_ID, SPAN_ID)).toBe(`${TRACE_ID}-${SPAN_ID}`);
  });

  it('round-trips through the parser', () => {
    for (const sampled of [true, false, undefined]) {
      const parsed = parseSentryTraceHeader(sentryTraceHeader(TRACE_ID, SPAN_ID, sampled));
      expect(parsed).toEqual({ traceId: TRACE_ID, parentSpanId: SPAN_ID, parentSampled: sampled });
    }
  });
});
