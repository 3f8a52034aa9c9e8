/** The JSON API's response shapes (documented in the README). Times are ISO 8601 strings unless named `…Ms`. */

export interface IssueSummary {
  id: number;
  project: string;
  title: string;
  culprit: string | null;
  type: string | null;
  value: string | null;
  level: string | null;
  count: number;
  userCount: number;
  firstSeen: string;
  lastSeen: string;
  lastEventId: string;
  releases: string[];
  environments: string[];
  services: string[];
}

export interface IssueDetail extends IssueSummary {
  /** The grouping components (or fingerprint parts) that define the issue. */
  grouping: string[];
  latestEvent: EventDetail;
}

export interface EventListEntry {
  eventId: string;
  kind: 'error' | 'transaction' | 'spans';
  issueId: number | null;
  title: string;
  culprit: string | null;
  level: string | null;
  timestamp: string;
  release: string | null;
  environment: string | null;
  service: string;
  traceId: string | null;
  spanId: string | null;
  user: string | null;
}

export interface ExceptionView {
  type: string | null;
  value: string | null;
  module: string | null;
  mechanism: Record<string, unknown> | null;
  /** Caller → callee, as sent; the UI shows them innermost first. */
  frames: Array<Record<string, unknown>>;
}

export interface EventDetail extends EventListEntry {
  platform: string | null;
  transaction: string | null;
  received: string;
  tags: Record<string, string>;
  /** Thrown exception last (cause → thrown), as Sentry orders them. */
  exceptions: ExceptionView[];
  message: string | null;
  breadcrumbs: Array<Record<string, unknown>>;
  request: Record<string, unknown> | null;
  contexts: Record<string, unknown>;
  /** The event as stored (the SDK's payload with `event_id` and `timestamp` normalised). */
  event: Record<string, unknown>;
}

export interface TraceSummary {
  traceId: string;
  rootName: string | null;
  rootService: string | null;
  services: string[];
  start: string;
  durationMs: number;
  spanCount: number;
  errorCount: number;
}

export interface TraceError {
  eventId: string;
  issueId: number | null;
  title: string;
  service: string;
  spanId: string | null;
  offsetMs: number;
}

export interface WaterfallSpan {
  spanId: string;
  parentSpanId: string | null;
  /** Nesting level in the waterfall: 0 for roots. */
  depth: number;
  service: string;
  op: string | null;
  description: string | null;
  status: string | null;
  startOffsetMs: number;
  durationMs: number;
  /** The root span of a transaction (a service's entry point). */
  isTransaction: boolean;
  /** The transaction (or span batch) event that carried it. */
  eventId: string;
  /** An error event happened while this span was active. */
  error: boolean;
  errors: TraceError[];
  data: Record<string, unknown> | null;
}

export interface TraceDetail extends TraceSummary {
  /** Unix seconds of the first span: `startOffsetMs` counts from here. */
  startTimestamp: number;
  /** Spans without a parent in this trace, the waterfall's top level. */
  roots: string[];
  /** Depth-first: every parent directly before its children, siblings by start time. */
  spans: WaterfallSpan[];
  errors: TraceError[];
}

export interface Stats {
  events: number;
  errors: number;
  transactions: number;
  spanBatches: number;
  issues: number;
  traces: number;
  spans: number;
  databaseBytes: number;
  /** The SQLite binding in use: better-sqlite3, or Node's built-in one where the addon cannot load. */
  storage: 'better-sqlite3' | 'node:sqlite';
  /** Envelope items received since the server started, by item type (including ones not stored). */
  itemsReceived: Record<string, number>;
  startedAt: string;
}

/** `GET /api/stream` Server-Sent Events: the `event:` name and its JSON `data:`. */
export type LiveMessage =
  | {
      type: 'event';
      data: { eventId: string; kind: EventListEntry['kind']; issueId: number | null; traceId: string | null };
    }
  | { type: 'issue'; data: IssueSummary & { isNew: boolean } }
  | { type: 'trace'; data: TraceSummary };
