/**
 * Incoming HTTP on any node:http/https server, whatever framework sits on top. Node's
 * `http.server.request.start` channel tells us about each server the first time it receives a
 * request; we then wrap that server instance's `emit` once, so each `request` event runs inside its
 * own isolation scope, continues the caller's trace, and (when sampled) gets an `http.server` root
 * span ended when the response closes. The request's own `emit` is wrapped too, so that its body's
 * `data`/`end` listeners, which Node calls from the connection's context, run in the request's
 * scopes. The root span and a slot for the framework's state are written onto the request and
 * response as they arrive (request-slots.ts). Nothing global is patched.
 */
import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import {
  getClient,
  getCurrentScope,
  hasSpansEnabled,
  type Integration,
  matchesAnyPattern,
  propagationContextFromIncoming,
  type Span,
  setActiveSpanSlot,
  startInactiveSpan,
  withIsolationScope,
} from '@faultline/core';
import { currentScopeLayer, emitInCurrentScopesWhenIn } from '../async-context-strategy';
import { captureRequestBody } from '../request-body-capture';
import { arrivedRequest, INCOMING_REQUEST_METADATA_KEY, releaseArrivedRequest } from '../request-data';
import { seedRequestSlots } from '../request-slots';
import { isSdkRequestArrival } from '../sdk-requests';

export interface HttpServerOptions {
  /**
   * Requests that get no isolation scope, trace or span: paths (strings match as substrings,
   * RegExps are tested against the path without query) or a function. Health checks, typically:
   * `ignoreIncomingRequests: ['/health', '/ready']`.
   */
  ignoreIncomingRequests?: Array<string | RegExp> | ((path: string, request: IncomingMessage) => boolean);
}

/**
 * Set on a server once instrumented. A server that sets it itself before its first request opts out
 * (an ingest running in the same process as the SDK, such as the dev server or a test ingest).
 * An unmarked in-process ingest still never sees its SDK's envelope requests traced: they are
 * recognised by path and `Host` (`isSdkRequestArrival`).
 */
const INSTRUMENTED = Symbol.for('faultline.node.httpServerInstrumented');

/** Keeps a server out of the HTTP instrumentation (call before it receives requests). */
export function excludeServerFromInstrumentation(server: Server): void {
  (server as unknown as Record<symbol, boolean>)[INSTRUMENTED] = true;
}

const INTEGRATION_NAME = 'HttpServer';
type HttpServerIntegration = Integration & { options: HttpServerOptions };

/**
 * The channel subscription is process-wide (setupOnce); each request asks the current client for
 * its HttpServer integration, so options follow the latest `init` and removing the integration
 * turns the instrumentation off.
 */
export function httpServerIntegration(options: HttpServerOptions = {}): Integration {
  const integration: HttpServerIntegration = {
    name: INTEGRATION_NAME,
    options,
    setupOnce() {
      subscribe('http.server.request.start', (message) => {
        const { server } = message as { server?: Server };
        if (server) instrumentServer(server);
      });
    },
  };
  return integration;
}

type Emit = (this: Server, event: string | symbol, ...args: unknown[]) => boolean;

function instrumentServer(server: Server): void {
  const target = server as unknown as Record<symbol, boolean>;
  if (target[INSTRUMENTED]) return;
  target[INSTRUMENTED] = true;
  const originalEmit = server.emit as Emit;
  // No rest parameter: every event the server emits (connections, timeouts) passes through here,
  // and only `request` needs more than a call through.
  server.emit = function emit(this: Server, event: string | symbol, request?: unknown, response?: unknown) {
    // biome-ignore lint/complexity/noArguments: forwards any event's arguments without copying them
    if (event !== 'request') return Reflect.apply(originalEmit, this, arguments);
    return emitRequest(this, originalEmit, request as IncomingMessage, response as ServerResponse);
  } as typeof server.emit;
}

