/** Client options (PROTOCOL.md §8). Runtime packages extend these. */
import type { Breadcrumb, BreadcrumbHint, Event, EventHint } from './event';
import type { Integration } from './integration';
import type { StackParser } from './stacktrace';
import type { Transport, TransportOptions } from './transport';

export interface SamplingContext {
  name: string;
  /** The decision of the parent span or the incoming trace, if any. */
  parentSampled?: boolean;
  /** The rate the parent used, from the incoming DSC, if any. */
  parentSampleRate?: number;
  attributes?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface Options {
  /** Where to send data. Missing or empty: the SDK is disabled and sends nothing. */
  dsn?: string;
  /** Disables the SDK entirely when false. */
  enabled?: boolean;
  debug?: boolean;
  release?: string;
  dist?: string;
  /** Default `production`. */
  environment?: string;
  serverName?: string;
  /** Error event sample rate in [0,1]; default 1. Never applies to transactions. */
  sampleRate?: number;
  tracesSampleRate?: number;
  tracesSampler?: (context: SamplingContext) => number | boolean;
  tracePropagationTargets?: Array<string | RegExp>;
  propagateTraceparent?: boolean;
  strictTraceContinuation?: boolean;
  orgId?: string | number;
  maxBreadcrumbs?: number;
  /** Strings longer than this are truncated in event messages and exception values (default 250). */
  maxValueLength?: number;
  /** How deep `normalize` walks extra, contexts and breadcrumbs data (default 3). */
  normalizeDepth?: number;
  /** How many properties per object `normalize` keeps (default 1000). */
  normalizeMaxBreadth?: number;
  /** Default false: no cookies, IPs, authorization headers, request bodies or users sent automatically. */
  sendDefaultPii?: boolean;
  sendClientReports?: boolean;
  attachStacktrace?: boolean;
  ignoreErrors?: Array<string | RegExp>;
  ignoreTransactions?: Array<string | RegExp>;
  denyUrls?: Array<string | RegExp>;
  allowUrls?: Array<string | RegExp>;
  beforeSend?: (event: Event, hint: EventHint) => Event | null | PromiseLike<Event | null>;
  beforeSendTransaction?: (event: Event, hint: EventHint) => Event | null | PromiseLike<Event | null>;
  beforeBreadcrumb?: (breadcrumb: Breadcrumb, hint?: BreadcrumbHint) => Breadcrumb | null;
  /** Extra integrations, or a function given the defaults that returns the final list. */
  integrations?: Integration[] | ((defaults: Integration[]) => Integration[]);
  /** Set to false to drop every default integration. */
  defaultIntegrations?: Integration[] | false;
  transport?: (options: TransportOptions) => Transport;
  transportOptions?: Partial<TransportOptions>;
  stackParser?: StackParser;
  /** Frames whose filename contains one of these are marked in-app (wins over the runtime's rule). */
  inAppInclude?: string[];
  inAppExclude?: string[];
  /** Milliseconds `close()` waits by default. */
  shutdownTimeout?: number;
  initialScope?: import('./event').CaptureContext;
  _metadata?: { sdk?: import('./event').SdkInfo };
}
