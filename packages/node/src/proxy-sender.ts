/**
 * Envelopes through an HTTP proxy, over undici's ProxyAgent: an http ingest gets a plain
 * absolute-form request (what every proxy understands), an https ingest is tunnelled with CONNECT.
 * undici is imported on the first send, and only by processes that send through a proxy.
 */
import { AsyncResource } from 'node:async_hooks';
import type { TransportResponse } from '@faultline/core';
import type { Dispatcher } from 'undici';
import type { DirectSenderOptions, EnvelopeSender } from './direct-sender';

export function createProxySender(target: URL, proxy: string, options: DirectSenderOptions): EnvelopeSender {
  let dispatcher: Promise<Dispatcher> | undefined;
  const path = target.pathname + target.search;
  return {
    // In the sender's (init's) context, not the context of the request whose envelope came first: the
    // agent, its pooled connections and the promise kept of it would otherwise keep that request's
    // scopes (see direct-sender's connect; on Node 20 a promise holds its context too).
    send: AsyncResource.bind(async (body: string | Uint8Array, headers: Record<string, string>) => {
      dispatcher ??= import('undici').then(
        ({ ProxyAgent }) =>
          new ProxyAgent({
            uri: proxy,
            proxyTunnel: target.protocol === 'https:',
            keepAliveTimeout: options.keepAliveTimeout,
            connections: options.maxConnections,
            headersTimeout: options.timeout,
            bodyTimeout: options.timeout,
            connect: { timeout: options.timeout },
            ...(options.caCerts ? { requestTls: { ca: options.caCerts } } : {}),
          }),
      );
      const agent = await dispatcher;
      return dispatch(agent, { origin: target.origin, path, method: 'POST', headers, body });
    }),
    async close() {
      const pending = dispatcher;
      dispatcher = undefined;
      if (pending) await (await pending).destroy().catch(() => undefined);
    },
  };
}

/** One request through undici's low-level `dispatch`: no response stream, no per-request timer. */
function dispatch(agent: Dispatcher, request: Dispatcher.DispatchOptions): Promise<TransportResponse> {
  return new Promise((resolve, reject) => {
    let response: TransportResponse = {};
    agent.dispatch(request, {
      onRequestStart() {},
      onResponseStart(_controller, statusCode, headers) {
        response = {
          statusCode,
          headers: {
            'x-sentry-rate-limits': firstValue(headers['x-sentry-rate-limits']),
            'retry-after': firstValue(headers['retry-after']),
          },
        };
      },
      onResponseData() {},
      onResponseEnd() {
        resolve(response);
      },
      onResponseError(_controller, error) {
        reject(error);
      },
    });
  });
}

function firstValue(value: string | string[] | undefined | null): string | null {
  return (Array.isArray(value) ? value[0] : value) ?? null;
}
