/**
 * What the http and fetch client instrumentations share: the `http.client` span of an outgoing
 * request (only under a recording span) and, when it finishes, the span's status and an `http`
 * breadcrumb on the isolation scope the request started in.
 */
import {
  getActiveSpan,
  getIsolationScope,
  recordBreadcrumb,
  recordsChildren,
  type Scope,
  type Span,
  startInactiveSpan,
  stripUrlQueryAndFragment,
} from '@faultline/core';

export interface OutgoingRequest {
  span?: Span;
  isolationScope: Scope;
  method: string;
  /** Without query or fragment. */
  url: string;
}

/**
 * Where an instrumented request keeps its state: on the client's own request object (undici's request,
 * node:http's `ClientRequest`), under a `Symbol.for` key. A WeakMap entry per request cost ~0.8 µs of
 * scavenger work (request-slots.ts says why).
 */
const OUTGOING_STATE = Symbol.for('faultline.node.outgoingRequest');

export function getOutgoingState<T extends OutgoingRequest>(request: object): T | undefined {
  return (request as Record<symbol, unknown>)[OUTGOING_STATE] as T | undefined;
}

export function setOutgoingState(request: object, state: OutgoingRequest | undefined): void {
  (request as Record<symbol, unknown>)[OUTGOING_STATE] = state;
}

export function startOutgoingRequest(method: string, url: string, origin: string): OutgoingRequest {
  const cleanUrl = stripUrlQueryAndFragment(url);
  const parent = getActiveSpan();
  // Under a non-recording parent (an unsampled request) the span would record nothing: none is made,
  // and the trace headers carry the parent's id.
  const span =
    parent && recordsChildren(parent)
      ? startInactiveSpan({
          name: `${method} ${cleanUrl}`,
          op: 'http.client',
          origin,
          attributes: { 'http.request.method': method, 'url.full': cleanUrl },
        })
      : undefined;
  return { span, isolationScope: getIsolationScope(), method, url: cleanUrl };
}

/** `statusCode` undefined means the request failed before a response. */
export function finishOutgoingRequest(
  request: OutgoingRequest,
  statusCode: number | undefined,
  breadcrumbCategory: string | false,
): void {
  if (request.span) {
    if (statusCode !== undefined) request.span.setHttpStatus(statusCode);
    else request.span.setStatus('internal_error');
    request.span.end();
  }
  if (breadcrumbCategory === false) return;
  // A plain literal then an added key: a spread in the literal takes V8's slow path (~1 µs on Node 20).
  const data: Record<string, unknown> = { method: request.method, url: request.url };
  if (statusCode !== undefined) data.status_code = statusCode;
  recordBreadcrumb(request.isolationScope, {
    type: 'http',
    category: breadcrumbCategory,
    level: statusCode === undefined || statusCode >= 500 ? 'error' : statusCode >= 400 ? 'warning' : 'info',
    data,
  });
}
