import type { DataCategory } from './types/data-category';

/**
 * Envelope item type → rate-limit data category (PROTOCOL.md §5).
 *
 * Starts from `@sentry/core`'s `ITEM_TYPE_TO_DATA_CATEGORY_MAP` (`envelopeItemTypeToDataCategory`), which
 * maps `user_report` to `default` and `client_report` to `internal`. Where the JS SDK and Relay disagree we
 * follow Relay (`Item::quantities`, relay-server/src/envelope/item.rs), because Relay is the one that emits
 * `X-Sentry-Rate-Limits`: `profile_chunk` (+ its `profile_chunk_ui` alias) → `profile_chunk` and
 * `trace_metric` → `trace_metric` (JS: `profile` and `metric`). Relay-only item types that an SDK could still
 * send keep Relay's category (`replay_video` → replay, `otel_span` → span, `unreal_report` → error,
 * `security` → security). Metric items (`statsd`, `metric_buckets`) use `metric_bucket` as the JS SDK did.
 */
const CATEGORY_BY_ITEM_TYPE: ReadonlyMap<string, DataCategory> = new Map<string, DataCategory>([
  ['event', 'error'],
  ['unreal_report', 'error'],
  ['transaction', 'transaction'],
  ['attachment', 'attachment'],
  ['session', 'session'],
  ['sessions', 'session'],
  ['client_report', 'internal'],
  ['user_report', 'default'],
  ['feedback', 'feedback'],
  ['profile', 'profile'],
  ['profile_chunk', 'profile_chunk'],
  ['profile_chunk_ui', 'profile_chunk'],
  ['replay_event', 'replay'],
  ['replay_recording', 'replay'],
  ['replay_video', 'replay'],
  ['check_in', 'monitor'],
  ['span', 'span'],
  ['otel_span', 'span'],
  ['log', 'log_item'],
  ['trace_metric', 'trace_metric'],
  ['raw_security', 'security'],
  ['security', 'security'],
  ['statsd', 'metric_bucket'],
  ['metric_buckets', 'metric_bucket'],
]);

export function dataCategoryForItemType(type: string): DataCategory {
  return CATEGORY_BY_ITEM_TYPE.get(type) ?? 'unknown';
}
