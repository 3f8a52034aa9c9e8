/**
 * The Node transport: envelopes plugged into core's `createTransport` (queue, rate limits, client
 * reports), sent straight to the ingest over keep-alive HTTP/1.1 connections (`direct-sender.ts`),
 * or through a proxy over undici. Nothing is loaded or connected before the first send: processes that never
 * report anything never pay for it.
 */
import {
  createTransport,
  debug,
  envelopeParts,
  SDK_VERSION,
  type Transport,
  type TransportOptions,
} from '@faultline/core';
import { createDirectSender, type EnvelopeSender } from './direct-sender';
import { encodedBody } from './encoded-body';
import { zlib } from './lazy-builtins';
import { createPayloadStringifier } from './payload-json';
import { proxyForUrl } from './proxy-from-env';
import { createProxySender } from './proxy-sender';
import { registerSdkEndpoint } from './sdk-requests';
export interface NodeTransportOptions extends TransportOptions {
  /** Milliseconds before a request is aborted and counted as a network error (default 30 s). */
  timeout?: number;
  /** Bodies larger than this many bytes are sent gzipped (default 32 KiB). */
  compressionThreshold?: number;
  /**
   * Proxy URL for the ingest. Default: from `HTTPS_PROXY`/`HTTP_PROXY`, unless `NO_PROXY` excludes the
   * ingest's host. `false` never uses a proxy.
   */
  proxy?: string | false;
  /** Milliseconds an idle connection stays open for reuse (default 30 s). */
  keepAliveTimeout?: number;
  /**
   * Certificate authorities (PEM) trusted for an https ingest instead of Node's defaults: a
   * self-hosted ingest behind a private CA. `NODE_EXTRA_CA_CERTS` works too.
   */
  caCerts?: string | Buffer | Array<string | Buffer>;
}

export interface NodeTransport extends Transport {
  /** Aborts requests still in flight and closes the connections. Later sends count as network errors. */
  close(): Promise<void>;
}

export const USER_AGENT = `faultline.javascript.node/${SDK_VERSION}`;
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_COMPRESSION_THRESHOLD = 32 * 1024;
const DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 30_000;
/**
 * Connections per ingest: as many as core's transport lets envelopes be in flight (its queue of 64).
 * HTTP/1.1 sends one request per connection at a time, so fewer cap delivery below what the queue
 * admits: at tracing 1.0 on a saturated Express 5 app (bench/http/compare-builds.mjs, 2 cores),
 * 16 delivered 43% of transactions (the rest dropped as queue_overflow), 32 delivered 80%, 64 all.
 */
const MAX_CONNECTIONS = 64;

export function makeNodeTransport(options: NodeTransportOptions): NodeTransport {
  const target = new URL(options.url);
  registerSdkEndpoint(target);
  const threshold = options.compressionThreshold ?? DEFAULT_COMPRESSION_THRESHOLD;
  const proxy = validProxy(options.proxy === false ? undefined : (options.proxy ?? proxyForUrl(target)));
  const connection = {
    maxConnections: MAX_CONNECTIONS,
    keepAliveTimeout: options.keepAliveTimeout ?? DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
    timeout: options.timeout ?? DEFAULT_TIMEOUT_MS,
    caCerts: options.caCerts,
  };
  const sender: EnvelopeSender = proxy
    ? createProxySender(target, proxy, connection)
    : createDirectSender(target, connection);
  const baseHeaders: Record<string, string> = {
    'content-type': 'application/x-sentry-envelope',
    'user-agent': USER_AGENT,
    ...lowerCaseKeys(options.headers),
  };
  const compressedHeaders = { ...baseHeaders, 'content-encoding': 'gzip' };
  const stringifyPayload = createPayloadStringifier();
  let closed = false;

  // Not an async function: one returning the sender's promise resolves with a promise, two more
  // promises and microtasks per envelope. Bytes: the serialiser below always encodes.
  const transport = createTransport<Uint8Array>(
    options,
    ({ body }) => {
      if (closed) return Promise.reject(new Error('The transport is closed.'));
      if (body.length <= threshold) return sender.send(body, baseHeaders);
      return gzipped(body).then((compressed) => sender.send(compressed, compressedHeaders));
    },
    (envelope) => encodedBody(envelopeParts(envelope, stringifyPayload)),
  );

  return {
    ...transport,
    async close() {
      closed = true;
      await sender.close();
    },
  };
}

function gzipped(body: Uint8Array): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    zlib().gzip(body, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

function validProxy(proxy: string | undefined): string | undefined {
  if (proxy === undefined || URL.canParse(proxy)) return proxy;
  debug.warnOnce(`Ignoring the proxy "${proxy}": it is not a valid URL.`);
  return undefined;
}

function lowerCaseKeys(headers: Record<string, string> | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers ?? {})) result[key.toLowerCase()] = value;
  return result;
}
