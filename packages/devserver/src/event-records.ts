/**
 * Turns event, transaction and span payloads into the records storage keeps, validating transactions the
 * way Relay does (PROTOCOL.md §6.2) so that what the UI shows is what Sentry would have kept.
 */
import { randomUUID } from 'node:crypto';
import type { EventRecord, SpanRecord } from './event-record';
import { summarizeEvent } from './event-summary';
import { groupingFor } from './grouping';
import { IngestError } from './ingest-error';
import {
  asObject,
  asText,
  type JsonObject,
  normalizeId,
  objectsOf,
  tagsOf,
  toSeconds,
} from './payload-values';
import { serviceName } from './service-name';
import { userIdentity } from './user-identity';

export interface RecordContext {
  project: string;
  /** Unix seconds. */
  received: number;
  remoteAddress?: string;
  /** The envelope header's `event_id`, which wins over the payload's. */
  envelopeEventId?: string;
}

const EVENT_ID = /^[0-9a-f]{32}$/;
const TRACE_ID = /^(?!0{32})[0-9a-f]{32}$/;
const SPAN_ID = /^(?!0{16})[0-9a-f]{16}$/;

/** An error or default (message) event: every one of them belongs to an issue. */
export function errorEventRecord(event: JsonObject, context: RecordContext): EventRecord {
  const base = baseRecord(event, context);
  const summary = summarizeEvent(event);
  const grouping = groupingFor(event);
  return {
    ...base,
    kind: 'error',
    level: asText(event.level) ?? 'error',
    title: summary.title,
    culprit: summary.culprit,
    issue: { ...grouping, type: summary.type, value: summary.value },
    payload: JSON.stringify(event),
  };
}

export function transactionRecord(event: JsonObject, context: RecordContext): EventRecord {
  const base = baseRecord(event, context);
  const start = toSeconds(event.start_timestamp);
  const end = toSeconds(event.timestamp);
  if (end === undefined) invalidTransaction('timestamp hard-required for transaction events');
  if (start === undefined) invalidTransaction('start_timestamp hard-required for transaction events');
  if (end < start) invalidTransaction('end timestamp is smaller than start timestamp');
  const trace = asObject(asObject(event.contexts)?.trace);
  const traceId = normalizeId(trace?.trace_id);
  const spanId = normalizeId(trace?.span_id);
  if (!trace || !traceId || !TRACE_ID.test(traceId) || !spanId || !SPAN_ID.test(spanId)) {
    invalidTransaction('missing valid trace context');
  }
  const name = asText(event.transaction) ?? '<unnamed transaction>';
  const root: SpanRecord = {
    traceId,
    spanId,
    parentSpanId: normalizeId(trace.parent_span_id),
    service: base.service,
    op: asText(trace.op),
    description: name,
    status: asText(trace.status),
    start,
    end,
    isSegment: true,
    data: asObject(trace.data),
  };
  const children = Array.isArray(event.spans)
    ? event.spans.map((span) => childSpan(span, traceId, base.service))
    : [];
  event.start_timestamp = start;
  return {
    ...base,
    kind: 'transaction',
    traceId,
    spanId,
    level: asText(event.level) ?? 'info',
    title: name,
    transaction: name,
    payload: JSON.stringify(event),
    spans: [root, ...children],
  };
}

function childSpan(value: unknown, traceId: string, service: string): SpanRecord {
  const span = asObject(value);
  if (!span) invalidTransaction('spans must be valid in transaction event');
  const spanId = normalizeId(span.span_id);
  const start = toSeconds(span.start_timestamp);
  const end = toSeconds(span.timestamp);
  const spanTraceId = normalizeId(span.trace_id) ?? traceId;
  if (
    !spanId ||
    !SPAN_ID.test(spanId) ||
    !TRACE_ID.test(spanTraceId) ||
    start === undefined ||
    end === undefined
  ) {
    invalidTransaction('spans must be valid in transaction event');
  }
  if (end < start) invalidTransaction('spans must be valid in transaction event (end before start)');
  const tags = tagsOf(span.tags);
  const data = asObject(span.data);
  return {
    traceId: spanTraceId,
    spanId,
    parentSpanId: normalizeId(span.parent_span_id),
    service,
    op: asText(span.op),
    description: asText(span.description),
    status: asText(span.status),
    start,
    end,
    isSegment: false,
    data: Object.keys(tags).length > 0 ? { ...data, tags } : data,
  };
}

