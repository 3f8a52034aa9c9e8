/**
 * `http.client` spans for fetch and XHR (children of the active page load or navigation, none
 * outside one), and trace headers on the requests `shouldAttachTraceHeaders` allows, so the
 * backend's transaction becomes a child of the request's span.
 */
import {
  type Client,
  envelopeEndpoint,
  getClient,
  injectTraceHeaders,
  type Span,
  startInactiveSpan,
  stripUrlQueryAndFragment,
} from '@faultline/core';
import { addFetchHandler } from '../instrument/fetch';
import { addXhrHandler } from '../instrument/xhr';
import { shouldAttachTraceHeaders } from './propagation-targets';

export interface RequestSpanOptions {
  traceFetch: boolean;
  traceXHR: boolean;
}

export function instrumentRequests(client: Client, options: RequestSpanOptions): void {
  const key = {};
  if (options.traceFetch) {
    addFetchHandler({
      start(call) {
        const span = startRequestSpan(client, call.method, call.url, 'fetch');
        if (!span) return;
        call.state.set(key, span);
        if (!shouldAttach(client, call.url)) return;
        const [input, init] = call.args;
        const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
        if (headers.has('sentry-trace')) return;
        injectTraceHeaders(headers, span.isRecording() ? { span } : {});
        call.args = [input, { ...init, headers }];
      },
      end(call) {
        const span = call.state.get(key) as Span | undefined;
        if (!span) return;
        if (call.response) span.setHttpStatus(call.response.status);
        else span.setStatus('internal_error');
        span.end(call.endTime);
      },
    });
  }
  if (options.traceXHR) {
    addXhrHandler({
      start(call) {
        const span = startRequestSpan(client, call.method, call.url, 'xhr');
        if (!span) return;
        call.state.set(key, span);
        if (!shouldAttach(client, call.url) || call.headerNames.has('sentry-trace')) return;
        const headers = injectTraceHeaders({} as Record<string, string>, span.isRecording() ? { span } : {});
        for (const [name, value] of Object.entries(headers)) call.xhr.setRequestHeader(name, value);
      },
      end(call) {
        const span = call.state.get(key) as Span | undefined;
        if (!span) return;
        if (call.status) span.setHttpStatus(call.status);
        else span.setStatus('internal_error');
        span.end(call.endTime);
      },
    });
  }
}

function startRequestSpan(client: Client, method: string, url: string, type: string): Span | undefined {
  if (getClient() !== client) return undefined;
  const dsn = client.getDsn();
  const full = resolveUrl(url);
  if (!full || (dsn && full.startsWith(envelopeEndpoint(dsn)))) return undefined;
  const { host } = new URL(full);
  const bareUrl = stripUrlQueryAndFragment(full);
  return startInactiveSpan({
    name: `${method} ${bareUrl}`,
    op: 'http.client',
    origin: 'auto.http.browser',
    onlyIfParent: true,
    attributes: { 'http.request.method': method, url: bareUrl, 'server.address': host, type },
  });
}

function shouldAttach(client: Client, url: string): boolean {
  return shouldAttachTraceHeaders(
    url,
    client.getOptions().tracePropagationTargets,
    globalThis.location?.href,
  );
}

function resolveUrl(url: string): string | undefined {
  try {
    return new URL(url, globalThis.location?.href).href;
  } catch {
    return undefined;
  }
}
