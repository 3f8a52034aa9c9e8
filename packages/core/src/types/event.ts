/** Event payload types, as the ingest's schema defines them (PROTOCOL.md §3). */

export type SeverityLevel = 'fatal' | 'error' | 'warning' | 'info' | 'debug';

export interface StackFrame {
  filename?: string;
  function?: string;
  module?: string;
  lineno?: number;
  colno?: number;
  abs_path?: string;
  context_line?: string;
  pre_context?: string[];
  post_context?: string[];
  in_app?: boolean;
  instruction_addr?: string;
  platform?: string;
  vars?: Record<string, unknown>;
}

export interface Stacktrace {
  frames?: StackFrame[];
}

export interface Mechanism {
  type: string;
  handled?: boolean;
  synthetic?: boolean;
  description?: string;
  source?: string;
  exception_id?: number;
  parent_id?: number;
  is_exception_group?: boolean;
  data?: Record<string, string | boolean | number>;
}

export interface Exception {
  type?: string;
  value?: string;
  module?: string;
  mechanism?: Mechanism;
  stacktrace?: Stacktrace;
}

export interface User {
  id?: string | number;
  username?: string;
  email?: string;
  ip_address?: string;
  geo?: { city?: string; country_code?: string; region?: string };
  data?: Record<string, unknown>;
}

export type BreadcrumbType =
  | 'default'
  | 'debug'
  | 'error'
  | 'navigation'
  | 'http'
  | 'info'
  | 'query'
  | 'transaction'
  | 'ui'
  | 'user';

export interface Breadcrumb {
  type?: BreadcrumbType | string;
  level?: SeverityLevel;
  category?: string;
  message?: string;
  data?: Record<string, unknown>;
  /** Unix seconds. */
  timestamp?: number;
}

export interface BreadcrumbHint {
  [key: string]: unknown;
}

export interface RequestData {
  method?: string;
  url?: string;
  query_string?: string | Record<string, string> | Array<[string, string]>;
  data?: unknown;
  cookies?: Record<string, string>;
  headers?: Record<string, string>;
  env?: Record<string, string>;
}

export interface TraceContext {
  trace_id: string;
  span_id: string;
  parent_span_id?: string;
  op?: string;
  status?: string;
  origin?: string;
  data?: Record<string, unknown>;
}

export type Context = Record<string, unknown>;
export interface Contexts {
  trace?: TraceContext;
  [key: string]: Context | TraceContext | undefined;
}

export interface SdkInfo {
  name: string;
  version: string;
  integrations?: string[];
  packages?: Array<{ name: string; version: string }>;
}

export type TransactionSource = 'custom' | 'url' | 'route' | 'view' | 'component' | 'task';

export interface Measurement {
  value: number;
  unit?: string;
}

/** A child span as it rides inside a transaction event. */
export interface SpanJSON {
  span_id: string;
  trace_id: string;
  parent_span_id?: string;
  op?: string;
  description?: string;
  start_timestamp: number;
  timestamp?: number;
  status?: string;
  origin?: string;
  data?: Record<string, unknown>;
  tags?: Record<string, string>;
}

export interface Event {
  event_id?: string;
  type?: 'transaction' | undefined;
  /** Unix seconds (float). */
  timestamp?: number;
  start_timestamp?: number;
  platform?: string;
  level?: SeverityLevel;
  logger?: string;
  transaction?: string;
  transaction_info?: { source: TransactionSource };
  server_name?: string;
  release?: string;
  dist?: string;
  environment?: string;
  message?: string;
  logentry?: { message?: string; params?: unknown[]; formatted?: string };
  tags?: Record<string, string>;
  extra?: Record<string, unknown>;
  user?: User;
  request?: RequestData;
  contexts?: Contexts;
  breadcrumbs?: Breadcrumb[];
  exception?: { values?: Exception[] };
  fingerprint?: string[];
  modules?: Record<string, string>;
  sdk?: SdkInfo;
  spans?: SpanJSON[];
  measurements?: Record<string, Measurement>;
  [key: string]: unknown;
}

/** Extra information handed to capture calls and event processors alongside the event. */
export interface EventHint {
  event_id?: string;
  originalException?: unknown;
  syntheticException?: Error | null;
  mechanism?: Partial<Mechanism>;
  attachments?: Attachment[];
  data?: unknown;
  captureContext?: CaptureContext;
}

export interface Attachment {
  filename: string;
  data: string | Uint8Array;
  contentType?: string;
  attachmentType?: string;
}

export type EventProcessor = (event: Event, hint: EventHint) => Event | null | PromiseLike<Event | null>;

/** Capture-time scope data: merged on top of every scope. */
export interface ScopeContext {
  user?: User;
  level?: SeverityLevel;
  extra?: Record<string, unknown>;
  contexts?: Contexts;
  tags?: Record<string, string | number | boolean>;
  fingerprint?: string[];
}

export type CaptureContext = Partial<ScopeContext>;
