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

/** `regexp`'s match of a header value; undefined for non-strings and values over 512 characters. */
export function matchTraceHeader(value: unknown, regexp: RegExp): RegExpExecArray | undefined {
  return (
    (typeof value === 'string' && value.length <= MAX_TRACE_HEADER_LENGTH && regexp.exec(value)) || undefined
  );
}

/** What a parsed header says; undefined for all-zero ids: the ingest drops them (§6.2), so a trace continued from them would vanish. */
export function traceHeaderData(
  traceId: string,
  parentSpanId: string,
  parentSampled: boolean | undefined,
): TraceHeaderData | undefined {
  if (ALL_ZERO.test(traceId) || ALL_ZERO.test(parentSpanId)) return undefined;
  const data: TraceHeaderData = { traceId, parentSpanId };
  if (parentSampled !== undefined) data.parentSampled = parentSampled;
  return data;
}

export function parseSentryTraceHeader(value: unknown): TraceHeaderData | undefined {
  const match = matchTraceHeader(value, SENTRY_TRACE_REGEXP);
  return match && traceHeaderData(match[1]!, match[2]!, match[3] ? match[3] === '1' : undefined);
}

export function sentryTraceHeader(traceId: string, spanId: string, sampled?: boolean): string {
  if (sampled === undefined) return `${traceId}-${spanId}`;
  return `${traceId}-${spanId}-${sampled ? '1' : '0'}`;
}
