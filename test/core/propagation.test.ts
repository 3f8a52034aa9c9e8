/**
 * Acceptance: trace propagation across services, as the protocol's decision matrix and sampling rules
 * say, through the public API (continueTrace, getTraceData, inject/extract).
 */
import {
  continueTrace,
  extractTraceContext,
  flush,
  getCurrentScope,
  getTraceData,
  injectTraceHeaders,
  type Options,
  propagationContextFromHeaders,
  shouldPropagateTraceTo,
  startSpan,
} from '@faultline/core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startIngest, type TestIngest } from '../ingest';
import { initForTest, shutdown } from '../support/sdk';

let ingest: TestIngest;
beforeAll(async () => {
  ingest = await startIngest();
});
afterAll(() => ingest.close());
beforeEach(() => ingest.reset());
afterEach(() => shutdown());

const INCOMING_TRACE = '771a43a4192642f0b136d5159a501700';
const INCOMING_SPAN = 'b0e6f15b45c36b12';
const DOWNSTREAM = 'http://payments.internal/charge';

type Flag = 'absent' | 'deferred' | '1' | '0';
type Rate = null | 0 | 1;

/**
 * Sentry's trace propagation cheat sheet (develop-docs/sdk/telemetry/traces/trace-propagation-cheat-sheet.mdx),
 * row by row: incoming trace × incoming sampled flag × targets match × tracesSampleRate →
 * spans sent, outgoing headers, trace continued ('-' = no headers to compare).
 */
const MATRIX: Array<[Flag, boolean, Rate, boolean, boolean, boolean | '-']> = [
  ['absent', true, null, false, true, '-'],
  ['absent', true, 0, false, true, '-'],
  ['absent', true, 1, true, true, '-'],
  ['absent', false, null, false, false, '-'],
  ['absent', false, 0, false, false, '-'],
  ['absent', false, 1, true, false, '-'],
  ['deferred', true, null, false, true, true],
  ['deferred', true, 0, false, true, true],
  ['deferred', true, 1, true, true, true],
  ['1', true, null, false, true, true],
  ['1', true, 0, true, true, true],
  ['1', true, 1, true, true, true],
  ['0', true, null, false, true, true],
  ['0', true, 0, false, true, true],
  ['0', true, 1, false, true, true],
  ['deferred', false, null, false, false, '-'],
  ['deferred', false, 0, false, false, '-'],
  ['deferred', false, 1, true, false, '-'],
  ['1', false, null, false, false, '-'],
  ['1', false, 0, true, false, '-'],
  ['1', false, 1, true, false, '-'],
  ['0', false, null, false, false, '-'],
  ['0', false, 0, false, false, '-'],
  ['0', false, 1, false, false, '-'],
];

function incomingHeaders(flag: Flag): Record<string, string> {
  if (flag === 'absent') return {};
  const suffix = flag === 'deferred' ? '' : `-${flag}`;
  const baggage = `sentry-trace_id=${INCOMING_TRACE},sentry-public_key=upstream${flag === 'deferred' ? '' : `,sentry-sampled=${flag === '1'},sentry-sample_rate=0.5`}`;
  return { 'sentry-trace': `${INCOMING_TRACE}-${INCOMING_SPAN}${suffix}`, baggage };
}

describe('propagation decision matrix', () => {
  it.each(MATRIX)(
    'incoming %s, targets match %s, rate %s → spans %s, headers %s, continued %s',
    async (flag, targetsMatch, rate, spansSent, headersSent, continued) => {
      const options: Options = {
        dsn: ingest.dsn,
        tracePropagationTargets: targetsMatch ? ['payments.internal'] : ['elsewhere.example'],
      };
      if (rate !== null) options.tracesSampleRate = rate;
      initForTest(options);
      let outgoing: Record<string, string | undefined> = {};
      continueTrace(extractTraceContext(incomingHeaders(flag)), () =>
        startSpan({ name: 'GET /checkout', op: 'http.server', source: 'route' }, () => {
          if (shouldPropagateTraceTo(DOWNSTREAM)) outgoing = { ...getTraceData() };
        }),
      );
      await flush(3000);
      expect(ingest.transactions().length > 0).toBe(spansSent);
      expect(outgoing['sentry-trace'] !== undefined).toBe(headersSent);
      if (continued !== '-') expect(outgoing['sentry-trace']!.startsWith(INCOMING_TRACE)).toBe(continued);
      if (headersSent) {
        const flagOut = outgoing['sentry-trace']!.split('-')[2];
        // The outgoing decision: ours when we sampled, else the upstream one (or none) passed on.
        const expected = spansSent ? '1' : flag === '0' || rate === 0 ? '0' : flag === '1' ? '1' : undefined;
        expect(flagOut).toBe(expected);
      }
    },
  );
});

