/** A root span and its finished children as one transaction event (PROTOCOL.md §3.2). */

import type { RecordingSpan, TraceSegment } from './span';
import { getDynamicSamplingContextFromSegment } from './span-context';
import type { Event, TraceContext } from './types/event';

/**
 * Children still open when the root ends are ended with it (status `cancelled` unless set), so every
 * child's parent is inside the transaction; ending them later changes nothing.
 */
export function createTransactionEvent(root: RecordingSpan, segment: TraceSegment): Event {
  const end = root.endTimestamp ?? root.startTimestamp;
  for (const span of segment.open) {
    if (segment.finished.length >= 1000) {
      segment.dropped++;
      continue;
    }
    if (!span.status) span.setStatus('cancelled');
    span.setAttribute('faultline.ended_with_root', true);
    span.end(end);
    segment.finished.push(span.toJSON());
  }
  segment.open.clear();

  const trace: TraceContext = {
    trace_id: root.traceId,
    span_id: root.spanId,
    op: root.op,
    status: root.status ?? 'ok',
    origin: root.origin,
    data: root.dataWithSentryKeys(),
  };
  if (root.parentSpanId) trace.parent_span_id = root.parentSpanId;
  if (!root.op) delete trace.op;

  const event: Event = {
    type: 'transaction',
    transaction: root.name,
    transaction_info: { source: root.source },
    start_timestamp: root.startTimestamp,
    timestamp: end,
    contexts: { trace },
    spans: segment.finished,
    sdkProcessingMetadata: { dynamicSamplingContext: getDynamicSamplingContextFromSegment(segment, true) },
  };
  if (root.measurements) event.measurements = root.measurements;
  return event;
}
