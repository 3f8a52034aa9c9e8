import { describe, expect, it } from 'vitest';
import {
  parseTraceparentHeader,
  parseTracestate,
  traceparentHeader,
  tracestateHeader,
} from '../src/traceparent-header';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';

describe('parseTraceparentHeader', () => {
  it('reads an OpenTelemetry traceparent with the sampled flag', () => {
    expect(parseTraceparentHeader(`00-${TRACE_ID}-${SPAN_ID}-01`)).toEqual({
      traceId: TRACE_ID,
      parentSpanId: SPAN_ID,
      parentSampled: true,
    });
  });

  it('reads flag 00 as no decision (deferred), not as a negative decision', () => {
    const parsed = parseTraceparentHeader(`00-${TRACE_ID}-${SPAN_ID}-00`);
    expect(parsed).toEqual({ traceId: TRACE_ID, parentSpanId: SPAN_ID });
    expect(parsed?.parentSampled).toBeUndefined();
  });

  it('uses only the sampled bit of the flags', () => {
    expect(parseTraceparentHeader(`00-${TRACE_ID}-${SPAN_ID}-03`)?.parentSampled).toBe(true);
    expect(parseTraceparentHeader(`00-${TRACE_ID}-${SPAN_ID}-02`)?.parentSampled).toBeUndefined();
    expect(parseTraceparentHeader(`00-${TRACE_ID}-${SPAN_ID}-ff`)?.parentSampled).toBe(true);
  });

  it('parses the first four fields of a future version', () => {
    expect(parseTraceparentHeader(`01-${TRACE_ID}-${SPAN_ID}-01`)?.traceId).toBe(TRACE_ID);
    expect(parseTraceparentHeader(`cc-${TRACE_ID}-${SPAN_ID}-01-what-the-future-will-be-like`)).toEqual({
      traceId: TRACE_ID,
      parentSpanId: SPAN_ID,
      parentSampled: true,
    });
  });

  it('allows surrounding spaces and tabs', () => {
    expect(parseTraceparentHeader(`\t 00-${TRACE_ID}-${SPAN_ID}-01 `)?.parentSpanId).toBe(SPAN_ID);
  });

  it.each([
    ['version 00 with a fifth field', `00-${TRACE_ID}-${SPAN_ID}-01-extra`],
    ['version ff', `ff-${TRACE_ID}-${SPAN_ID}-01`],
    ['future version glued to more text', `01-${TRACE_ID}-${SPAN_ID}-01x`],
    ['upper-case trace id', `00-${TRACE_ID.toUpperCase()}-${SPAN_ID}-01`],
    ['upper-case version', `0A-${TRACE_ID}-${SPAN_ID}-01`],
    ['upper-case flags', `00-${TRACE_ID}-${SPAN_ID}-0F`],
    ['all-zero trace id', `00-${'0'.repeat(32)}-${SPAN_ID}-01`],
    ['all-zero span id', `00-${TRACE_ID}-${'0'.repeat(16)}-01`],
    ['short span id', `00-${TRACE_ID}-${SPAN_ID.slice(1)}-01`],
    ['one-digit flags', `00-${TRACE_ID}-${SPAN_ID}-1`],
    ['non-hex flags', `00-${TRACE_ID}-${SPAN_ID}-0g`],
    ['missing flags', `00-${TRACE_ID}-${SPAN_ID}`],
    ['sentry-trace', `${TRACE_ID}-${SPAN_ID}-1`],
    ['garbage', 'traceparent'],
    ['over 512 characters', `00-${TRACE_ID}-${SPAN_ID}-01`.padEnd(600, ' ')],
  ])('rejects %s', (_name, value) => {
    expect(parseTraceparentHeader(value)).toBeUndefined();
  });

  it('rejects non-strings', () => {
    expect(parseTraceparentHeader(undefined)).toBeUndefined();
    expect(parseTraceparentHeader([`00-${TRACE_ID}-${SPAN_ID}-01`])).toBeUndefined();
  });
});

describe('traceparentHeader', () => {
  it('writes version 00 with 01 for sampled and 00 otherwise (deferred included)', () => {
    expect(traceparentHeader(TRACE_ID, SPAN_ID, true)).toBe(`00-${TRACE_ID}-${SPAN_ID}-01`);
    expect(traceparentHeader(TRACE_ID, SPAN_ID, false)).toBe(`00-${TRACE_ID}-${SPAN_ID}-00`);
    expect(traceparentHeader(TRACE_ID, SPAN_ID)).toBe(`00-${TRACE_ID}-${SPAN_ID}-00`);
  });

  it('round-trips a positive decision', () => {
    expect(parseTraceparentHeader(traceparentHeader(TRACE_ID, SPAN_ID, true))?.parentSampled).toBe(true);
  });
});

describe('parseTracestate', () => {
  it('keeps valid members in order, trimmed', () => {
    expect(parseTracestate(' rojo=00f067aa0ba902b7 ,\tcongo=t61rcWkgMzE , tenant@vendor=x')).toEqual([
      'rojo=00f067aa0ba902b7',
      'congo=t61rcWkgMzE',
      'tenant@vendor=x',
    ]);
  });

  it('joins multiple headers and skips empty members', () => {
    expect(parseTracestate(['a=1,', '', 'b=2'])).toEqual(['a=1', 'b=2']);
  });

  it('drops invalid members and repeated keys, keeping the leftmost', () => {
    expect(parseTracestate('Upper=1,a=1,a=2,noequals,b=x=y,c=,d=ok')).toEqual(['a=1', 'd=ok']);
  });

  it('keeps at most 32 members', () => {
    const header = Array.from({ length: 40 }, (_, i) => `k${i}=v`).join(',');
    const members = parseTracestate(header);
    expect(members).toHaveLength(32);
    expect(members[31]).toBe('k31=v');
  });

  it('returns nothing for non-strings and oversized members', () => {
    expect(parseTracestate(undefined)).toEqual([]);
    expect(parseTracestate(`a=${'x'.repeat(100_000)}`)).toEqual([]);
  });
});

describe('tracestateHeader', () => {
  it('forwards members unchanged', () => {
    expect(tracestateHeader(['rojo=00f067aa0ba902b7', 'congo=t61rcWkgMzE'])).toBe(
      'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE',
    );
  });

  it('is undefined when there is nothing to send', () => {
    expect(tracestateHeader([])).toBeUndefined();
  });

  it('stays within 512 characters, removing members over 128 characters first', () => {
    const long = `long=${'x'.repeat(200)}`;
    const small = Array.from({ length: 20 }, (_, i) => `k${i}=${'v'.repeat(15)}`);
    const header = tracestateHeader([long, ...small]);
    expect(header).not.toContain('long=');
    expect(header!.length).toBeLessThanOrEqual(512);
    expect(header!.startsWith('k0=')).toBe(true);
  });

  it('then removes members from the right', () => {
    const members = Array.from({ length: 10 }, (_, i) => `k${i}=${'v'.repeat(100)}`);
    const header = tracestateHeader(members)!;
    expect(header.length).toBeLessThanOrEqual(512);
    expect(header.split(',')).toEqual(members.slice(0, 4));
  });
});
