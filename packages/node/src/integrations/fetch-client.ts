/**
 * Outgoing `fetch` (Node's bundled undici) and requests through an installed `undici`: an
 * `http.client` span (only under an active span), trace headers for URLs matching
 * `tracePropagationTargets`, and an `http` breadcrumb, all from undici's diagnostics channels
 * (`undici:request:create` / `:headers` / `:trailers` / `:error`). The SDK's own envelope requests
 * are recognised and left alone.
 */
import { subscribe } from 'node:diagnostics_channel';
import {
  getActiveSpan,
  getClient,
  getIsolationScope,
  type Integration,
  injectTraceHeaders,
  recordBreadcrumb,
  type Scope,
  type Span,
  shouldPropagateTraceTo,
  startInactiveSpan,
  stripUrlQueryAndFragment,
} from '@faultline/core';
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

interface Outgoing {
  span?: Span;
  isolationScope: Scope;
  method: string;
  url: string;
  statusCode?: number;
}

const outgoing = new WeakMap<UndiciRequest, Outgoing>();

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
        const state = outgoing.get(request);
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
    const method = request.method ?? 'GET';
    const cleanUrl = stripUrlQueryAndFragment(url);
    const span = getActiveSpan()
      ? startInactiveSpan({
          name: `${method} ${cleanUrl}`,
          op: 'http.client',
          origin: 'auto.http.node.fetch',
          onlyIfParent: true,
          attributes: { 'http.request.method': method, 'url.full': cleanUrl },
        })
      : undefined;
    outgoing.set(request, { span, isolationScope: getIsolationScope(), method, url: cleanUrl });
    if (shouldPropagateTraceTo(url) && readHeader(request, 'sentry-trace') === undefined) {
      injectTraceHeaders(undiciCarrier(request), { span });
    }
  } catch {
    // Instrumentation must never break the app's request.
  }
}

/**
 * undici only lets headers be added. An app's own `baggage` header stays as it is, and ours goes in a
 * second `baggage` header, which HTTP defines as the same as appending to it (RFC 9110 §5.3) — unless
 * the app already sent `sentry-` entries, in which case we add none.
 */
function undiciCarrier(request: UndiciRequest) {
  return {
    get: (name: string) => (name === 'baggage' ? undefined : readHeader(request, name)),
    set: (name: string, value: string) => {
      if (name === 'baggage' && /(^|,)\s*sentry-/.test(readHeader(request, 'baggage') ?? '')) return;
      request.addHeader(name, value);
    },
  };
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
  if (typeof headers === 'string') {
    const match = new RegExp(`(?:^|\\r\\n)${name}:[ \\t]*([^\\r\\n]*)`, 'i').exec(headers);
    return match?.[1];
  }
  return undefined;
}

function finish(request: UndiciRequest, failed: boolean): void {
  const state = outgoing.get(request);
  if (!state) return;
  outgoing.delete(request);
  const { statusCode } = state;
  if (state.span) {
    if (!failed && statusCode !== undefined) state.span.setHttpStatus(statusCode);
    else state.span.setStatus('internal_error');
    state.span.end();
  }
  if (currentIntegration()?.options.breadcrumbs !== false) {
    recordBreadcrumb(state.isolationScope, {
      type: 'http',
      category: 'fetch',
      level:
        failed || statusCode === undefined || statusCode >= 500
          ? 'error'
          : statusCode >= 400
            ? 'warning'
            : 'info',
      data: {
        method: state.method,
        url: state.url,
        ...(statusCode !== undefined ? { status_code: statusCode } : {}),
      },
    });
  }
}
