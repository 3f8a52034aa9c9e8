/** Envelope types (PROTOCOL.md §2). */
import type { DataCategory } from './data-category';
import type { SdkInfo } from './event';

/** The Dynamic Sampling Context: `sentry-` baggage keys without the prefix; values are strings. */
export interface DynamicSamplingContext {
  trace_id: string;
  public_key: string;
  sample_rate?: string;
  sample_rand?: string;
  sampled?: string;
  release?: string;
  environment?: string;
  transaction?: string;
  org_id?: string;
  replay_id?: string;
  [key: string]: string | undefined;
}

export interface EnvelopeHeaders {
  event_id?: string;
  dsn?: string;
  sdk?: Pick<SdkInfo, 'name' | 'version'>;
  sent_at?: string;
  trace?: DynamicSamplingContext;
  [key: string]: unknown;
}

export interface EnvelopeItemHeaders {
  type: string;
  length?: number;
  content_type?: string;
  filename?: string;
  attachment_type?: string;
  item_count?: number;
  [key: string]: unknown;
}

/**
 * One item. `payload` is a JSON value (serialised as one line), a string (written as UTF-8) or
 * raw bytes (written as is). Parsed items always carry raw bytes in `payload`.
 */
export interface EnvelopeItem {
  headers: EnvelopeItemHeaders;
  payload: unknown;
}

export interface Envelope {
  headers: EnvelopeHeaders;
  items: EnvelopeItem[];
}

export interface ClientReport {
  timestamp: number;
  discarded_events: DiscardedEvent[];
}

export interface DiscardedEvent {
  reason: DiscardReason;
  category: DataCategory;
  quantity: number;
}

export type DiscardReason =
  | 'queue_overflow'
  | 'cache_overflow'
  | 'ratelimit_backoff'
  | 'network_error'
  | 'sample_rate'
  | 'before_send'
  | 'event_processor'
  | 'send_error'
  | 'internal_sdk_error'
  | 'insufficient_data'
  | 'backpressure'
  | 'buffer_overflow'
  | 'ignored'
  | 'invalid';
