import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  dscToBaggage,
  MAX_BAGGAGE_BYTES,
  MAX_BAGGAGE_MEMBERS,
  mergeBaggage,
  parseBaggage,
} from '../src/baggage';
import { parseSentryTraceHeader, sentryTraceHeader } from '../src/sentry-trace-header';
import { propagationContextFromHeaders } from '../src/trace-continuation';
import { shouldPropagateTo, stripUrlQueryAndFragment } from '../src/trace-propagation-targets';
import {
  parseTraceparentHeader,
  parseTracestate,
  traceparentHeader,
  tracestateHeader,
} from '../src/traceparent-header';

const hex = (length: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: length, maxLength: length });
// A small pool of ids makes sentry-trace, traceparent and baggage often agree, as in real requests.
const traceId = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.constantFrom('771a43a4192642f0b136d5159a501700', '4bf92f3577b34da6a3ce929d0e0e4736'),
  },
  { weight: 1, arbitrary: hex(32) },
  { weight: 1, arbitrary: fc.constant('0'.repeat(32)) },
);
const spanId = fc.oneof(
  { weight: 9, arbitrary: hex(16) },
  { weight: 1, arbitrary: fc.constant('0'.repeat(16)) },
);
const decision = fc.option(fc.boolean(), { nil: undefined });

const validSentryTrace = fc.tuple(traceId, spanId, decision).map(([t, s, d]) => sentryTraceHeader(t, s, d));
const validTraceparent = fc
  .tuple(
    fc.constantFrom('00', '01', 'cc', 'fe', 'ff'),
    traceId,
    spanId,
    hex(2),
    fc.constantFrom('', '-x', '-'),
  )
  .map(([version, t, s, flags, rest]) => `${version}-${t}-${s}-${flags}${rest}`);
const unitNumber = fc.oneof(
  fc.double({ min: 0, max: 1, noNaN: true }).map(String),
  fc.constantFrom('0', '1', '1.0', '0.000000', '0.999999', '1e-7', '-0', '2', 'NaN', ''),
);
const validBaggage = fc
  .record(
    {
      trace_id: traceId,
      public_key: hex(32),
      sample_rate: unitNumber,
      sample_rand: unitNumber,
      sampled: fc.constantFrom('true', 'false', 'yes'),
      org_id: fc.constantFrom('1', '2', ''),
      transaction: fc.string({ unit: 'grapheme', maxLength: 40 }),
    },
    { requiredKeys: ['trace_id'] },
  )
  .chain((dsc) =>
    fc
      .array(fc.constantFrom('dogs=great', 'a=1;p', ' , ', 'sentry-x=%E0%A4%A', '=', 'k=v'), { maxLength: 4 })
      .map((others) => [dscToBaggage(dsc) ?? '', ...others].join(',')),
  );
const validTracestate = fc
  .array(fc.constantFrom('rojo=00f067aa0ba902b7', 'congo=t61rcWkgMzE', 'a@b=c', `k=${'v'.repeat(200)}`), {
    maxLength: 40,
  })
  .map((members) => members.join(','));

/** Edits that turn a valid header into a near-valid one. */
const mutated = (valid: fc.Arbitrary<string>) =>
  fc
    .tuple(
      valid,
      fc.nat(),
      fc.constantFrom('insert', 'delete', 'replace', 'upper', 'truncate', 'pad', 'unicode', 'duplicate'),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 3 }),
    )
    .map(([value, position, edit, text]) => {
      const at = value.length === 0 ? 0 : position % value.length;
      switch (edit) {
        case 'insert':
          return value.slice(0, at) + text + value.slice(at);
        case 'delete':
          return value.slice(0, at) + value.slice(at + 1);
        case 'replace':
          return value.slice(0, at) + text + value.slice(at + text.length);
        case 'upper':
          return value.toUpperCase();
        case 'truncate':
          return value.slice(0, at);
        case 'pad':
          return ` \t${value}\t `;
        case 'unicode':
          return `${value}\u00e9\u{1d11e}\ud800`;
        default:
          return `${value},${value}`;
      }
    });

const HUGE_FILLERS = [' '.repeat(100_000), ',a=1'.repeat(25_000), '%'.repeat(100_000), 'é𝄞'.repeat(33_334)];
const huge = (valid: fc.Arbitrary<string>) =>
  fc
    .tuple(valid, fc.constantFrom(...HUGE_FILLERS), fc.boolean())
    .map(([v, filler, before]) => (before ? filler + v : v + filler));

