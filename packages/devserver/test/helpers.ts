/** Shared test plumbing: a dev server on a free loopback port with its own database file, and envelopes. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEnvelope, type EnvelopeItem, type Event, serializeEnvelope } from '@faultline/core';
import { type DevServer, type DevServerOptions, startDevServer } from '../src/index';

export const PUBLIC_KEY = 'abc123';

export interface TestServer extends DevServer {
  dir: string;
  dbPath: string;
  /** POSTs an envelope (or any body) to the envelope endpoint of project 1, auth in the query by default. */
  send(
    body: string | Uint8Array,
    init?: { headers?: Record<string, string>; path?: string },
  ): Promise<Answer>;
  /** GETs a JSON API path. */
  api<T = any>(path: string): Promise<T>;
  stop(): Promise<void>;
}

export interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

export async function startTestServer(options: DevServerOptions = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-devserver-'));
  const dbPath = join(dir, 'dev.sqlite');
  const server = await startDevServer({ port: 0, dbPath, ...options });
  return {
    ...server,
    dir,
    dbPath,
    async send(body, init = {}) {
      const path = init.path ?? `/api/1/envelope/?sentry_version=7&sentry_key=${PUBLIC_KEY}`;
      const response = await fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-sentry-envelope', ...init.headers },
        body,
      });
      const text = await response.text();
      return {
        status: response.status,
        headers: response.headers,
        body: text ? JSON.parse(text) : undefined,
      };
    },
    async api(path) {
      const response = await fetch(`${server.url}${path}`);
      if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
      return response.json() as Promise<any>;
    },
    async stop() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let counter = 0;

export function hexId(length: 32 | 16): string {
  counter += 1;
  const random = Array.from({ length }, () => Math.floor(Math.random() * 16).toString(16)).join('');
  return `${counter.toString(16)}${random}`.slice(0, length).padEnd(length, '1');
}

export function itemEnvelope(items: EnvelopeItem[], headers: Record<string, unknown> = {}): string {
  return serializeEnvelope(
    createEnvelope({ sent_at: new Date().toISOString(), ...headers }, items),
  ) as string;
}

/** An error event envelope built with core's serializer, shaped like Faultline's node SDK sends it. */
export function errorEnvelope(overrides: Partial<Event> & { errorType?: string; errorValue?: string } = {}): {
  envelope: string;
  eventId: string;
} {
  const { errorType = 'TypeError', errorValue = 'cart.total is undefined', ...rest } = overrides;
  const eventId = hexId(32);
  const event: Event = {
    event_id: eventId,
    timestamp: Date.now() / 1000,
    platform: 'node',
    level: 'error',
    release: 'shop@1.0.0',
    environment: 'test',
    server_name: 'payments',
    exception: {
      values: [
        {
          type: errorType,
          value: errorValue,
          mechanism: { type: 'generic', handled: true },
          stacktrace: {
            frames: [
              {
                filename: 'node:internal/process/task_queues',
                function: 'process.processTicksAndRejections',
                lineno: 95,
                in_app: false,
              },
              {
                filename: '/app/src/checkout.js',
                module: 'checkout',
                function: 'chargeCart',
                lineno: 42,
                colno: 13,
                in_app: true,
                pre_context: ['function chargeCart(cart) {'],
                context_line: '  return cart.total.amount;',
                post_context: ['}'],
              },
            ],
          },
        },
      ],
    },
    sdk: { name: 'faultline.javascript.node', version: '0.1.0' },
    ...rest,
  };
  return {
    eventId,
    envelope: itemEnvelope([{ headers: { type: 'event' }, payload: event }], {
      event_id: eventId,
      sdk: event.sdk,
    }),
  };
}

export interface TransactionInput {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  serverName: string;
  start: number;
  end: number;
  spans?: Array<{
    spanId: string;
    parentSpanId: string;
    op: string;
    description: string;
    start: number;
    end: number;
    status?: string;
  }>;
}

export function transactionEnvelope(input: TransactionInput): { envelope: string; eventId: string } {
  const eventId = hexId(32);
  const event: Event = {
    event_id: eventId,
    type: 'transaction',
    transaction: input.name,
    transaction_info: { source: 'route' },
    start_timestamp: input.start,
    timestamp: input.end,
    platform: 'node',
    server_name: input.serverName,
    contexts: {
      trace: {
        trace_id: input.traceId,
        span_id: input.spanId,
        ...(input.parentSpanId ? { parent_span_id: input.parentSpanId } : {}),
        op: 'http.server',
        status: 'ok',
      },
    },
    spans: (input.spans ?? []).map((span) => ({
      trace_id: input.traceId,
      span_id: span.spanId,
      parent_span_id: span.parentSpanId,
      op: span.op,
      description: span.description,
      start_timestamp: span.start,
      timestamp: span.end,
      status: span.status ?? 'ok',
    })),
    sdk: { name: 'faultline.javascript.node', version: '0.1.0' },
  };
  return {
    eventId,
    envelope: itemEnvelope([{ headers: { type: 'transaction' }, payload: event }], { event_id: eventId }),
  };
}