describe('sample_rand', () => {
  it('a fresh trace draws one and decides with it: sample_rand < sample_rate ⇔ sampled', async () => {
    initForTest({ dsn: ingest.dsn, tracesSampleRate: 0.5 });
    const decisions: Array<[number, boolean]> = [];
    for (let i = 0; i < 200; i++) {
      getCurrentScope().setPropagationContext(propagationContextFromHeaders({}));
      startSpan({ name: `t${i}` }, () => {
        const baggage = getTraceData().baggage!;
        const rand = Number(/sentry-sample_rand=([\d.]+)/.exec(baggage)![1]);
        const sampled = /sentry-sampled=true/.test(baggage);
        decisions.push([rand, sampled]);
        expect(baggage).toContain('sentry-sample_rate=0.5');
      });
    }
    for (const [rand, sampled] of decisions) expect(rand < 0.5).toBe(sampled);
    expect(decisions.some(([, s]) => s) && decisions.some(([, s]) => !s)).toBe(true);
  });

  it('an incoming sample_rand is passed through unchanged and decides at our rate when no decision came', async () => {
    initForTest({ dsn: ingest.dsn, tracesSampleRate: 0.5 });
    const headers = {
      'sentry-trace': `${INCOMING_TRACE}-${INCOMING_SPAN}`,
      baggage: `sentry-trace_id=${INCOMING_TRACE},sentry-public_key=k,sentry-sample_rand=0.4213370000`,
    };
    continueTrace(extractTraceContext(headers), () =>
      startSpan({ name: 'continued' }, (span) => {
        expect(span.isRecording()).toBe(true);
        expect(getTraceData().baggage).toContain('sentry-sample_rand=0.4213370000');
      }),
    );
  });

  it('an incoming rate and decision without sample_rand reproduce the decision', () => {
    for (const sampled of [true, false]) {
      for (let i = 0; i < 1000; i++) {
        const context = propagationContextFromHeaders({
          sentryTrace: `${INCOMING_TRACE}-${INCOMING_SPAN}-${sampled ? 1 : 0}`,
          baggage: `sentry-trace_id=${INCOMING_TRACE},sentry-public_key=k,sentry-sample_rate=0.25,sentry-sampled=${sampled}`,
        });
        expect(context.sampleRand < 0.25).toBe(sampled);
        expect(context.dsc!.sample_rand).toBe(String(context.sampleRand));
      }
    }
  });
});

