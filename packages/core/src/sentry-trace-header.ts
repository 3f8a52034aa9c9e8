/** The `sentry-trace` header (PROTOCOL.md §4.1): `{trace_id}-{span_id}[-{sampled}]`. */

/** What an incoming trace header tells us about the remote parent span. */
export interface TraceHeaderData {
  traceId: string;
  parentSpanId: string;
  /** undefined = deferred: the caller made no sampling decision. */
  parentSampled?: boolean;
}

/** Longer values are garbage or an attack; refusing them first keeps parsing cheap. */
export const MAX_TRACE_HEADER_LENGTH = 512;

// Stricter than the reference regex: both ids are required; a header without them cannot continue a trace.
const SENTRY_TRACE_REGEXP = /^[ \t]*([0-9a-f]{32})-([0-9a-f]{16})(?:-([01]))?[ \t]*$/;
const ALL_ZERO = /^0+$/;

export function parseSentryTraceHeader(value: unknown): TraceHeaderData | undefined {
  if (typeof value !== 'string' || value.length > MAX_TRACE_HEADER_LENGTH) return undefined;
  const match = SENTRY_TRACE_REGEXP.exec(value);
  if (!match) return undefined;
  const [, traceId, parentSpanId, flag] = match as unknown as [string, string, string, string | undefined];
  // The ingest drops all-zero ids (§6.2), so a trace continued from them would vanish.
  if (ALL_ZERO.test(traceId) || ALL_ZERO.test(parentSpanId)) return undefined;
  const data: TraceHeaderData = { traceId, parentSpanId };
  if (flag !== undefined) data.parentSampled = flag === '1';
  return data;
}

export function sentryTraceHeader(traceId: string, spanId: string, sampled?: boolean): string {
  if (sampled === undefined) return `${traceId}-${spanId}`;
  return `${traceId}-${spanId}-${sampled ? '1' : '0'}`;
}
