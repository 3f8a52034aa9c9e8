/** What the ingest hands to storage: one row per event, already grouped, labelled and split into spans. */
import type { UserIdentity } from './user-identity';

/** `spans` is a batch of standalone spans (span v2 item), stored like an event so retention covers it. */
export type EventKind = 'error' | 'transaction' | 'spans';

export interface SpanRecord {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  service: string;
  op?: string;
  description?: string;
  status?: string;
  /** Unix seconds. */
  start: number;
  end: number;
  /** The root span of a transaction (a "segment"). */
  isSegment: boolean;
  data?: Record<string, unknown>;
}

export interface IssueKey {
  hash: string;
  components: string[];
  type?: string;
  value?: string;
}

export interface EventRecord {
  eventId: string;
  project: string;
  kind: EventKind;
  /** Present on error events: the issue they group into. */
  issue?: IssueKey;
  traceId?: string;
  spanId?: string;
  /** Unix seconds: when it happened, and when the dev server got it. */
  timestamp: number;
  received: number;
  release?: string;
  environment?: string;
  service: string;
  level?: string;
  platform?: string;
  title: string;
  culprit?: string;
  transaction?: string;
  user?: UserIdentity;
  /** The event JSON as stored and served back. */
  payload: string;
  spans: SpanRecord[];
}