function emitRequest(
  server: Server,
  emit: Emit,
  request: IncomingMessage,
  response: ServerResponse,
): boolean {
  const client = getClient();
  const integration = client?.getIntegrationByName<HttpServerIntegration>(INTEGRATION_NAME);
  if (!client || !integration) return emitUntraced(server, emit, request, response);
  const path = pathOf(request.url ?? '/');
  // The SDK's own envelopes, when this server is their ingest, are not traced: each would send one more.
  if (isIgnored(path, request, integration.options) || isSdkRequestArrival(path, request)) {
    return emitUntraced(server, emit, request, response);
  }
  const connectionLayer = currentScopeLayer();
  return withIsolationScope((isolationScope) => {
    emitInCurrentScopesWhenIn(request, connectionLayer);
    const { headers } = request;
    const propagationContext = propagationContextFromIncoming({
      sentryTrace: headers['sentry-trace'],
      baggage: headers.baggage,
      traceparent: headers.traceparent,
    });
    const scope = getCurrentScope();
    isolationScope.setPropagationContext(propagationContext);
    scope.setPropagationContext(propagationContext);
    const method = request.method ?? 'GET';
    isolationScope.setTransactionName(`${method} ${path}`);
    const options = client.getOptions();
    const sendDefaultPii = options.sendDefaultPii === true;
    const arrived = arrivedRequest(request, sendDefaultPii);
    isolationScope.setSdkProcessingMetadata({ [INCOMING_REQUEST_METADATA_KEY]: arrived });
    if (sendDefaultPii) {
      captureRequestBody(request);
      response.once('close', () => releaseArrivedRequest(arrived));
    }
    const span = hasSpansEnabled(options) ? startServerSpan(request, response, method, path) : undefined;
    if (span) setActiveSpanSlot(scope, span);
    seedRequestSlots(request, response, span);
    return emit.call(server, 'request', request, response);
  });
}

/** A request the SDK does not trace still gets its slots, so that frameworks write them quickly. */
function emitUntraced(
  server: Server,
  emit: Emit,
  request: IncomingMessage,
  response: ServerResponse,
): boolean {
  seedRequestSlots(request, response);
  return emit.call(server, 'request', request, response);
}

/** The URL's path: `stripUrlQueryAndFragment` without a regular expression split per request. */
function pathOf(url: string): string {
  const query = url.indexOf('?');
  const fragment = url.indexOf('#');
  const end = query === -1 ? fragment : fragment === -1 ? query : Math.min(query, fragment);
  return end === -1 ? url : url.slice(0, end);
}

function startServerSpan(
  request: IncomingMessage,
  response: ServerResponse,
  method: string,
  path: string,
): Span {
  const encrypted = (request.socket as { encrypted?: boolean } | undefined)?.encrypted === true;
  const span = startInactiveSpan({
    name: `${method} ${path}`,
    op: 'http.server',
    origin: 'auto.http.node.http_server',
    source: 'url',
    parentSpan: null,
    attributes: {
      'http.request.method': method,
      'url.path': path,
      'url.scheme': encrypted ? 'https' : 'http',
      'server.address': request.headers.host,
      'network.protocol.version': request.httpVersion,
    },
  });
  // An unsampled span records nothing and ends as a no-op: no listener for it (most requests at a
  // low sample rate).
  if (span.isRecording()) response.once('close', () => endServerSpan(span, response));
  return span;
}

function endServerSpan(span: Span, response: ServerResponse): void {
  if (response.writableFinished) span.setHttpStatus(response.statusCode);
  else span.setAttribute('http.response.status_code', response.statusCode).setStatus('cancelled');
  span.end();
}

function isIgnored(path: string, request: IncomingMessage, options: HttpServerOptions): boolean {
  const ignore = options.ignoreIncomingRequests;
  if (!ignore) return false;
  if (typeof ignore === 'function') {
    try {
      return ignore(path, request);
    } catch {
      return false;
    }
  }
  return matchesAnyPattern(path, ignore);
}
