/**
 * Acceptance for incoming and outgoing HTTP: real node:http servers on loopback, real fetch and
 * http.request, envelopes received by the test ingest.
 */
import { readFileSync } from 'node:fs';
import http, { type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import {
  captureException,
  close,
  type Event,
  flush,
  getActiveSpan,
  getClient,
  getGlobalScope,
  type Span,
  setTag,
  setUser,
} from '@faultline/core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startIngest, type TestIngest } from '../../../test/ingest';
import { transactionProblems } from '../../../test/support/trace-checks';
import {
  excludeServerFromInstrumentation,
  getDefaultIntegrations,
  getFrameworkState,
  getServerSpan,
  init,
  type NodeOptions,
  setFrameworkState,
} from '../src/index';

const PROCESS_HANDLERS = new Set(['OnUncaughtException', 'OnUnhandledRejection', 'ProcessExitFlush']);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let ingest: TestIngest;
const servers: Server[] = [];

function start(options: Partial<NodeOptions> = {}): void {
  getClient()?.getOptions();
  init({
    dsn: ingest.dsn,
    tracesSampleRate: 1,
    transportOptions: { bufferSize: 1000 },
    defaultIntegrations: getDefaultIntegrations().filter((i) => !PROCESS_HANDLERS.has(i.name)),
    ...options,
  });
}

async function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>,
): Promise<string> {
  const server = http.createServer((req, res) => {
    Promise.resolve(handler(req, res)).catch((error) => {
      captureException(error);
      res.statusCode = 500;
      res.end('error');
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function httpGet(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return exchange(http.request(url, { headers }));
}

/** Reads a response's body; `request` is ended here. */
function exchange(request: http.ClientRequest): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request.on('response', (response: IncomingMessage) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject);
    request.end();
  });
}

beforeAll(async () => {
  ingest = await startIngest();
});
afterAll(() => ingest.close());
beforeEach(() => ingest.reset());
afterEach(async () => {
  await close(2000);
  getGlobalScope().clear();
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

describe('incoming requests on a plain node:http server', () => {
  it('errors carry the request, the trace and the isolation scope; each sampled request is a transaction', async () => {
    start();
    const base = await listen(async (req, res) => {
      setUser({ id: 'u-7' });
      setTag('plan', 'pro');
      if (req.url?.startsWith('/fail')) throw new Error('payment failed');
      res.end('ok');
    });
    expect((await httpGet(`${base}/ok`)).status).toBe(200);
    expect((await httpGet(`${base}/fail?cart=9&token=secret`, { cookie: 'sid=abc' })).status).toBe(500);
    await flush(3000);
    await ingest.waitFor(() => ingest.transactions().length === 2 && ingest.events().length === 1);
    const [event] = ingest.events();
    expect(event!.request).toMatchObject({ method: 'GET', url: `${base}/fail` });
    expect(event!.request!.query_string).toContain('cart=9');
    expect(JSON.stringify(event!.request)).not.toContain('secret');
    expect(event!.user).toEqual({ id: 'u-7' });
    expect(event!.tags).toMatchObject({ plan: 'pro' });
    expect(event!.transaction).toBe('GET /fail');
    const failing = ingest.transactions().find((t) => t.transaction === 'GET /fail')!;
    expect(event!.contexts!.trace!.trace_id).toBe(failing.contexts!.trace!.trace_id);
    expect(failing.contexts!.trace).toMatchObject({
      op: 'http.server',
      status: 'internal_error',
      origin: 'auto.http.node.http_server',
    });
    expect(failing.contexts!.trace!.data).toMatchObject({
      'http.response.status_code': 500,
      'http.request.method': 'GET',
    });
    for (const transaction of ingest.transactions()) expect(transactionProblems(transaction)).toEqual([]);
    expect(ingest.schemaErrors()).toEqual([]);
  });

  it('200 concurrent requests each see only their own user and tag, with distinct traces', async () => {
    // The test's own client calls must not carry one shared trace into the server.
    start({ tracePropagationTargets: [] });
    getGlobalScope().setTag('service', 'gateway');
    const base = await listen(async (req, res) => {
      const id = new URL(req.url!, 'http://x').searchParams.get('id')!;
      await sleep(Math.random() * 10);
      setUser({ id: `user-${id}` });
      await sleep(Math.random() * 10);
      setTag('request', id);
      await sleep(Math.random() * 10);
      captureException(new Error(`failure ${id}`));
      res.end(id);
    });
    const responses = await Promise.all(Array.from({ length: 200 }, (_, i) => httpGet(`${base}/r?id=${i}`)));
    expect(responses.map((r) => r.body)).toEqual(Array.from({ length: 200 }, (_, i) => String(i)));
    await ingest.waitFor(() => ingest.events().length >= 200, { timeout: 15_000 });
    const events = ingest.events();
    expect(events).toHaveLength(200);
    const traceIds = new Set<string>();
    for (const event of events) {
      const id = /failure (\d+)/.exec(event.exception!.values!.at(-1)!.value!)![1];
      expect(event.user).toEqual({ id: `user-${id}` });
      expect(event.tags).toEqual({ service: 'gateway', request: id });
      traceIds.add(event.contexts!.trace!.trace_id);
    }
    expect(traceIds.size).toBe(200);
  });

  it('ignoreIncomingRequests keeps health checks out', async () => {
    const { httpServerIntegration } = await import('../src/integrations/http-server');
    start({ integrations: [httpServerIntegration({ ignoreIncomingRequests: ['/health'] })] });
    const base = await listen((_req, res) => void res.end('ok'));
    await httpGet(`${base}/health`);
    await httpGet(`${base}/orders`);
    await flush(3000);
    expect(ingest.transactions().map((t) => t.transaction)).toEqual(['GET /orders']);
  });

  it('excludeServerFromInstrumentation keeps a whole server out', async () => {
    start();
    const excluded = http.createServer((_req, res) => void res.end('ok'));
    excludeServerFromInstrumentation(excluded);
    servers.push(excluded);
    await new Promise<void>((resolve) => excluded.listen(0, '127.0.0.1', resolve));
    await httpGet(`http://127.0.0.1:${(excluded.address() as AddressInfo).port}/internal`);
    const base = await listen((_req, res) => void res.end('ok'));
    await httpGet(`${base}/orders`);
    await flush(3000);
    await ingest.waitFor(() => ingest.transactions().length === 1);
    await sleep(100);
    expect(ingest.transactions().map((t) => t.transaction)).toEqual(['GET /orders']);
  });

  it('each request arrives with its slots: the root span, sampled or not, and room for framework state', async () => {
    const { httpServerIntegration } = await import('../src/integrations/http-server');
    start({
      tracesSampler: ({ name }) => (name.endsWith('/sampled') ? 1 : 0),
      integrations: [httpServerIntegration({ ignoreIncomingRequests: ['/health'] })],
    });
    const seen: Record<string, unknown> = {};
    const base = await listen((req, res) => {
      // Seeded before any listener ran, so a framework's later write replaces a value in place.
      const ownKeys = (target: object) => Object.getOwnPropertySymbols(target).map(String);
      const before = getFrameworkState(req);
      setFrameworkState(req, { route: req.url });
      const span = getServerSpan(res);
      seen[req.url ?? ''] = {
        requestSlot: ownKeys(req).includes('Symbol(faultline.node.frameworkState)'),
        responseSlot: ownKeys(res).includes('Symbol(faultline.node.serverSpan)'),
        before,
        after: getFrameworkState(req),
        isActiveSpan: span !== undefined && span === getActiveSpan(),
        recording: span?.isRecording(),
      };
      res.end('ok');
    });
    for (const path of ['/sampled', '/unsampled', '/health']) await httpGet(`${base}${path}`);
    expect(seen).toEqual({
      '/sampled': {
        requestSlot: true,
        responseSlot: true,
        before: undefined,
        after: { route: '/sampled' },
        isActiveSpan: true,
        recording: true,
      },
      '/unsampled': {
        requestSlot: true,
        responseSlot: true,
        before: undefined,
        after: { route: '/unsampled' },
        isActiveSpan: true,
        recording: false,
      },
      '/health': {
        requestSlot: true,
        responseSlot: true,
        before: undefined,
        after: { route: '/health' },
        isActiveSpan: false,
        recording: undefined,
      },
    });
    await flush(3000);
    expect(ingest.transactions().map((t) => t.transaction)).toEqual(['GET /sampled']);
  });

  it("an ingest served by the app's own process gets no transactions for the SDK's envelopes", async () => {
    // Tracing each envelope request sent one more envelope, without end.
    const ownIngest = await startIngest({ instrumentable: true });
    try {
      start({ dsn: ownIngest.dsn });
      const base = await listen((_req, res) => void res.end('ok'));
      await httpGet(`${base}/checkout`);
      await flush(3000);
      await ownIngest.waitFor(() => ownIngest.transactions().length === 1);
      // Any other path of the same server is still the app's, and traced.
      await httpGet(`${ownIngest.url}/tunnel`);
      await flush(3000);
      await sleep(300);
      await flush(3000);
      expect(ownIngest.transactions().map((t) => t.transaction)).toEqual(['GET /checkout', 'GET /tunnel']);
      expect(ownIngest.envelopes).toHaveLength(2);
    } finally {
      await close(2000);
      ownIngest.close();
    }
  });
});

describe('service A calls service B', () => {
  async function twoServices(call: (url: string) => Promise<unknown>, options: Partial<NodeOptions> = {}) {
    start(options);
    const seenAtB: Array<Record<string, string | string[] | undefined>> = [];
    const b = await listen((req, res) => {
      seenAtB.push(req.headers);
      res.end('b');
    });
    const a = await listen(async (_req, res) => {
      await call(`${b}/charge`);
      res.end('a');
    });
    return { a, b, seenAtB };
  }

  async function serviceTransactions(): Promise<{ a: Event; b: Event }> {
    await flush(3000);
    await ingest.waitFor(() => ingest.transactions().length === 2);
    const a = ingest.transactions().find((t) => t.transaction === 'GET /checkout')!;
    const b = ingest.transactions().find((t) => t.transaction === 'GET /charge')!;
    for (const t of [a, b]) expect(transactionProblems(t)).toEqual([]);
    return { a, b };
  }

  for (const [label, call] of [
    ['fetch', (url: string) => fetch(url).then((r) => r.text())],
    ['http.request', (url: string) => httpGet(url)],
    // Node 20 has no channel before the header block: this reaches it only through the prototype.
    ['new http.ClientRequest', (url: string) => exchange(new http.ClientRequest(url))],
  ] as const) {
    it(`with ${label}: B continues A's trace under A's http.client span`, async () => {
      const { a } = await twoServices(call);
      await httpGet(`${a}/checkout`, {
        'sentry-trace': '771a43a4192642f0b136d5159a501700-b0e6f15b45c36b12-1',
        baggage:
          'sentry-trace_id=771a43a4192642f0b136d5159a501700,sentry-public_key=up,sentry-sample_rand=0.1,dogs=great',
      });
      const { a: txA, b: txB } = await serviceTransactions();
      expect(txA.contexts!.trace!.trace_id).toBe('771a43a4192642f0b136d5159a501700');
      expect(txB.contexts!.trace!.trace_id).toBe(txA.contexts!.trace!.trace_id);
      const clientSpan = txA.spans!.find((s) => s.op === 'http.client')!;
      expect(clientSpan.description).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/charge$/);
      expect(clientSpan.data).toMatchObject({ 'http.response.status_code': 200 });
      expect(txB.contexts!.trace!.parent_span_id).toBe(clientSpan.span_id);
    });

    it(`with ${label}: an unsampled request passes its trace, span id and decision on, and no transaction is sent`, async () => {
      start();
      const seenAtB: Array<Record<string, string | string[] | undefined>> = [];
      const b = await listen((req, res) => {
        seenAtB.push(req.headers);
        res.end('b');
      });
      let serverSpanAtA: Span | undefined;
      const a = await listen(async (_req, res) => {
        serverSpanAtA = getServerSpan(res);
        captureException(new Error('declined'));
        await call(`${b}/charge`);
        res.end('a');
      });
      // The caller decided not to sample this trace: A and B record nothing and keep the decision.
      await httpGet(`${a}/checkout`, {
        'sentry-trace': '771a43a4192642f0b136d5159a501700-b0e6f15b45c36b12-0',
        baggage: 'sentry-trace_id=771a43a4192642f0b136d5159a501700,sentry-sampled=false',
      });
      await flush(3000);
      await ingest.waitFor(() => ingest.events().length === 1);
      const trace = ingest.events()[0]!.contexts!.trace!;
      expect(trace.trace_id).toBe('771a43a4192642f0b136d5159a501700');
      expect(trace.parent_span_id).toBe('b0e6f15b45c36b12');
      // No http.client span under a non-recording server span: B's parent is A's server span.
      expect(seenAtB[0]!['sentry-trace']).toBe(`771a43a4192642f0b136d5159a501700-${trace.span_id}-0`);
      expect(String(seenAtB[0]!.baggage)).toContain('sentry-sampled=false');
      expect(serverSpanAtA?.spanContext().spanId).toBe(trace.span_id);
      expect(serverSpanAtA?.isRecording()).toBe(false);
      expect(ingest.transactions()).toEqual([]);
    });

    it(`with ${label}: no trace headers reach B when tracePropagationTargets excludes it; third-party baggage never forwarded`, async () => {
      const excluded = await twoServices(call, { tracePropagationTargets: ['payments.example'] });
      await httpGet(`${excluded.a}/checkout`, { baggage: 'dogs=great' });
      expect(excluded.seenAtB[0]!['sentry-trace']).toBeUndefined();
      expect(excluded.seenAtB[0]!.baggage).toBeUndefined();
      await close(2000);
      const included = await twoServices(call);
      await httpGet(`${included.a}/checkout`, {
        baggage: 'dogs=great,sentry-trace_id=771a43a4192642f0b136d5159a501700',
      });
      const headers = included.seenAtB[0]!;
      expect(headers['sentry-trace']).toMatch(/^[0-9a-f]{32}-[0-9a-f]{16}-1$/);
      expect(String(headers.baggage)).not.toContain('dogs');
    });
  }

  it('with https.get: a TLS service B continues the trace', async () => {
    start();
    const key = readFileSync(new URL('./fixtures/ingest-tls-key.pem', import.meta.url));
    const cert = readFileSync(new URL('./fixtures/ingest-tls-cert.pem', import.meta.url));
    const seenAtB: IncomingMessage['headers'][] = [];
    const b = https.createServer({ key, cert }, (req, res) => {
      seenAtB.push(req.headers);
      res.end('b');
    });
    servers.push(b);
    await new Promise<void>((resolve) => b.listen(0, '127.0.0.1', resolve));
    const bUrl = `https://localhost:${(b.address() as AddressInfo).port}/charge`;
    const a = await listen(async (_req, res) => {
      await exchange(https.request(bUrl, { ca: cert }));
      res.end('a');
    });
    await httpGet(`${a}/checkout`);
    const { a: txA, b: txB } = await serviceTransactions();
    const clientSpan = txA.spans!.find((s) => s.op === 'http.client')!;
    expect(clientSpan.description).toBe(`GET ${bUrl}`);
    expect(seenAtB[0]!['sentry-trace']).toBe(`${txA.contexts!.trace!.trace_id}-${clientSpan.span_id}-1`);
    expect(txB.contexts!.trace!.parent_span_id).toBe(clientSpan.span_id);
  });

  it('a request that writes its header block in the constructor (headers as an array) is traced without headers, and never throws', async () => {
    const { a, seenAtB } = await twoServices((url) => {
      const { host, port, pathname } = new URL(url);
      return exchange(
        http.request({
          host: '127.0.0.1',
          port,
          path: pathname,
          headers: ['Host', host, 'X-App', 'array'],
        }),
      );
    });
    expect((await httpGet(`${a}/checkout`)).body).toBe('a');
    expect(seenAtB[0]!['x-app']).toBe('array');
    expect(seenAtB[0]!['sentry-trace']).toBeUndefined();
    const { a: txA } = await serviceTransactions();
    const clientSpan = txA.spans!.find((s) => s.op === 'http.client')!;
    // Such a request keeps its Host header out of getHeader(): the port comes from its header block.
    expect(clientSpan.description).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/charge$/);
    expect(clientSpan.data).toMatchObject({ 'http.response.status_code': 200 });
  });

  it('keeps an existing outgoing baggage header and appends our entries', async () => {
    const { a, seenAtB } = await twoServices((url) => httpGet(url, { baggage: 'tenant=acme' }));
    await httpGet(`${a}/checkout`);
    expect(String(seenAtB[0]!.baggage)).toMatch(/^tenant=acme,sentry-trace_id=[0-9a-f]{32},/);
  });

  it("with fetch: adds our baggage after the app's, and none when the app already sent sentry- entries", async () => {
    const { a, seenAtB } = await twoServices(async (url) => {
      await fetch(url, { headers: { baggage: 'tenant=acme' } }).then((r) => r.text());
      await fetch(url, { headers: { baggage: 'sentry-environment=staging,tenant=acme' } }).then((r) =>
        r.text(),
      );
    });
    await httpGet(`${a}/checkout`);
    const [appended, kept] = seenAtB;
    // undici sends two baggage headers; node:http joins them with ", ".
    expect(String(appended!.baggage)).toMatch(/^tenant=acme, sentry-trace_id=[0-9a-f]{32},/);
    expect(appended!['sentry-trace']).toMatch(/^[0-9a-f]{32}-[0-9a-f]{16}/);
    expect(kept!.baggage).toBe('sentry-environment=staging,tenant=acme');
    // Same trace; each fetch has its own http.client span.
    expect(String(kept!['sentry-trace']).slice(0, 32)).toBe(String(appended!['sentry-trace']).slice(0, 32));
  });

  it('records http breadcrumbs for outgoing calls', async () => {
    const { a } = await twoServices((url) =>
      fetch(url).then(async (r) => {
        await r.text();
        captureException(new Error('after call'));
      }),
    );
    await httpGet(`${a}/checkout`);
    await flush(3000);
    await ingest.waitFor(() => ingest.events().length === 1);
    const crumbs = (
      ingest.events()[0]!.breadcrumbs as unknown as {
        values: Array<{ category: string; data: Record<string, unknown> }>;
      }
    ).values;
    expect(crumbs.find((c) => c.category === 'fetch')!.data).toMatchObject({
      method: 'GET',
      status_code: 200,
    });
  });
});

describe('a failing ingest never changes the app', () => {
  for (const [label, response] of [
    ['down (socket destroyed)', { destroy: true }],
    ['slow', { status: 200, delayMs: 3000 }],
    ['429', { status: 429, headers: { 'Retry-After': '60' } }],
    ['500', { status: 500 }],
  ] as const) {
    it(`ingest ${label}`, async () => {
      ingest.setDefaultResponse(response);
      start();
      const base = await listen(async (req, res) => {
        if (req.url === '/boom') throw new Error('boom');
        res.end('fine');
      });
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => httpGet(`${base}/${i % 2 ? 'boom' : 'ok'}`)),
      );
      expect(results.map((r) => r.status)).toEqual(Array.from({ length: 20 }, (_, i) => (i % 2 ? 500 : 200)));
      expect(await flush(500)).toBeTypeOf('boolean');
      ingest.setDefaultResponse({ status: 200 });
      ingest.releaseHanging();
    });
  }
});

