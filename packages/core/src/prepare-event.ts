/**
 * Turns a captured event into what is sent: defaults, scope data (global < isolation < current <
 * capture-time), event processors, size limits and normalisation (PROTOCOL.md §3.1, §8).
 */
import type { ClientOptions } from './client-options';
import { isThenable } from './is-thenable';
import { normalize, normalizeToSize } from './normalize';
import { uuid4 } from './random';
import { DEFAULT_MAX_BREADCRUMBS, type Scope, type ScopeData } from './scope';
import type { SpanBase } from './span';
import { dateTimestampInSeconds } from './time';
import { truncate } from './truncate';
import type { Attachment, Contexts, Event, EventHint, EventProcessor, SdkInfo } from './types/event';
import { jsonByteLength } from './utf8-byte-length';

/** The protocol's field limits (PROTOCOL.md §2.5). */
const MAX_MESSAGE_LENGTH = 8192;
const MAX_TAG_LENGTH = 200;
const MAX_EXTRA_ITEM_BYTES = 16 * 1024;
const MAX_EXTRA_TOTAL_BYTES = 256 * 1024;

/** Scope records merged under the event's own values, which win. */
const MERGED_RECORDS = ['extra', 'tags', 'user', 'contexts', 'sdkProcessingMetadata'] as const;

/**
 * Fills the event from options and scopes and runs the processors; null when one of them dropped it.
 * The event is the client's own (a fresh one, or its copy of a caller's) and is filled in place: each
 * copy of a transaction cost ~4,000 instructions. `sdk` is the client's identity with its
 * integrations' names. Synchronous unless a processor returns a promise: each await costs a promise
 * and a microtask per event, more under Node 20's async hooks.
 */
export function prepareEvent(
  options: ClientOptions,
  event: Event,
  hint: EventHint,
  scopes: Scope[],
  clientProcessors: EventProcessor[],
  sdk: SdkInfo,
): Event | null | PromiseLike<Event | null> {
  event.event_id = event.event_id ?? hint.event_id ?? uuid4();
  event.timestamp = event.timestamp ?? dateTimestampInSeconds();
  applyClientOptions(event, options, sdk);

  const processors = applyScopes(
    event,
    hint,
    scopes.map((scope) => scope.getScopeData()),
    options.maxBreadcrumbs ?? DEFAULT_MAX_BREADCRUMBS,
  );
  return runProcessors(clientProcessors.concat(processors), 0, event, event, hint, options);
}

/** Runs the processors from `index` on; continues asynchronously only after one that returned a promise. */
function runProcessors(
  processors: EventProcessor[],
  index: number,
  event: Event | null,
  own: Event,
  hint: EventHint,
  options: ClientOptions,
): Event | null | PromiseLike<Event | null> {
  while (event && index < processors.length) {
    const next = processors[index++]!(event, hint);
    if (isThenable(next))
      return next.then((result) => runProcessors(processors, index, result, own, hint, options));
    event = next;
  }
  if (!event) return null;
  // A processor may hand back an object of its own, which normalisation must not change.
  const out = event === own ? event : Object.assign({}, event);
  return normalizeEvent(out, options.normalizeDepth ?? 3, options.normalizeMaxBreadth ?? 1000);
}

function applyClientOptions(event: Event, options: ClientOptions, sdk: SdkInfo): void {
  // Assignments, not `??=` and `||=`, which an es2020 bundle spells out at greater length.
  event.platform = event.platform ?? options.platform;
  event.environment = event.environment ?? options.environment ?? 'production';
  event.release = event.release || options.release;
  event.dist = event.dist || options.dist;
  event.server_name = event.server_name || options.serverName;
  const maxLength = options.maxValueLength ?? MAX_MESSAGE_LENGTH;
  if (event.message) event.message = truncate(event.message, Math.min(maxLength, MAX_MESSAGE_LENGTH));
  for (const exception of event.exception?.values ?? []) {
    if (exception.value) exception.value = truncate(exception.value, maxLength);
  }
  event.sdk = event.sdk ? { ...sdk, ...event.sdk } : sdk;
}

/**
 * Merges the scopes (lowest priority first: global < isolation < current) into the event, whose own
 * values win, except `level`: as in Sentry, a level set on a scope overrides the captured one. Runs
 * for every event and transaction, so a record only one scope contributes is spread once, not merged.
 * Returns the scopes' event processors; their attachments go to `hint`.
 */
