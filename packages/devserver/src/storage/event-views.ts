/** Event rows as the API serves them. */
import type { EventDetail, EventListEntry, ExceptionView } from '../api-types';
import { asObject, asText, objectsOf, tagsOf, valuesList } from '../payload-values';

export interface EventRow {
  event_id: string;
  kind: EventListEntry['kind'];
  issue_id: number | null;
  title: string;
  culprit: string | null;
  level: string | null;
  timestamp: number;
  received: number;
  release: string | null;
  environment: string | null;
  service: string;
  platform: string | null;
  transaction_name: string | null;
  trace_id: string | null;
  span_id: string | null;
  user_key: string | null;
  payload: string;
}

export const EVENT_COLUMNS = `event_id, kind, issue_id, title, culprit, level, timestamp, received, release,
  environment, service, platform, transaction_name, trace_id, span_id, user_key, payload`;

export function isoTime(seconds: number): string {
  return new Date(Math.round(seconds * 1000)).toISOString();
}

export function eventListEntry(row: EventRow): EventListEntry {
  return {
    eventId: row.event_id,
    kind: row.kind,
    issueId: row.issue_id,
    title: row.title,
    culprit: row.culprit,
    level: row.level,
    timestamp: isoTime(row.timestamp),
    release: row.release,
    environment: row.environment,
    service: row.service,
    traceId: row.trace_id,
    spanId: row.span_id,
    user: row.user_key,
  };
}

export function eventDetail(row: EventRow): EventDetail {
  const event = JSON.parse(row.payload) as Record<string, unknown>;
  const logentry = asObject(event.logentry);
  return {
    ...eventListEntry(row),
    platform: row.platform,
    transaction: row.transaction_name,
    received: isoTime(row.received),
    tags: tagsOf(event.tags),
    exceptions: valuesList(event.exception).map(exceptionView),
    message: asText(logentry?.formatted) ?? asText(event.message) ?? asText(logentry?.message) ?? null,
    breadcrumbs: valuesList(event.breadcrumbs),
    request: asObject(event.request) ?? null,
    contexts: asObject(event.contexts) ?? {},
    event,
  };
}

function exceptionView(exception: Record<string, unknown>): ExceptionView {
  return {
    type: asText(exception.type) ?? null,
    value: asText(exception.value) ?? null,
    module: asText(exception.module) ?? null,
    mechanism: asObject(exception.mechanism) ?? null,
    frames: objectsOf(asObject(exception.stacktrace)?.frames),
  };
}
