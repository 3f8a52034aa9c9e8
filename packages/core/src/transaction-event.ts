/** A root span and its finished children as one transaction event (PROTOCOL.md §3.2). */

import type { RecordingSpan, TraceSegment } from './span';
import { getDynamicSamplingContextFromSegment } from './span-context';
import type { Event } from './types/event';

/** Called when the root has ended, which ended the children still open with it (see RecordingSpan.end). */
export function createTransactionEvent(root: RecordingSpan, segment: TraceSegment): Event {
  // The root's span JSON without the keys a trace context does not have is its `contexts.trace`.
  const { start_timestamp, timestamp, description, ...trace } = root.toJSON();
  trace.status ??= 'ok';
  const event: Event = {
    type: 'transaction',
    transaction: description,
    transaction_info: { source: root.source },
    start_timestamp,
    timestamp,
    contexts: { trace },
    spans: segment.finished,
    sdkProcessingMetadata: { dynamicSamplingContext: getDynamicSamplingContextFromSegment(segment, true) },
  };
  if (root.measurements) event.measurements = root.measurements;
  return event;
}
