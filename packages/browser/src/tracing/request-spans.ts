/**
 * `http.client` spans for fetch and XHR (children of the active page load or navigation, none
 * outside one), and trace headers on the requests `shouldAttachTraceHeaders` allows, so the
 * backend's transaction becomes a child of the request's span.
 */
import {
  type Client,
  getClient,
  injectTraceHeaders,
  startInactiveSpan,
  stripUrlQueryAndFragment,
} from '@faultline/core';
import { addRequestHandler, type RequestType } from '../instrument/requests';
import { watchOwnTraceHeaders } from '../instrument/xhr';
import { shouldAttachTraceHeaders } from './propagation-targets';

/** `types`: the request types to trace (false for one not to). */
export function instrumentRequests(client: Client, types: Array<RequestType | false>): void {
  watchOwnTraceHeaders();
  addRequestHandler(types, (call) => {
    const { type, method, url, input, init, xhr } = call;
    if (getClient() !== client) return undefined;
    // An unparsable URL throws here: the request goes ahead without a span or trace headers.
    const resolved = new URL(url, globalThis.location?.href);
    const { host, href } = resolved;
    const bareUrl = stripUrlQueryAndFragment(href);
    const span = startInactiveSpan({
      name: `${method} ${bareUrl}`,
      op: 'http.client',
      origin: 'auto.http.browser',
      onlyIfParent: true,
      attributes: { 'http.request.method': method, url: bareUrl, 'server.address': host, type },
    });
    // Never a second `sentry-trace` when the page set one itself.
    const targets = client.getOptions().tracePropagationTargets;
    if (shouldAttachTraceHeaders(resolved, url, targets, globalThis.location?.origin)) {
      const trace = span.isRecording() ? { span } : {};
      if (xhr) {
        if (!call.traced)
          injectTraceHeaders({ set: (name, value) => xhr.setRequestHeader(name, value) }, trace);
      } else {
        const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
        if (!headers.has('sentry-trace'))
          call.init = { ...init, headers: injectTraceHeaders(headers, trace) };
      }
    }
    return (status) => {
      if (status === undefined) span.setStatus('internal_error');
      else span.setHttpStatus(status);
      span.end();
    };
  });
}
