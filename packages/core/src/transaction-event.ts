/** A root span and its finished children as one transaction event (PROTOCOL.md §3.2). */

import type { RecordingSpan, TraceSegment } from './span';
import { getDynamicSamplingContextFromSegment } from './span-context';
import type { Event, TraceContext } from './types/event';

/** Called when the root has ended, which ended the children still open with it (see RecordingSpan.end). */
export function createTransactionEvent(root: RecordingSpan, segment: TraceSegment): Event {
  const json = root.toJSON();
  // The root's span JSON without the keys a trace context does not have is its `contexts.trace`,
  // built as a literal: rest destructuring gives V8 a dictionary-mode object, slow to serialise.
  const trace: TraceContext = {
    trace_id: json.trace_id,
    span_id: json.span_id,
    parent_span_id: json.parent_span_id,
    op: json.op,
    status: json.status ?? 'ok',
    origin: json.origin,
    data: json.data,
  };
  const event: Event = {
    type: 'transaction',
    transaction: json.description,
    transaction_info: { source: root.source },
    start_timestamp: json.start_timestamp,
    timestamp: json.timestamp,
    contexts: { trace },
    spans: segment.finished,
    sdkProcessingMetadata: { dynamicSamplingContext: getDynamicSamplingContextFromSegment(segment, true) },
  };
  if (root.measurements) event.measurements = root.measurements;
  return event;
}
