/**
 * Outgoing `fetch` (Node's bundled undici) and requests through an installed `undici`: an
 * `http.client` span (only under an active span), trace headers for URLs matching
 * `tracePropagationTargets`, and an `http` breadcrumb, all from undici's diagnostics channels
 * (`undici:request:create` / `:headers` / `:trailers` / `:error`). The SDK's own envelope requests
 * are recognised and left alone.
 */
import { subscribe } from 'node:diagnostics_channel';
import {
  getClient,
  getTraceData,
  type Integration,
  type Span,
  shouldPropagateTraceTo,
} from '@faultline/core';
import {
  finishOutgoingRequest,
  getOutgoingState,
  type OutgoingRequest,
  setOutgoingState,
  startOutgoingRequest,
} from '../outgoing-request';
import { isSdkRequest } from '../sdk-requests';

export interface FetchClientOptions {
  /** Add `http` breadcrumbs for outgoing fetches (default true). */
  breadcrumbs?: boolean;
}

/** The parts of undici's request object the channels hand out that we use. */
interface UndiciRequest {
  origin?: string | URL;
  path?: string;
  method?: string;
  headers?: string | string[];
  addHeader(name: string, value: string): unknown;
}

interface Outgoing extends OutgoingRequest {
  statusCode?: number;
}

const INTEGRATION_NAME = 'FetchClient';
type FetchClientIntegration = Integration & { options: FetchClientOptions };

/** Process-wide channel subscriptions; each request asks the current client whether and how to instrument. */
export function fetchClientIntegration(options: FetchClientOptions = {}): Integration {
  const integration: FetchClientIntegration = {
    name: INTEGRATION_NAME,
    options,
    setupOnce() {
      subscribe('undici:request:create', (message) =>
        onCreate((message as { request: UndiciRequest }).request),
      );
      subscribe('undici:request:headers', (message) => {
        const { request, response } = message as { request: UndiciRequest; response: { statusCode: number } };
        const state = getOutgoingState<Outgoing>(request);
        if (state) state.statusCode = response.statusCode;
      });
      subscribe('undici:request:trailers', (message) =>
        finish((message as { request: UndiciRequest }).request, false),
      );
      subscribe('undici:request:error', (message) =>
        finish((message as { request: UndiciRequest }).request, true),
      );
    },
  };
  return integration;
}

function currentIntegration(): FetchClientIntegration | undefined {
  return getClient()?.getIntegrationByName<FetchClientIntegration>(INTEGRATION_NAME);
}

function requestUrl(request: UndiciRequest): string {
  const path = request.path ?? '/';
  // Through a proxy undici's path is already the absolute target URL.
  return /^https?:\/\//i.test(path) ? path : `${String(request.origin ?? '')}${path}`;
}

function onCreate(request: UndiciRequest): void {
  try {
    if (!currentIntegration() || isSdkRequest({ origin: request.origin, path: request.path })) return;
    const url = requestUrl(request);
    const state: Outgoing = startOutgoingRequest(request.method ?? 'GET', url, 'auto.http.node.fetch');
    setOutgoingState(request, state);
    if (shouldPropagateTraceTo(url) && readHeader(request, 'sentry-trace') === undefined) {
      addTraceHeaders(request, state.span);
    }
  } catch {
    // Instrumentation must never break the app's request.
  }
}

/**
 * undici only lets headers be added. An app's own `baggage` header stays as it is, and ours goes in a
 * second `baggage` header, which HTTP defines as the same as appending to it (RFC 9110 §5.3) — unless
 * the app already sent `sentry-` entries, in which case we add none. Written straight onto the request,
 * not through a carrier for `injectTraceHeaders`: no carrier object and closures per fetch.
 */
function addTraceHeaders(request: UndiciRequest, span: Span | undefined): void {
  const { 'sentry-trace': sentryTrace, baggage, traceparent } = getTraceData({ span });
  if (sentryTrace) request.addHeader('sentry-trace', sentryTrace);
  if (baggage && !/(^|,)\s*sentry-/.test(readHeader(request, 'baggage') ?? ''))
    request.addHeader('baggage', baggage);
  if (traceparent) request.addHeader('traceparent', traceparent);
}

function readHeader(request: UndiciRequest, name: string): string | undefined {
  const { headers } = request;
  if (Array.isArray(headers)) {
    const values: string[] = [];
    for (let i = 0; i + 1 < headers.length; i += 2) {
      if (String(headers[i]).toLowerCase() === name) values.push(String(headers[i + 1]));
    }
    return values.length ? values.join(',') : undefined;
  }
  if (typeof headers === 'string') return headerPattern(name).exec(headers)?.[1];
  return undefined;
}

/** Only the SDK's few fixed header names are looked up, so one pattern each is kept. */
const headerPatterns = new Map<string, RegExp>();

function headerPattern(name: string): RegExp {
  let pattern = headerPatterns.get(name);
  if (!pattern) {
    pattern = new RegExp(`(?:^|\\r\\n)${name}:[ \\t]*([^\\r\\n]*)`, 'i');
    headerPatterns.set(name, pattern);
  }
  return pattern;
}

function finish(request: UndiciRequest, failed: boolean): void {
  const state = getOutgoingState<Outgoing>(request);
  if (!state) return;
  setOutgoingState(request, undefined);
  const breadcrumbs = currentIntegration()?.options.breadcrumbs !== false;
  finishOutgoingRequest(state, failed ? undefined : state.statusCode, breadcrumbs && 'fetch');
}
