import { describe, expect, it } from 'vitest';
import { dscToBaggage } from '../src/baggage';
import { sentryTraceHeader } from '../src/sentry-trace-header';
import { propagationContextFromHeaders } from '../src/trace-continuation';
import { traceparentHeader } from '../src/traceparent-header';

const TRACE_ID = '771a43a4192642f0b136d5159a501700';
const SPAN_ID = 'b0e6f15b45c36b12';
const OTHER_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const OTHER_SPAN_ID = '00f067aa0ba902b7';
const PUBLIC_KEY = '49d0f7386ad645858ae85020e393bef3';
const ID_32 = /^[0-9a-f]{32}$/;
const ID_16 = /^[0-9a-f]{16}$/;

const baggageOf = (entries: Record<string, string>) =>
  Object.entries(entries)
    .map(([k, v]) => `sentry-${k}=${encodeURIComponent(v)}`)
    .join(',');

function expectFresh(context: ReturnType<typeof propagationContextFromHeaders>) {
  expect(context.traceId).toMatch(ID_32);
  expect(context.traceId).not.toBe(TRACE_ID);
  expect(context.spanId).toMatch(ID_16);
  expect(context.parentSpanId).toBeUndefined();
  expect(context.sampled).toBeUndefined();
  expect(context.dsc).toBeUndefined();
  expect(context.sampleRand).toBeGreaterThanOrEqual(0);
  expect(context.sampleRand).toBeLessThan(1);
}

