/**
 * Outgoing node:http/https requests: an `http.client` span (only under an active span), trace
 * headers for URLs matching `tracePropagationTargets`, and an `http` breadcrumb, from Node's
 * diagnostics channels. Trace headers must be set before the request's header block is written:
 * - Node ≥ 22.12 publishes `http.client.request.created` while headers are still open: we use it.
 * - Earlier versions publish only `http.client.request.start`, after the header block is already in
 *   the socket's buffer. There `before-header-block.ts` runs the same handler just before the block
 *   is written, and `http.client.request.start` picks up the few requests that wrote theirs in the
 *   constructor (span and breadcrumb, no headers).
 */
import { subscribe } from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { getClient, type Integration, injectTraceHeaders, shouldPropagateTraceTo } from '@faultline/core';
import {
  finishOutgoingRequest,
  getOutgoingState,
  type OutgoingRequest,
  setOutgoingState,
  startOutgoingRequest,
} from '../outgoing-request';
import { isSdkRequest } from '../sdk-requests';
import { beforeHeaderBlock } from './before-header-block';

export interface HttpClientOptions {
  /** Add `http` breadcrumbs for outgoing requests (default true). */
  breadcrumbs?: boolean;
}

interface Outgoing extends OutgoingRequest {
  ended: boolean;
}

const INTEGRATION_NAME = 'HttpClient';

export function httpClientIntegration(options: HttpClientOptions = {}): Integration {
  return {
    name: INTEGRATION_NAME,
    options,
    setupOnce() {
      if (hasCreatedChannel()) {
        subscribe('http.client.request.created', (message) =>
          instrument((message as { request: ClientRequest }).request),
        );
      } else {
        beforeHeaderBlock(instrument);
        subscribe('http.client.request.start', (message) =>
          instrument((message as { request: ClientRequest }).request),
        );
      }
      subscribe('http.client.response.finish', (message) => {
        const { request, response } = message as { request: ClientRequest; response: IncomingMessage };
        finish(request, response.statusCode);
      });
      subscribe('http.client.request.error', (message) =>
        finish((message as { request: ClientRequest }).request, undefined),
      );
    },
  } as Integration & { options: HttpClientOptions };
}

/** `http.client.request.created` exists from Node 22.12 / 23.2 on. */
function hasCreatedChannel(): boolean {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  return major > 23 || (major === 23 && minor >= 2) || (major === 22 && minor >= 12);
}

function requestUrl(request: ClientRequest): string {
  const host = request.getHeader('host') ?? hostInHeaderBlock(request) ?? request.host;
  return `${request.protocol}//${String(host)}${request.path}`;
}

/**
 * A request given its headers as an array keeps them out of `getHeader()` and writes them straight
 * into its header block; Node stores no port of its own, so the Host line there is the only one.
 */
function hostInHeaderBlock(request: ClientRequest): string | undefined {
  const block = (request as { _header?: unknown })._header;
  return typeof block === 'string' ? /\r\nhost:[ \t]*([^\r\n]*)/i.exec(block)?.[1] : undefined;
}

/** Tracks a request once, and adds the trace headers while it still can. */
function instrument(request: ClientRequest): void {
  if (getOutgoingState(request)) return;
  const state = track(requestUrl(request), request.method ?? 'GET');
  if (!state) return;
  attach(request, state.outgoing);
  try {
    if (state.propagate && !request.headersSent && request.getHeader('sentry-trace') === undefined) {
      injectTraceHeaders(
        {
          get: (name: string) => request.getHeader(name),
          set: (name: string, value: string) => request.setHeader(name, value),
        },
        { span: state.outgoing.span },
      );
    }
  } catch {
    // Instrumentation must never break the app's request.
  }
}

/** Starts tracking a request unless it is the SDK's own or the integration is off for this client. */
function track(url: string, method: string): { outgoing: Outgoing; propagate: boolean } | undefined {
  try {
    if (!getClient()?.getIntegrationByName(INTEGRATION_NAME) || isSdkRequest(url)) return undefined;
    const outgoing = startOutgoingRequest(method, url, 'auto.http.node.http_client') as Outgoing;
    // Added to the literal, not spread into a new one: V8's spread-then-add path costs ~1 µs on Node 20.
    outgoing.ended = false;
    return { outgoing, propagate: shouldPropagateTraceTo(url) };
  } catch {
    // Instrumentation must never break the app's request.
    return undefined;
  }
}

function attach(request: ClientRequest, state: Outgoing): void {
  setOutgoingState(request, state);
  // Not every Node version publishes finish or error for a request aborted before its response.
  request.once('close', () => {
    const response = (request as { res?: IncomingMessage }).res;
    finish(request, response?.complete ? response.statusCode : undefined);
  });
}

function finish(request: ClientRequest, statusCode: number | undefined): void {
  const state = getOutgoingState<Outgoing>(request);
  if (!state || state.ended) return;
  state.ended = true;
  const integration = getClient()?.getIntegrationByName<Integration & { options?: HttpClientOptions }>(
    INTEGRATION_NAME,
  );
  finishOutgoingRequest(state, statusCode, integration?.options?.breadcrumbs !== false && 'http');
}
