/**
 * Per-item protocol checks the ingest records as `validationErrors`: payload schemas plus the envelope-level
 * rules that tie an item to its envelope header (PROTOCOL.md §2.2, §3).
 */
import type { EnvelopeHeaders } from '../../packages/core/src/types/envelope';
import { validateEvent, validateTransaction } from './schema-validation';

const strictDecoder = new TextDecoder('utf-8', { fatal: true });
const JSON_ITEM_TYPES = new Set([
  'event',
  'transaction',
  'client_report',
  'session',
  'sessions',
  'span',
  'log',
]);

/** The payload parsed as JSON, or undefined when it is not UTF-8 JSON. */
export function payloadJson(payload: Uint8Array): unknown {
  try {
    return JSON.parse(strictDecoder.decode(payload));
  } catch {
    return undefined;
  }
}

export function checkItem(type: string, json: unknown, envelopeHeaders: EnvelopeHeaders): string[] {
  if (JSON_ITEM_TYPES.has(type) && json === undefined) return ['payload is not valid UTF-8 JSON'];
  switch (type) {
    case 'event':
      return [...validateEvent(json), ...eventEnvelopeProblems(json, envelopeHeaders)];
    case 'transaction':
      return [...validateTransaction(json), ...eventEnvelopeProblems(json, envelopeHeaders)];
    case 'client_report':
      return clientReportProblems(json);
    default:
      return [];
  }
}

function eventEnvelopeProblems(event: unknown, headers: EnvelopeHeaders): string[] {
  if (!isObject(event)) return [];
  const problems: string[] = [];
  if (headers.event_id == null) problems.push('envelope header: event_id is missing');
  else if (
    typeof event.event_id === 'string' &&
    normalizeUuid(headers.event_id) !== normalizeUuid(event.event_id)
  ) {
    problems.push(
      `envelope header: event_id ${headers.event_id} differs from the payload's ${event.event_id}`,
    );
  }
  const trace = headers.trace as Record<string, unknown> | undefined;
  if (!isObject(trace)) return [...problems, 'envelope header: trace (dynamic sampling context) is missing'];
  for (const key of ['trace_id', 'public_key']) {
    if (typeof trace[key] !== 'string' || !trace[key])
      problems.push(`envelope header: trace.${key} is missing`);
  }
  for (const [key, value] of Object.entries(trace)) {
    if (typeof value !== 'string') problems.push(`envelope header: trace.${key} must be a string`);
  }
  const contextTraceId =
    isObject(event.contexts) && isObject(event.contexts.trace) ? event.contexts.trace.trace_id : undefined;
  if (
    typeof trace.trace_id === 'string' &&
    typeof contextTraceId === 'string' &&
    trace.trace_id !== contextTraceId
  ) {
    problems.push(
      `envelope header: trace.trace_id ${trace.trace_id} differs from contexts.trace.trace_id ${contextTraceId}`,
    );
  }
  return problems;
}

function clientReportProblems(report: unknown): string[] {
  if (!isObject(report)) return ['client_report: payload is not a JSON object'];
  if (!Array.isArray(report.discarded_events)) return ['client_report: discarded_events is not an array'];
  return report.discarded_events.flatMap((entry, index) => {
    const ok =
      isObject(entry) &&
      typeof entry.reason === 'string' &&
      typeof entry.category === 'string' &&
      Number.isInteger(entry.quantity) &&
      (entry.quantity as number) > 0;
    return ok
      ? []
      : [`client_report: discarded_events[${index}] needs reason, category and a positive quantity`];
  });
}

function normalizeUuid(value: string): string {
  return value.replaceAll('-', '').toLowerCase();
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
