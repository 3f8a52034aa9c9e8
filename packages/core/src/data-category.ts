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
const CATEGORY_BY_ITEM_TYPE: Readonly<Record<string, DataCategory>> = {
  event: 'error',
  unreal_report: 'error',
  sessions: 'session',
  client_report: 'internal',
  user_report: 'default',
  profile_chunk_ui: 'profile_chunk',
  replay_event: 'replay',
  replay_recording: 'replay',
  replay_video: 'replay',
  check_in: 'monitor',
  otel_span: 'span',
  log: 'log_item',
  raw_security: 'security',
  statsd: 'metric_bucket',
  metric_buckets: 'metric_bucket',
};

/** Item types whose category has the same name. */
const SAME_NAME: readonly DataCategory[] = [
  'transaction',
  'attachment',
  'session',
  'feedback',
  'profile',
  'profile_chunk',
  'span',
  'trace_metric',
  'security',
];

export function dataCategoryForItemType(type: string): DataCategory {
  if (Object.hasOwn(CATEGORY_BY_ITEM_TYPE, type)) return CATEGORY_BY_ITEM_TYPE[type];
  return SAME_NAME.includes(type as DataCategory) ? (type as DataCategory) : 'unknown';
}

/**
 * Whether some item type has `category`: the categories a server's rate limit can apply to
 * (`internal`, client reports, is never limited).
 */
export const isItemCategory = (category: string): category is DataCategory =>
  category !== 'internal' &&
  (SAME_NAME.includes(category as DataCategory) ||
    Object.values(CATEGORY_BY_ITEM_TYPE).includes(category as DataCategory));