describe('baggage and round trips', () => {
  it('continues the incoming trace, forwards only sentry- entries, frozen as received', () => {
    initForTest({ dsn: ingest.dsn, tracesSampleRate: 1 });
    const incoming = {
      'sentry-trace': `${INCOMING_TRACE}-${INCOMING_SPAN}-1`,
      baggage: `sentry-trace_id=${INCOMING_TRACE},sentry-public_key=up,sentry-release=2.0.0,sentry-environment=myEnv,dogs=great,sentry-sample_rand=0.42`,
    };
    continueTrace(extractTraceContext(incoming), () =>
      startSpan({ name: 'GET /a' }, (span) => {
        const out = getTraceData();
        expect(out['sentry-trace']).toBe(`${INCOMING_TRACE}-${span.spanContext().spanId}-1`);
        expect(out.baggage).toBe(
          `sentry-trace_id=${INCOMING_TRACE},sentry-public_key=up,sentry-release=2.0.0,sentry-environment=myEnv,sentry-sample_rand=0.42`,
        );
      }),
    );
  });

  it('an invalid sentry-trace starts a fresh trace and drops the incoming baggage', () => {
    initForTest({ dsn: ingest.dsn, tracesSampleRate: 1 });
    for (const bad of [
      'garbage',
      `${INCOMING_TRACE.toUpperCase()}-${INCOMING_SPAN}-1`,
      `${'0'.repeat(32)}-${INCOMING_SPAN}-1`,
      'x'.repeat(100_000),
    ]) {
      continueTrace(
        extractTraceContext({ 'sentry-trace': bad, baggage: 'sentry-release=upstream,sentry-trace_id=abc' }),
        () =>
          startSpan({ name: 'fresh' }, (span) => {
            const out = getTraceData();
            expect(span.spanContext().traceId).not.toBe(INCOMING_TRACE);
            expect(span.spanContext().traceId).toMatch(/^(?!0+$)[0-9a-f]{32}$/);
            expect(out.baggage).not.toContain('upstream');
          }),
      );
    }
  });

  it('our headers parse back to the identical context', () => {
    initForTest({ dsn: ingest.dsn, tracesSampleRate: 1, propagateTraceparent: true, release: 'a@1' });
    startSpan({ name: 'GET /orders/:id', source: 'route' }, (span) => {
      const out = getTraceData();
      const parsed = propagationContextFromHeaders({
        sentryTrace: out['sentry-trace'],
        baggage: out.baggage,
        traceparent: out.traceparent,
      });
      expect(parsed).toMatchObject({
        traceId: span.spanContext().traceId,
        parentSpanId: span.spanContext().spanId,
        sampled: true,
      });
      expect(out.traceparent).toBe(`00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`);
      expect(parsed.dsc).toMatchObject({
        transaction: 'GET /orders/:id',
        release: 'a@1',
        sampled: 'true',
        sample_rate: '1',
      });
    });
  });

  it('a W3C traceparent from an OpenTelemetry caller continues the trace with the right parent', async () => {
    initForTest({ dsn: ingest.dsn, tracesSampleRate: 1 });
    continueTrace(extractTraceContext({ traceparent: `00-${INCOMING_TRACE}-${INCOMING_SPAN}-01` }), () =>
      startSpan({ name: 'from otel' }, () => undefined),
    );
    await flush(3000);
    expect(ingest.transactions()[0]!.contexts!.trace).toMatchObject({
      trace_id: INCOMING_TRACE,
      parent_span_id: INCOMING_SPAN,
    });
    expect(ingest.schemaErrors()).toEqual([]);
  });

  it('inject/extract through queue message headers and child-process env vars', () => {
    initForTest({ dsn: ingest.dsn, tracesSampleRate: 1 });
    startSpan({ name: 'publish' }, (span) => {
      const message = injectTraceHeaders({ baggage: 'tenant=acme' } as Record<string, string>);
      expect(message.baggage!.startsWith('tenant=acme,sentry-trace_id=')).toBe(true);
      const headers = new Headers();
      injectTraceHeaders(headers);
      expect(headers.get('sentry-trace')).toContain(span.spanContext().spanId);
      const env = { SENTRY_TRACE: message['sentry-trace'], SENTRY_BAGGAGE: message.baggage };
      const context = propagationContextFromHeaders(extractTraceContext(env));
      expect(context.traceId).toBe(span.spanContext().traceId);
      expect(context.parentSpanId).toBe(span.spanContext().spanId);
      expect(context.dsc!.public_key).toBe(ingest.publicKey);
      expect(JSON.stringify(context.dsc)).not.toContain('acme');
    });
  });

  it('the DSC is frozen at first propagation: a later rename does not change it', () => {
    initForTest({ dsn: ingest.dsn, tracesSampleRate: 1 });
    startSpan({ name: 'GET /users/:id', source: 'route' }, (span) => {
      const first = getTraceData().baggage;
      span.updateName('renamed', 'custom');
      expect(getTraceData().baggage).toBe(first);
    });
  });

  it('org ids: a different org starts a new trace; strictTraceContinuation needs both sides', () => {
    const withOrg = (orgId: string) =>
      `sentry-trace_id=${INCOMING_TRACE},sentry-public_key=k,sentry-org_id=${orgId}`;
    initForTest({ dsn: ingest.dsn, tracesSampleRate: 1, orgId: 12 });
    const traceIdFor = (baggage?: string) =>
      continueTrace(
        extractTraceContext({ 'sentry-trace': `${INCOMING_TRACE}-${INCOMING_SPAN}-1`, baggage }),
        () => startSpan({ name: 'x' }, (span) => span.spanContext().traceId),
      );
    expect(traceIdFor(withOrg('12'))).toBe(INCOMING_TRACE);
    expect(traceIdFor(withOrg('99'))).not.toBe(INCOMING_TRACE);
    expect(traceIdFor(undefined)).toBe(INCOMING_TRACE);
    initForTest({ dsn: ingest.dsn, tracesSampleRate: 1, orgId: 12, strictTraceContinuation: true });
    expect(traceIdFor(undefined)).not.toBe(INCOMING_TRACE);
    expect(traceIdFor(withOrg('12'))).toBe(INCOMING_TRACE);
  });
});