describe('PII defaults', () => {
  it('no cookies, authorization headers or IP addresses in any envelope', async () => {
    start();
    const base = await listen(async (req, res) => {
      if (req.url === '/boom') throw new Error('boom');
      res.end('ok');
    });
    // Secrets are made at run time: context lines carry this file's source, literals included.
    const secret = (name: string) => `${name}${Math.random().toString(36).slice(2)}`;
    const cookie = secret('cookie');
    const token = secret('token');
    const apiKey = secret('apikey');
    const ip = `203.0.113.${Math.floor(Math.random() * 200) + 1}`;
    await httpGet(`${base}/boom`, {
      cookie: `session=${cookie}`,
      authorization: `Bearer ${token}`,
      'x-forwarded-for': ip,
      'x-api-key': apiKey,
    });
    await flush(3000);
    await ingest.waitFor(() => ingest.events().length === 1);
    const everything = ingest.requests.map((r) => Buffer.from(r.rawBody).toString('utf8')).join('\n');
    for (const value of [cookie, token, ip, apiKey, '"127.0.0.1"']) expect(everything).not.toContain(value);
  });

  it('with sendDefaultPii: cookies, IP and the body the app read (first 8 KiB), never stealing the stream', async () => {
    start({ sendDefaultPii: true });
    const base = await listen(async (req, res) => {
      let body = '';
      for await (const chunk of req) body += chunk;
      res.end(`read ${body.length}`);
      captureException(new Error('with body'));
    });
    const payload = JSON.stringify({ item: 'x'.repeat(10_000) });
    const response = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = http.request(
        `${base}/orders`,
        { method: 'POST', headers: { cookie: 'sid=abc', 'content-type': 'application/json' } },
        (res) => {
          let text = '';
          res.on('data', (chunk) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      request.on('error', reject);
      request.end(payload);
    });
    expect(response.body).toBe(`read ${payload.length}`);
    await flush(3000);
    await ingest.waitFor(() => ingest.events().length === 1);
    const request = ingest.events()[0]!.request!;
    expect(request.cookies).toEqual({ sid: 'abc' });
    expect(request.env).toEqual({ REMOTE_ADDR: '127.0.0.1' });
    expect(String(request.data).startsWith('{"item":"xxx')).toBe(true);
    expect(Buffer.byteLength(String(request.data))).toBeLessThanOrEqual(8192 + 3);
  });
});
