export type {
  EventDetail,
  EventListEntry,
  ExceptionView,
  IssueDetail,
  IssueSummary,
  LiveMessage,
  Stats,
  TraceDetail,
  TraceError,
  TraceSummary,
  WaterfallSpan,
} from './api-types';
export { type DevServer, type DevServerOptions, startDevServer } from './dev-server';
export { DEFAULT_INGEST_LIMITS, type IngestLimits } from './limits';
export { DEFAULT_RETENTION, type RetentionOptions } from './storage/retention';
export type { SearchResult } from './storage/search';