const anyString = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }));
const headerString = (valid: fc.Arbitrary<string>) =>
  fc.oneof(
    { weight: 12, arbitrary: valid },
    { weight: 12, arbitrary: mutated(valid) },
    { weight: 8, arbitrary: anyString },
    // Rarer because costly: about 10,000 of the 100,000 runs still carry a 100 KB header.
    { weight: 1, arbitrary: huge(valid) },
  );
const headerValue = (valid: fc.Arbitrary<string>) =>
  fc.oneof(
    { weight: 8, arbitrary: headerString(valid) },
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.array(headerString(valid), { maxLength: 3 }) },
  );
const unknownValue = (valid: fc.Arbitrary<string>) =>
  fc.oneof({ weight: 9, arbitrary: headerValue(valid) }, { weight: 1, arbitrary: fc.anything() });

const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;
const ALL_ZERO = /^0+$/;
const byteLength = (value: string) => new TextEncoder().encode(value).length;

/** A plain throw: vitest's expect costs more than the code under test at 100,000 runs. */
function check(condition: boolean, message: string, value?: unknown): void {
  if (!condition) throw new Error(`${message}: ${JSON.stringify(value)?.slice(0, 300)}`);
}

function checkIds(data: { traceId: string; parentSpanId?: string; spanId?: string } | undefined): void {
  if (!data) return;
  check(TRACE_ID.test(data.traceId) && !ALL_ZERO.test(data.traceId), 'invalid trace id', data);
  for (const id of [data.parentSpanId, data.spanId]) {
    if (id !== undefined) check(SPAN_ID.test(id) && !ALL_ZERO.test(id), 'invalid span id', data);
  }
}

describe('propagation codec under random input', () => {
  it('never throws and only ever yields valid ids and sample_rand in [0, 1)', { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(
        unknownValue(validSentryTrace),
        unknownValue(validTraceparent),
        headerValue(validBaggage),
        headerValue(validTracestate),
        fc.record({ orgId: fc.constantFrom(undefined, '1', '2'), strictTraceContinuation: fc.boolean() }),
        (sentryTrace, traceparent, baggage, tracestate, options) => {
          checkIds(parseSentryTraceHeader(sentryTrace));
          checkIds(parseTraceparentHeader(traceparent));

          const members = parseTracestate(tracestate);
          check(members.length <= 32, 'too many tracestate members', members);
          check((tracestateHeader(members) ?? '').length <= 512, 'tracestate too long', members);

          const parsed = parseBaggage(baggage);
          for (const header of [
            dscToBaggage(parsed.sentry),
            mergeBaggage(parsed.thirdParty, parsed.sentry),
          ]) {
            if (header === undefined) continue;
            check(byteLength(header) <= MAX_BAGGAGE_BYTES, 'baggage over 8192 bytes', header.length);
            check(header.split(',').length <= MAX_BAGGAGE_MEMBERS, 'baggage over 180 members', header.length);
          }
          const reparsed = parseBaggage(dscToBaggage(parsed.sentry)).sentry;
          for (const [key, value] of Object.entries(reparsed)) {
            check(parsed.sentry[key] === value, 'baggage round trip changed a value', { key, value });
          }

          const context = propagationContextFromHeaders({ sentryTrace, traceparent, baggage }, options);
          checkIds(context);
          check(context.sampleRand >= 0 && context.sampleRand < 1, 'sampleRand outside [0, 1)', context);
          const dsc = context.dsc;
          if (dsc?.trace_id !== undefined)
            check(dsc.trace_id === context.traceId, 'DSC of another trace', context);
          if (dsc?.sample_rand !== undefined) {
            check(
              Number(dsc.sample_rand) === context.sampleRand,
              'sample_rand differs from the DSC',
              context,
            );
          }

          const url = typeof sentryTrace === 'string' ? sentryTrace : '';
          check(shouldPropagateTo(url), 'default targets must match every URL', url.slice(0, 100));
          check(
            url.startsWith(stripUrlQueryAndFragment(url)),
            'stripped URL is no prefix',
            url.slice(0, 100),
          );
        },
      ),
      { numRuns: 100_000 },
    );
  });

  it('parses what it writes for any ids and decision', () => {
    fc.assert(
      fc.property(hex(32), hex(16), decision, (t, s, d) => {
        fc.pre(!ALL_ZERO.test(t) && !ALL_ZERO.test(s));
        expect(parseSentryTraceHeader(sentryTraceHeader(t, s, d))).toEqual({
          traceId: t,
          parentSpanId: s,
          parentSampled: d,
        });
        expect(parseTraceparentHeader(traceparentHeader(t, s, d))?.parentSampled).toBe(
          d === true ? true : undefined,
        );
      }),
      { numRuns: 2_000 },
    );
  });
});
