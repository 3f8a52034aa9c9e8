/**
 * Envelopes straight to the ingest over node:http/https with one keep-alive agent. Chosen over undici
 * for direct sends: every HTTP server app has node:http loaded already, whereas importing undici and
 * compiling its llhttp WebAssembly added ~25 MB of RSS to a process (bench/http, Express 5), for
 * about 35 µs less CPU per envelope. Idle sockets are unreferenced by the agent, so they never keep
 * the process alive; a request in flight does, for at most `timeout` ms of socket inactivity.
 */
import type { Agent, ClientRequest, IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { TransportResponse } from '@faultline/core';

export interface EnvelopeSender {
  send(body: string | Uint8Array, headers: Record<string, string>): Promise<TransportResponse>;
  /** Aborts requests in flight and closes the connections. */
  close(): Promise<void>;
}

type HttpModule = typeof import('node:http');

export function createDirectSender(
  target: URL,
  options: { maxConnections: number; keepAliveTimeout: number; timeout: number },
): EnvelopeSender {
  let module: HttpModule | undefined;
  let agent: Agent | undefined;
  const inFlight = new Set<ClientRequest>();
  const requestOptions = {
    protocol: target.protocol,
    hostname: target.hostname.replace(/^\[|\]$/g, ''),
    port: target.port || undefined,
    path: target.pathname + target.search,
    method: 'POST',
  };

  return {
    send(body, headers) {
      // process.getBuiltinModule, not an ESM import: on Node 22+ building node:http's ESM facade
      // loads Node's internal undici at start-up, and the module is needed from the first send only.
      module ??= process.getBuiltinModule(
        target.protocol === 'https:' ? 'node:https' : 'node:http',
      ) as HttpModule;
      const http = module;
      agent ??= new http.Agent({
        keepAlive: true,
        maxSockets: options.maxConnections,
        // For sockets the agent keeps: how long an idle one stays open for reuse.
        timeout: options.keepAliveTimeout,
        scheduling: 'lifo',
      });
      const withLength: OutgoingHttpHeaders = Object.assign({}, headers);
      withLength['content-length'] = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
      return new Promise((resolve, reject) => {
        // ClientRequest directly, not module.request: on Node 20 the SDK's own outgoing-request
        // wrapper sits on `request`, and these requests are never to be instrumented.
        const request = new http.ClientRequest(
          Object.assign({ agent, headers: withLength }, requestOptions),
          (response) => onResponse(response, resolve, reject),
        );
        inFlight.add(request);
        request.once('close', () => inFlight.delete(request));
        request.once('error', reject);
        request.setTimeout(options.timeout, () =>
          request.destroy(new Error('The ingest did not answer in time.')),
        );
        request.end(body);
      });
    },
    async close() {
      for (const request of inFlight) request.destroy(new Error('The transport was closed.'));
      inFlight.clear();
      agent?.destroy();
      agent = undefined;
    },
  };
}

function onResponse(
  response: IncomingMessage,
  resolve: (response: TransportResponse) => void,
  reject: (error: Error) => void,
): void {
  const { headers } = response;
  const result: TransportResponse = {
    statusCode: response.statusCode,
    headers: {
      'x-sentry-rate-limits': firstValue(headers['x-sentry-rate-limits']),
      'retry-after': firstValue(headers['retry-after']),
    },
  };
  response.once('error', reject);
  response.once('end', () => resolve(result));
  // The body (`{}` or an error text) is not needed; reading it to the end frees the socket.
  response.resume();
}

export function firstValue(value: string | string[] | undefined | null): string | null {
  return (Array.isArray(value) ? value[0] : value) ?? null;
}