function applyScopes(
  event: Event,
  hint: EventHint,
  scopes: ScopeData[],
  maxBreadcrumbs: number,
): EventProcessor[] {
  for (const key of MERGED_RECORDS) {
    // One fresh copy per record, filled lowest priority first, the event's own values last.
    // Object.assign, not spreads: Node 20 builds `{ ...a, ...b }` on a slow path (~1–2 µs). A
    // `__proto__` key in user data then sets the copy's own prototype, and normalisation drops it.
    let merged: object | undefined;
    for (const data of scopes) if (hasKeys(data[key])) merged = Object.assign(merged ?? {}, data[key]);
    if (merged) event[key] = Object.assign(merged, event[key]) as never;
  }
  const breadcrumbs = [...(event.breadcrumbs ?? [])];
  const attachments: Attachment[] = [];
  const processors: EventProcessor[] = [];
  let fingerprint: string[] = [];
  let transactionName: string | undefined;
  let span: Partial<SpanBase> | undefined;
  for (const data of scopes) {
    if (data.level) event.level = data.level;
    if (data.fingerprint.length) fingerprint = data.fingerprint;
    transactionName = data.transactionName || transactionName;
    span = (data.span as Partial<SpanBase> | undefined) || span;
    breadcrumbs.push(...data.breadcrumbs);
    attachments.push(...data.attachments);
    processors.push(...data.eventProcessors);
  }
  if (attachments.length) hint.attachments = [...attachments, ...(hint.attachments ?? [])];
  if (transactionName && event.type !== 'transaction' && !event.transaction) {
    event.transaction = transactionName;
  }
  if (fingerprint.length) event.fingerprint = [...fingerprint, ...(event.fingerprint ?? [])];
  if (breadcrumbs.length && maxBreadcrumbs > 0) {
    // Scopes hold their own rings; merged, they must read oldest → newest and respect the limit.
    breadcrumbs.sort((a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0));
    event.breadcrumbs = breadcrumbs.slice(-maxBreadcrumbs);
  } else {
    // Not `delete`: that would turn the event into a dictionary-mode object, slower to copy and serialise.
    event.breadcrumbs = undefined;
  }
  // Optional calls: a span handed to `withActiveSpan` may be someone else's Span implementation.
  if (span?.eventTraceContext && event.type !== 'transaction') {
    const transaction = span.eventTransactionName?.();
    if (!event.transaction && transaction) event.transaction = transaction;
    if (!event.contexts?.trace) event.contexts = { ...event.contexts, trace: span.eventTraceContext() };
  }
  if (!event.contexts?.trace) {
    const { traceId, spanId, parentSpanId } = scopes[scopes.length - 1]!.propagationContext;
    // An unset parent stays undefined, which serialisation leaves out.
    const trace = { trace_id: traceId, span_id: spanId, parent_span_id: parentSpanId };
    event.contexts = { ...event.contexts, trace };
  }
  return processors;
}

/** Makes every user-supplied part JSON-safe and within the ingest's limits, in place. */
function normalizeEvent(event: Event, depth: number, maxBreadth: number): Event {
  if (event.tags) event.tags = normalizeTags(event.tags);
  if (event.extra) event.extra = normalizeExtra(event.extra, depth, maxBreadth);
  if (event.user) event.user = normalize(event.user, depth, maxBreadth) as Event['user'];
  if (event.contexts) {
    // `contexts.trace` is built by the SDK from span ids and attributes (primitives by type), and so
    // are transaction `spans`: they are sent as they are. Every other context may come from the app.
    const { trace, ...rest } = event.contexts;
    event.contexts = normalize(rest, depth, maxBreadth) as Contexts;
    if (trace) event.contexts.trace = trace;
  }
  if (event.breadcrumbs) {
    event.breadcrumbs = event.breadcrumbs.map((crumb) =>
      crumb.data
        ? Object.assign({}, crumb, {
            data: normalize(crumb.data, depth, maxBreadth) as Record<string, unknown>,
          })
        : crumb,
    );
  }
  if (event.request) event.request = normalize(event.request, depth + 1, maxBreadth) as Event['request'];
  return event;
}

function normalizeTags(tags: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(tags)) {
    const value = tags[key];
    if (value === undefined) continue;
    out[truncate(key, MAX_TAG_LENGTH)] = truncate(
      typeof value === 'string' ? value : String(normalize(value, 1)),
      MAX_TAG_LENGTH,
    );
  }
  return out;
}

function normalizeExtra(
  extra: Record<string, unknown>,
  depth: number,
  maxBreadth: number,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let total = 0;
  for (const key of Object.keys(extra)) {
    const raw = extra[key];
    let value =
      typeof raw === 'string'
        ? truncateToBytes(raw, MAX_EXTRA_ITEM_BYTES)
        : normalize(raw, depth, maxBreadth);
    let size = jsonByteLength(value);
    if (size > MAX_EXTRA_ITEM_BYTES) {
      value = normalizeToSize(raw, depth, MAX_EXTRA_ITEM_BYTES);
      size = jsonByteLength(value);
    }
    if (total + size > MAX_EXTRA_TOTAL_BYTES) {
      out[key] = '[Truncated: extra data over 256 KB]';
      continue;
    }
    total += size;
    out[key] = value;
  }
  return out;
}

function truncateToBytes(value: string, maxBytes: number): string {
  let out = truncate(value, maxBytes);
  while (jsonByteLength(out) > maxBytes) out = truncate(out, Math.floor(out.length * 0.75));
  return out;
}

function hasKeys(value: object): boolean {
  for (const _ in value) return true;
  return false;
}