function invalidTransaction(reason: string): never {
  throw new IngestError(400, `invalid transaction: ${reason}`);
}

/** Span v2 container items (`{"items":[...]}`): one record per item, every span keeping its own trace. */
export function spanBatchRecord(payload: JsonObject, context: RecordContext): EventRecord | undefined {
  const spans = objectsOf(payload.items).flatMap((item) => v2Span(item) ?? []);
  if (spans.length === 0) return undefined;
  const segment = spans.find((span) => span.isSegment) ?? spans[0]!;
  return {
    eventId: newEventId(),
    project: context.project,
    kind: 'spans',
    traceId: segment.traceId,
    spanId: segment.spanId,
    timestamp: Math.max(...spans.map((span) => span.end)),
    received: context.received,
    service: segment.service,
    title: segment.description ?? `${spans.length} spans`,
    payload: JSON.stringify(payload),
    spans,
  };
}

function v2Span(item: JsonObject): SpanRecord | undefined {
  const traceId = normalizeId(item.trace_id);
  const spanId = normalizeId(item.span_id);
  const start = toSeconds(item.start_timestamp);
  if (!traceId || !TRACE_ID.test(traceId) || !spanId || !SPAN_ID.test(spanId) || start === undefined) {
    return undefined;
  }
  const attributes = asObject(item.attributes) ?? {};
  const attribute = (key: string) => asText(asObject(attributes[key])?.value ?? attributes[key]);
  return {
    traceId,
    spanId,
    parentSpanId: normalizeId(item.parent_span_id),
    // Span v2 carries no server name: the release tells services apart better than the SDK name.
    service:
      attribute('service') ??
      attribute('service.name') ??
      attribute('server_name') ??
      attribute('sentry.release') ??
      attribute('sentry.sdk.name') ??
      'unknown',
    op: attribute('sentry.op'),
    description: asText(item.name),
    status: asText(item.status),
    start,
    end: Math.max(start, toSeconds(item.end_timestamp) ?? start),
    isSegment: item.is_segment === true,
    data: attributes,
  };
}

/** Fields every event shares; fixes the stored payload's id, timestamp and `{{auto}}` IP in place. */
function baseRecord(
  event: JsonObject,
  context: RecordContext,
): Omit<EventRecord, 'kind' | 'title' | 'payload'> {
  const eventId =
    [normalizeId(context.envelopeEventId), normalizeId(event.event_id)].find(
      (candidate) => candidate !== undefined && EVENT_ID.test(candidate),
    ) ?? newEventId();
  const timestamp = toSeconds(event.timestamp) ?? context.received;
  const user = userIdentity(event.user, context.remoteAddress);
  event.event_id = eventId;
  event.timestamp = timestamp;
  if (user?.ipAddress && asObject(event.user)?.ip_address === '{{auto}}') {
    (event.user as JsonObject).ip_address = user.ipAddress;
  }
  const trace = asObject(asObject(event.contexts)?.trace);
  const traceId = normalizeId(trace?.trace_id);
  const spanId = normalizeId(trace?.span_id);
  return {
    eventId,
    project: context.project,
    traceId: traceId && TRACE_ID.test(traceId) ? traceId : undefined,
    spanId: spanId && SPAN_ID.test(spanId) ? spanId : undefined,
    timestamp,
    received: context.received,
    release: asText(event.release),
    environment: asText(event.environment),
    service: serviceName(event),
    platform: asText(event.platform),
    transaction: asText(event.transaction),
    user,
    spans: [],
  };
}

function newEventId(): string {
  return randomUUID().replaceAll('-', '');
}
