/**
 * Envelopes straight to the ingest: a pool of keep-alive HTTP/1.1 connections over node:net/tls,
 * each request written in one piece from a request head prepared once per set of headers.
 *
 * Why not node:http's client: per envelope it cost ~55 µs CPU against ~18 µs for this (3 KB bodies
 * to a loopback server, 8 in flight), plus its ClientRequest/IncomingMessage/Agent garbage, and a
 * traced app sends one envelope per transaction. Why not undici: loading it and compiling its
 * llhttp WebAssembly added ~25 MB of RSS to a process (bench/http, Express 5). The ingest's answers
 * need little of HTTP: a status, two headers and a body to skip (`http-response-reader.ts`).
 */
import { AsyncResource } from 'node:async_hooks';
import type { Socket } from 'node:net';
import type { TransportResponse } from '@faultline/core';
import { debug } from '@faultline/core';
import type { IngestResponse } from './http-response-reader';
import { type ConnectionTimeouts, IngestConnection } from './ingest-connection';
import { net, tls } from './lazy-builtins';

export interface EnvelopeSender {
  send(body: string | Uint8Array, headers: Record<string, string>): Promise<TransportResponse>;
  /** Aborts requests in flight and closes the connections. */
  close(): Promise<void>;
}

interface PendingRequest {
  head: string;
  body: string | Uint8Array;
  retried: boolean;
  resolve(response: TransportResponse): void;
  reject(error: Error): void;
}

export interface DirectSenderOptions extends ConnectionTimeouts {
  maxConnections: number;
  /** Certificate authorities for an https ingest, replacing Node's defaults. */
  caCerts?: string | Buffer | Array<string | Buffer>;
}

export function createDirectSender(target: URL, options: DirectSenderOptions): EnvelopeSender {
  const idle: IngestConnection[] = [];
  const open = new Set<IngestConnection>();
  const waiting: PendingRequest[] = [];
  const heads = new WeakMap<Record<string, string>, string>();
  const requestLine = `POST ${target.pathname}${target.search} HTTP/1.1\r\nHost: ${target.host}\r\n`;
  let closed = false;

  const events = {
    onIdle(connection: IngestConnection) {
      const next = waiting.shift();
      if (next) run(connection, next);
      else idle.push(connection);
    },
    onClosed(connection: IngestConnection) {
      open.delete(connection);
      const index = idle.indexOf(connection);
      if (index !== -1) idle.splice(index, 1);
      const next = closed ? undefined : waiting.shift();
      if (next) run(connect(), next);
    },
  };

  // Bound to the context the sender was made in (init's), not the request whose envelope happened to
  // need a connection: a socket keeps the async context it was created in, and with it that request's
  // scopes and spans, for as long as it stays open (up to keepAliveTimeout, 30 s by default).
  const connect = AsyncResource.bind((): IngestConnection => {
    const connection = new IngestConnection(openSocket(target, options.caCerts), options, events);
    open.add(connection);
    return connection;
  });

  function dispatch(request: PendingRequest): void {
    const connection = idle.pop() ?? (open.size < options.maxConnections ? connect() : undefined);
    if (connection) run(connection, request);
    else waiting.push(request);
  }

  function run(connection: IngestConnection, request: PendingRequest): void {
    connection.request(request.head, request.body, (error, response) => {
      if (!error) return request.resolve(toTransportResponse(response as IngestResponse));
      if (error.retryable && !request.retried && !closed) {
        request.retried = true;
        return run(connect(), request);
      }
      request.reject(error);
    });
  }

  function headFor(headers: Record<string, string>): string {
    let head = heads.get(headers);
    if (head === undefined) {
      head = requestLine + formatHeaders(headers);
      heads.set(headers, head);
    }
    return head;
  }

  return {
    send(body, headers) {
      if (closed) return Promise.reject(new Error('The transport was closed.'));
      const length = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
      const head = `${headFor(headers)}Content-Length: ${length}\r\n\r\n`;
      return new Promise((resolve, reject) => {
        dispatch({ head, body, retried: false, resolve, reject });
      });
    },
    async close() {
      closed = true;
      for (const request of waiting.splice(0)) request.reject(new Error('The transport was closed.'));
      for (const connection of [...open]) connection.destroy('The transport was closed.');
    },
  };
}

/** Loaded with the first connection: processes that never report anything never pay for it. */
function openSocket(target: URL, ca: DirectSenderOptions['caCerts']): Socket {
  const host = target.hostname.replace(/^\[|\]$/g, '');
  const secure = target.protocol === 'https:';
  const port = Number(target.port) || (secure ? 443 : 80);
  if (!secure) return net().connect({ host, port });
  return tls().connect({
    host,
    port,
    // SNI carries host names only, never IP addresses (RFC 6066 §3).
    servername: net().isIP(host) ? undefined : host,
    ALPNProtocols: ['http/1.1'],
    ...(ca ? { ca } : {}),
  });
}

/** Written by the sender itself. */
const MANAGED_HEADERS = new Set(['host', 'content-length', 'transfer-encoding', 'connection']);
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** Header lines for the head; a header that could break the request is left out with a warning. */
function formatHeaders(headers: Record<string, string>): string {
  let lines = '';
  for (const [name, value] of Object.entries(headers)) {
    const text = String(value);
    if (!TOKEN.test(name) || !FIELD_VALUE.test(text) || MANAGED_HEADERS.has(name.toLowerCase())) {
      debug.warnOnce(
        `Faultline: the transport header "${name}" is invalid or set by the transport itself, so it is not sent.`,
      );
      continue;
    }
    lines += `${name}: ${text}\r\n`;
  }
  return lines;
}

function toTransportResponse(response: IngestResponse): TransportResponse {
  return {
    statusCode: response.statusCode,
    headers: { 'x-sentry-rate-limits': response.rateLimits, 'retry-after': response.retryAfter },
  };
}
