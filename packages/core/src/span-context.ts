/**
 * What other parts of the SDK read off spans: trace context for events, the DSC, the root.
 * Only types come from './span': error events pass through here, and an errors-only browser bundle
 * must not carry the span classes, so a recording span is recognised by its fields.
 */
import { baseDynamicSamplingContext } from './dynamic-sampling-context';
import type { RecordingSpan, Span, TraceSegment } from './span';
import type { DynamicSamplingContext } from './types/envelope';
import type { TraceContext } from './types/event';

export function getSegment(span: Span): TraceSegment | undefined {
  return (span as { segment?: TraceSegment }).segment;
}

export function getRootSpan(span: Span): Span {
  return getSegment(span)?.root ?? span;
}

/** The span as a RecordingSpan, or undefined for a NonRecordingSpan (which has no start time). */
export function asRecordingSpan(span: Span): RecordingSpan | undefined {
  return (span as RecordingSpan).startTimestamp === undefined ? undefined : (span as RecordingSpan);
}

/**
 * Whether a span started under `parent` records: only under a recording span whose transaction is
 * not yet sent. Instrumentation asks before building a span's name and attributes; under a
 * non-recording parent (an unsampled request) it runs the work as it is, in the parent's scope.
 */
export function recordsChildren(parent: Span): boolean {
  return !!asRecordingSpan(parent) && getSegment(parent)?.ended === false;
}

/** The `contexts.trace` of an error captured while `span` is active. */
export function spanToTraceContext(span: Span): TraceContext {
  const { traceId, spanId } = span.spanContext();
  const context: TraceContext = { trace_id: traceId, span_id: spanId };
  const parentSpanId = (span as { parentSpanId?: string }).parentSpanId;
  if (parentSpanId) context.parent_span_id = parentSpanId;
  const op = asRecordingSpan(span)?.op;
  if (op) context.op = op;
  return context;
}

/** `sampled` as `sentry-trace` and W3C flags carry it: undefined when no decision was made. */
export function spanSampled(span: Span): boolean | undefined {
  if (asRecordingSpan(span)) return true;
  return getSegment(span)?.sampled;
}

/**
 * The DSC of the trace `span` belongs to: the incoming one when the trace arrived with one, else ours,
 * frozen from the first time it leaves the SDK (`freeze`).
 */
export function getDynamicSamplingContextFromSpan(
  span: Span,
  freeze: boolean,
): DynamicSamplingContext | undefined {
  const segment = getSegment(span);
  return segment ? getDynamicSamplingContextFromSegment(segment, freeze) : undefined;
}

export function getDynamicSamplingContextFromSegment(
  segment: TraceSegment,
  freeze: boolean,
): DynamicSamplingContext {
  if (segment.dsc) return segment.dsc;
  const root = segment.root;
  const { traceId } = root.spanContext();
  const dsc: DynamicSamplingContext = segment.client
    ? baseDynamicSamplingContext(segment.client, traceId)
    : { trace_id: traceId, public_key: '' };
  dsc.sample_rand = segment.sampleRand.toFixed(6);
  if (segment.sampled !== undefined) {
    dsc.sampled = String(segment.sampled);
    if (segment.sampleRate !== undefined) dsc.sample_rate = String(segment.sampleRate);
    const recordingRoot = asRecordingSpan(root);
    if (recordingRoot && recordingRoot.source !== 'url') dsc.transaction = recordingRoot.name;
  }
  if (freeze) segment.dsc = dsc;
  return dsc;
}