describe('propagationContextFromHeaders', () => {
  it('starts a fresh trace without incoming headers', () => {
    expectFresh(propagationContextFromHeaders({}));
  });

  it('continues a sentry-trace with its baggage: same trace, new span, frozen DSC (§4.5 input)', () => {
    const baggage =
      `sentry-trace_id=${TRACE_ID},sentry-public_key=${PUBLIC_KEY},sentry-sample_rate=0.5,sentry-sampled=true,` +
      'sentry-release=up%401.0,sentry-environment=prod,sentry-sample_rand=0.123456,other=x';
    const context = propagationContextFromHeaders({ sentryTrace: `${TRACE_ID}-${SPAN_ID}-1`, baggage });
    expect(context.traceId).toBe(TRACE_ID);
    expect(context.parentSpanId).toBe(SPAN_ID);
    expect(context.spanId).toMatch(ID_16);
    expect(context.spanId).not.toBe(SPAN_ID);
    expect(context.sampled).toBe(true);
    expect(context.sampleRand).toBe(0.123456);
    expect(context.dsc).toEqual({
      trace_id: TRACE_ID,
      public_key: PUBLIC_KEY,
      sample_rate: '0.5',
      sampled: 'true',
      release: 'up@1.0',
      environment: 'prod',
      sample_rand: '0.123456',
    });
  });

  it('freezes an empty DSC for a sentry-trace without Sentry baggage (old SDK)', () => {
    for (const baggage of [undefined, 'other=1']) {
      const context = propagationContextFromHeaders({ sentryTrace: `${TRACE_ID}-${SPAN_ID}`, baggage });
      expect(context.traceId).toBe(TRACE_ID);
      expect(context.sampled).toBeUndefined();
      expect(context.dsc).toEqual({});
    }
  });

  it("keeps Sentry baggage without trace_id as this trace's (the issue example: release, env, sample_rand)", () => {
    const context = propagationContextFromHeaders({
      sentryTrace: `${TRACE_ID}-${SPAN_ID}-1`,
      baggage: 'sentry-release=2.0.0,sentry-environment=myEnv,dogs=great,sentry-sample_rand=0.42',
    });
    expect(context.dsc).toEqual({ release: '2.0.0', environment: 'myEnv', sample_rand: '0.42' });
    expect(context.sampleRand).toBe(0.42);
  });

  it('treats baggage of another trace as no baggage', () => {
    const baggages: Record<string, string>[] = [{ trace_id: OTHER_TRACE_ID, environment: 'x' }];
    for (const entries of baggages) {
      const context = propagationContextFromHeaders({
        sentryTrace: `${TRACE_ID}-${SPAN_ID}-0`,
        baggage: baggageOf(entries),
      });
      expect(context.traceId).toBe(TRACE_ID);
      expect(context.sampled).toBe(false);
      expect(context.dsc).toEqual({});
    }
  });

  it('never copies third-party baggage into the DSC', () => {
    const context = propagationContextFromHeaders({
      sentryTrace: `${TRACE_ID}-${SPAN_ID}-1`,
      baggage: `dogs=great,sentry-trace_id=${TRACE_ID},sentry-user_id=Am%C3%A9lie,userId=alice`,
    });
    expect(Object.keys(context.dsc!).sort()).toEqual(['sample_rand', 'trace_id', 'user_id']);
    expect(context.dsc!.user_id).toBe('Amélie');
  });

  it.each([
    ['wrong length', `${TRACE_ID}0-${SPAN_ID}-1`],
    ['upper case', `${TRACE_ID.toUpperCase()}-${SPAN_ID}-1`],
    ['all-zero trace id', `${'0'.repeat(32)}-${SPAN_ID}-1`],
    ['all-zero span id', `${TRACE_ID}-${'0'.repeat(16)}-1`],
    ['garbage', 'ä-𝄞-\u0000'],
    ['100 KB', `${TRACE_ID}-${SPAN_ID}-1${' '.repeat(100_000)}`],
  ])(
    'starts a fresh trace for a malformed sentry-trace (%s) and ignores its baggage',
    (_name, sentryTrace) => {
      const context = propagationContextFromHeaders({
        sentryTrace,
        baggage: baggageOf({ trace_id: TRACE_ID, public_key: PUBLIC_KEY, sample_rand: '0.5' }),
      });
      expectFresh(context);
    },
  );

  it('continues a W3C traceparent from an OpenTelemetry caller', () => {
    const context = propagationContextFromHeaders({
      traceparent: `00-${OTHER_TRACE_ID}-${OTHER_SPAN_ID}-01`,
    });
    expect(context.traceId).toBe(OTHER_TRACE_ID);
    expect(context.parentSpanId).toBe(OTHER_SPAN_ID);
    expect(context.spanId).not.toBe(OTHER_SPAN_ID);
    expect(context.sampled).toBe(true);
    // No Sentry SDK upstream: our own DSC will head this trace, so nothing is frozen.
    expect(context.dsc).toBeUndefined();
  });

  it('reads traceparent flag 00 as deferred unless Sentry baggage of the same trace carries a decision', () => {
    const traceparent = `00-${OTHER_TRACE_ID}-${OTHER_SPAN_ID}-00`;
    expect(propagationContextFromHeaders({ traceparent }).sampled).toBeUndefined();
    const baggage = baggageOf({ trace_id: OTHER_TRACE_ID, sampled: 'false', sample_rate: '0.3' });
    const context = propagationContextFromHeaders({ traceparent, baggage });
    expect(context.sampled).toBe(false);
    expect(context.sampleRand).toBeGreaterThanOrEqual(0.3);
    expect(context.dsc?.sampled).toBe('false');
  });

  it('prefers a valid sentry-trace over a disagreeing traceparent', () => {
    const context = propagationContextFromHeaders({
      sentryTrace: `${TRACE_ID}-${SPAN_ID}-0`,
      traceparent: `00-${OTHER_TRACE_ID}-${OTHER_SPAN_ID}-01`,
    });
    expect(context.traceId).toBe(TRACE_ID);
    expect(context.parentSpanId).toBe(SPAN_ID);
    expect(context.sampled).toBe(false);
  });

  it('falls back to traceparent when sentry-trace is invalid, without the baggage sent with it', () => {
    const context = propagationContextFromHeaders({
      sentryTrace: 'not-a-trace',
      traceparent: `00-${OTHER_TRACE_ID}-${OTHER_SPAN_ID}-01`,
      baggage: baggageOf({ trace_id: OTHER_TRACE_ID, environment: 'prod' }),
    });
    expect(context.traceId).toBe(OTHER_TRACE_ID);
    expect(context.parentSpanId).toBe(OTHER_SPAN_ID);
    expect(context.dsc).toBeUndefined();
  });

  it('starts fresh when both headers are malformed', () => {
    expectFresh(propagationContextFromHeaders({ sentryTrace: 'x', traceparent: 'y', baggage: 'z' }));
  });

  describe('sample_rand (§4.4)', () => {
    it('passes a valid incoming sample_rand through as the same string', () => {
      const context = propagationContextFromHeaders({
        sentryTrace: `${TRACE_ID}-${SPAN_ID}-1`,
        baggage: baggageOf({ trace_id: TRACE_ID, sample_rate: '0.5', sample_rand: '0.250000' }),
      });
      expect(context.sampleRand).toBe(0.25);
      expect(context.dsc!.sample_rand).toBe('0.250000');
    });

    it.each(['1', '1.5', '-0.1', 'abc', '', '0x1', ' 0.5', 'NaN', 'Infinity'])(
      'replaces an invalid sample_rand %j with a drawn one in [0, 1)',
      (sampleRand) => {
        const context = propagationContextFromHeaders({
          sentryTrace: `${TRACE_ID}-${SPAN_ID}`,
          baggage: baggageOf({ trace_id: TRACE_ID, sample_rand: sampleRand }),
        });
        expect(context.sampleRand).toBeGreaterThanOrEqual(0);
        expect(context.sampleRand).toBeLessThan(1);
        expect(Number(context.dsc!.sample_rand)).toBe(context.sampleRand);
      },
    );

    it('reproduces a positive decision at rate 0.25: every draw below 0.25', () => {
      for (let i = 0; i < 1000; i++) {
        const context = propagationContextFromHeaders({
          sentryTrace: `${TRACE_ID}-${SPAN_ID}-1`,
          baggage: baggageOf({ trace_id: TRACE_ID, sample_rate: '0.25', sampled: 'true' }),
        });
        expect(context.sampleRand).toBeGreaterThanOrEqual(0);
        expect(context.sampleRand).toBeLessThan(0.25);
        // Written back at full precision so the next hop reproduces the same decision.
        expect(Number(context.dsc!.sample_rand)).toBe(context.sampleRand);
      }
    });

    it('reproduces a negative decision at rate 0.25: every draw in [0.25, 1)', () => {
      for (let i = 0; i < 1000; i++) {
        const { sampleRand } = propagationContextFromHeaders({
          sentryTrace: `${TRACE_ID}-${SPAN_ID}-0`,
          baggage: baggageOf({ trace_id: TRACE_ID, sample_rate: '0.25', sampled: 'false' }),
        });
        expect(sampleRand).toBeGreaterThanOrEqual(0.25);
        expect(sampleRand).toBeLessThan(1);
      }
    });

    it('draws from [0, 1) without a decision, and without a usable rate', () => {
      const draws = [
        propagationContextFromHeaders({
          sentryTrace: `${TRACE_ID}-${SPAN_ID}`,
          baggage: baggageOf({ trace_id: TRACE_ID, sample_rate: '0.25' }),
        }),
        propagationContextFromHeaders({
          sentryTrace: `${TRACE_ID}-${SPAN_ID}-1`,
          baggage: baggageOf({ trace_id: TRACE_ID, sample_rate: '0' }),
        }),
        propagationContextFromHeaders({ sentryTrace: `${TRACE_ID}-${SPAN_ID}-0` }),
      ];
      for (const { sampleRand } of draws) {
        expect(sampleRand).toBeGreaterThanOrEqual(0);
        expect(sampleRand).toBeLessThan(1);
      }
      // The frozen empty DSC of an old SDK stays empty.
      expect(draws[2]!.dsc).toEqual({});
    });
  });

  describe('organization check (§4.3)', () => {
    const withOrg = (orgId?: string) => ({
      sentryTrace: `${TRACE_ID}-${SPAN_ID}-1`,
      baggage: baggageOf(orgId ? { trace_id: TRACE_ID, org_id: orgId } : { trace_id: TRACE_ID }),
    });

    it('continues when the org ids match', () => {
      expect(
        propagationContextFromHeaders(withOrg('1'), { orgId: '1', strictTraceContinuation: true }).traceId,
      ).toBe(TRACE_ID);
    });

    it('starts a new trace when the org ids differ, strict or not', () => {
      expectFresh(propagationContextFromHeaders(withOrg('1'), { orgId: '2' }));
      expectFresh(propagationContextFromHeaders(withOrg('1'), { orgId: '2', strictTraceContinuation: true }));
    });

    it('continues with one side missing unless strict', () => {
      expect(propagationContextFromHeaders(withOrg('1')).traceId).toBe(TRACE_ID);
      expect(propagationContextFromHeaders(withOrg(), { orgId: '2' }).traceId).toBe(TRACE_ID);
      expectFresh(propagationContextFromHeaders(withOrg('1'), { strictTraceContinuation: true }));
      expectFresh(propagationContextFromHeaders(withOrg(), { orgId: '2', strictTraceContinuation: true }));
    });

    it('continues when both sides are missing, even when strict', () => {
      expect(propagationContextFromHeaders(withOrg(), { strictTraceContinuation: true }).traceId).toBe(
        TRACE_ID,
      );
    });
  });

  it('round-trips our own headers to the same context', () => {
    const upstream = propagationContextFromHeaders({
      sentryTrace: `${TRACE_ID}-${SPAN_ID}-1`,
      baggage: baggageOf({
        trace_id: TRACE_ID,
        public_key: PUBLIC_KEY,
        sample_rate: '0.5',
        environment: 'a b',
      }),
    });
    const downstream = propagationContextFromHeaders({
      sentryTrace: sentryTraceHeader(upstream.traceId, upstream.spanId, upstream.sampled),
      baggage: dscToBaggage(upstream.dsc),
      traceparent: traceparentHeader(upstream.traceId, upstream.spanId, upstream.sampled),
    });
    expect(downstream).toEqual({ ...upstream, spanId: downstream.spanId, parentSpanId: upstream.spanId });
    expect(downstream.spanId).not.toBe(upstream.spanId);
  });

  it('round-trips our traceparent alone to the same trace and decision', () => {
    const upstream = propagationContextFromHeaders({ sentryTrace: `${TRACE_ID}-${SPAN_ID}-1` });
    const downstream = propagationContextFromHeaders({
      traceparent: traceparentHeader(upstream.traceId, upstream.spanId, upstream.sampled),
    });
    expect(downstream.traceId).toBe(upstream.traceId);
    expect(downstream.parentSpanId).toBe(upstream.spanId);
    expect(downstream.sampled).toBe(true);
  });
});
