/** Continuing an incoming trace from request headers (PROTOCOL.md §4.1–§4.4). */
import { parseBaggage } from './baggage';
import { generatePropagationContext, type PropagationContext } from './propagation-context';
import { generateSampleRand, generateSpanId } from './random';
import { parseSentryTraceHeader } from './sentry-trace-header';
import { parseTraceparentHeader } from './traceparent-header';
import type { DynamicSamplingContext } from './types/envelope';

export interface IncomingTraceHeaders {
  sentryTrace?: unknown;
  baggage?: string | string[];
  traceparent?: unknown;
}

export interface TraceContinuationOptions {
  /** Our organization (the `orgId` option, else the DSN's). */
  orgId?: string;
  strictTraceContinuation?: boolean;
}

const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const LARGEST_BELOW_ONE = 1 - 2 ** -53;

/**
 * The propagation context for a request. Rules beyond the spec's:
 * - A valid `sentry-trace` wins over `traceparent`: it arrives paired with the `baggage` DSC written by the
 *   same SDK, whereas `traceparent` may come from another tracer (or a proxy) that rewrote it. `traceparent`
 *   is used only when no valid `sentry-trace` exists.
 * - Sentry baggage naming another `trace_id` describes another trace and counts as absent; baggage
 *   without a `trace_id` is kept. A present but invalid `sentry-trace` discards the baggage sent with it.
 * - After a valid `sentry-trace` without usable Sentry baggage the DSC is frozen empty (an old SDK, §4.3).
 *   After `traceparent` alone it stays unset: the caller is no Sentry SDK, so our DSC heads the trace.
 */
export function propagationContextFromHeaders(
  headers: IncomingTraceHeaders,
  options: TraceContinuationOptions = {},
): PropagationContext {
  const sentryTrace = parseSentryTraceHeader(headers.sentryTrace);
  const incoming = sentryTrace ?? parseTraceparentHeader(headers.traceparent);
  if (!incoming) return generatePropagationContext();

  const baggageTrusted = sentryTrace !== undefined || isAbsent(headers.sentryTrace);
  const parsed = baggageTrusted ? parseBaggage(headers.baggage).sentry : {};
  // Baggage naming another trace belongs to it, not to us. Baggage without `trace_id` (SDKs that
  // never wrote it, hand-made headers) is still this trace's and is forwarded as received.
  const sentryBaggage =
    Object.keys(parsed).length && (parsed.trace_id === undefined || parsed.trace_id === incoming.traceId)
      ? parsed
      : undefined;
  if (!continuesOrg(sentryBaggage?.org_id, options)) return generatePropagationContext();

  // A bare W3C `00` is no decision; Sentry baggage riding along may still carry one (@sentry/opentelemetry
  // reads it the same way).
  const sampled = sentryTrace
    ? incoming.parentSampled
    : (incoming.parentSampled ?? decisionFromDsc(sentryBaggage));
  const incomingSampleRand = parseUnitInterval(sentryBaggage?.sample_rand);
  const sampleRand =
    incomingSampleRand !== undefined && incomingSampleRand < 1
      ? incomingSampleRand
      : drawSampleRand(parseUnitInterval(sentryBaggage?.sample_rate), sampled);
  if (sentryBaggage && sampleRand !== incomingSampleRand) {
    // Full precision, so the receiver's `sample_rand < rate` reproduces our decision exactly.
    sentryBaggage.sample_rand = String(sampleRand);
  }

  const context: PropagationContext = {
    traceId: incoming.traceId,
    spanId: generateSpanId(),
    parentSpanId: incoming.parentSpanId,
    sampleRand,
  };
  if (sampled !== undefined) context.sampled = sampled;
  // Cast: the type requires trace_id/public_key, but incoming DSCs are frozen as received, even when empty.
  if (sentryBaggage) context.dsc = sentryBaggage as DynamicSamplingContext;
  else if (sentryTrace) context.dsc = {} as DynamicSamplingContext;
  return context;
}

function isAbsent(header: unknown): boolean {
  return header == null || (typeof header === 'string' && !header.trim());
}

/** §4.3: differing org ids never continue; one missing side continues unless strict. */
function continuesOrg(incomingOrgId: string | undefined, options: TraceContinuationOptions): boolean {
  const ourOrgId = options.orgId || undefined;
  if (incomingOrgId && ourOrgId) return incomingOrgId === ourOrgId;
  if (incomingOrgId || ourOrgId) return !options.strictTraceContinuation;
  return true;
}

function decisionFromDsc(dsc: Record<string, string> | undefined): boolean | undefined {
  return dsc?.sampled === 'true' || (dsc?.sampled === 'false' ? false : undefined);
}

/** A JSON-notation number in [0, 1], else undefined. */
function parseUnitInterval(value: string | undefined): number | undefined {
  if (value === undefined || value.length > 64 || !JSON_NUMBER.test(value)) return undefined;
  const number = Number(value);
  return number >= 0 && number <= 1 ? number : undefined;
}

/** §4.4: without an incoming `sample_rand`, draw one that reproduces the upstream decision at its rate. */
function drawSampleRand(rate: number | undefined, sampled: boolean | undefined): number {
  const random = generateSampleRand();
  if (rate === undefined) return random;
  if (sampled === true && rate > 0) return random * rate;
  if (sampled === false && rate < 1) return Math.min(rate + random * (1 - rate), LARGEST_BELOW_ONE);
  return random;
}
