/**
 * The Node transport against the loopback ingest: connection reuse, gzip above the threshold,
 * timeouts, rate-limit headers, proxies from the environment and recognising the SDK's own requests.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  type DataCategory,
  type DiscardReason,
  type Envelope,
  envelopeEndpointWithAuth,
  makeSdkInfo,
  parseDsn,
  serializeEnvelope,
  uuid4,
} from '@faultline/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startIngest, type TestIngest } from '../../../test/ingest';
import { makeNodeTransport, type NodeTransportOptions, USER_AGENT } from '../src/http-transport';
import { isSdkRequest, isSdkRequestArrival } from '../src/sdk-requests';

let ingest: TestIngest;
let connections = 0;
beforeAll(async () => {
  ingest = await startIngest();
  // The ingest keeps its server private; counting its accepted sockets is exactly what we want here.
  (ingest as unknown as { server: Server }).server.on('connection', () => {
    connections += 1;
  });
});
afterAll(() => ingest.close());
afterEach(() => ingest.reset());

const endpoint = () => envelopeEndpointWithAuth(parseDsn(ingest.dsn)!, makeSdkInfo('node'));

function eventEnvelope(message = 'hello', padding = 0): Envelope {
  const event_id = uuid4();
  const event = {
    event_id,
    timestamp: Date.now() / 1000,
    platform: 'node',
    level: 'error',
    message,
    ...(padding ? { extra: { padding: 'x'.repeat(padding) } } : {}),
  };
  return {
    headers: { event_id, sent_at: new Date().toISOString() },
    items: [{ headers: { type: 'event' }, payload: event }],
  };
}

interface Drop {
  reason: DiscardReason;
  category: DataCategory;
}

function transportWith(options: Partial<NodeTransportOptions> = {}) {
  const drops: Drop[] = [];
  const transport = makeNodeTransport({
    url: endpoint(),
    recordDroppedEvent: (reason, category) => drops.push({ reason, category }),
    proxy: false,
    ...options,
  });
  return { transport, drops };
}

describe('makeNodeTransport', () => {
  it('reuses one keep-alive connection for sequential envelopes and identifies itself', async () => {
    const { transport } = transportWith();
    const before = connections;
    for (let index = 0; index < 5; index++) {
      const response = await transport.send(eventEnvelope(`message ${index}`));
      expect(response?.statusCode).toBe(200);
      // undici hands a socket back to the pool one event-loop turn after its response ended.
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(ingest.events().map((event) => event.message)).toEqual([0, 1, 2, 3, 4].map((i) => `message ${i}`));
    expect(connections - before).toBe(1);
    const headers = ingest.requests[0]!.headers;
    expect(headers['user-agent']).toBe(USER_AGENT);
    expect(USER_AGENT).toMatch(/^faultline\.javascript\.node\/\d+\.\d+\.\d+/);
    expect(headers['content-type']).toBe('application/x-sentry-envelope');
    expect(headers['content-encoding']).toBeUndefined();
    await transport.close();
  });

  it('opens at most a handful of connections for a burst', async () => {
    const { transport } = transportWith();
    const before = connections;
    const responses = await Promise.all(
      Array.from({ length: 12 }, (_, index) => transport.send(eventEnvelope(`burst ${index}`))),
    );
    expect(responses.map((response) => response?.statusCode)).toEqual(Array(12).fill(200));
    expect(connections - before).toBeGreaterThanOrEqual(1);
    expect(connections - before).toBeLessThanOrEqual(16);
    await transport.close();
  });

  it('gzips bodies above the threshold, and only those', async () => {
    const { transport } = transportWith();
    await transport.send(eventEnvelope('small', 1000));
    await transport.send(eventEnvelope('large', 64 * 1024));
    const [small, large] = ingest.requests;
    expect(small!.headers['content-encoding']).toBeUndefined();
    expect(large!.headers['content-encoding']).toBe('gzip');
    expect(large!.rawBody.length).toBeLessThan(large!.body!.length / 10);
    expect(ingest.events().map((event) => event.message)).toEqual(['small', 'large']);
    expect((ingest.events()[1]!.extra as { padding: string }).padding).toHaveLength(64 * 1024);
    await transport.close();
  });

  it('sends text beyond ASCII byte for byte, concurrent bodies that share an encoding slab included', async () => {
    const { transport } = transportWith();
    // 3,000 two-byte characters: a few bodies fill a slab, so a burst of 20 spans several. 20,000
    // characters are too many for a slab and get their own encoding, still under the gzip threshold.
    const messages = Array.from({ length: 20 }, (_, index) => `ü€😀 ${index} ${'ü'.repeat(3000)}`);
    messages.push(`large ${'é'.repeat(10)}${'x'.repeat(20_000)}`);
    const responses = await Promise.all(messages.map((message) => transport.send(eventEnvelope(message))));
    expect(responses.map((response) => response?.statusCode)).toEqual(Array(messages.length).fill(200));
    expect(
      ingest
        .events()
        .map((event) => event.message)
        .sort(),
    ).toEqual([...messages].sort());
    for (const request of ingest.requests) {
      expect(request.headers['content-encoding']).toBeUndefined();
      expect(Number(request.headers['content-length'])).toBe(request.rawBody.length);
    }
    await transport.close();
  });

  it('writes binary and text attachments byte for byte, in a shared slab and in a body of their own', async () => {
    const { transport } = transportWith();
    const everyByte = Uint8Array.from({ length: 256 }, (_, index) => index);
    // 40,000 bytes: more than half a slab, so this body is encoded on its own (and gzipped).
    const large = Uint8Array.from({ length: 40_000 }, (_, index) => (index * 7) % 256);
    const envelopes = [everyByte, large].map((bytes) => {
      const envelope = eventEnvelope('with attachments ü€😀');
      envelope.items.push(
        { headers: { type: 'attachment', filename: 'bytes.bin' }, payload: bytes },
        { headers: { type: 'attachment', filename: 'notes.txt' }, payload: '日本語\nテキスト 🚀' },
      );
      return envelope;
    });
    for (const envelope of envelopes) expect((await transport.send(envelope))?.statusCode).toBe(200);
    expect(ingest.requests).toHaveLength(2);
    ingest.requests.forEach((request, index) => {
      const expected = serializeEnvelope(envelopes[index]!);
      expect(expected).toBeInstanceOf(Uint8Array);
      expect(Buffer.from(request.body!).equals(Buffer.from(expected as Uint8Array))).toBe(true);
    });
    expect(ingest.requests.map((request) => request.headers['content-encoding'])).toEqual([
      undefined,
      'gzip',
    ]);
    await transport.close();
  });

  it('aborts a request after the timeout as a network error; flush resolves in time', async () => {
    ingest.setDefaultResponse({ hang: true });
    const { transport, drops } = transportWith({ timeout: 300 });
    const started = Date.now();
    const response = transport.send(eventEnvelope('stuck'));
    expect(await transport.flush(3000)).toBe(true);
    expect(await response).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(drops).toEqual([{ reason: 'network_error', category: 'error' }]);
    ingest.releaseHanging();
    await transport.close();
  });

  it('flush gives up at its own timeout while a request still hangs, and close aborts it', async () => {
    ingest.setDefaultResponse({ hang: true });
    const { transport, drops } = transportWith();
    const response = transport.send(eventEnvelope('stuck'));
    await ingest.waitFor(1);
    const started = Date.now();
    expect(await transport.flush(200)).toBe(false);
    expect(Date.now() - started).toBeLessThan(1000);
    await transport.close();
    expect(await response).toBeUndefined();
    expect(drops).toEqual([{ reason: 'network_error', category: 'error' }]);
    await transport.send(eventEnvelope('after close'));
    expect(drops).toHaveLength(2);
    ingest.releaseHanging();
  });

  it('reads X-Sentry-Rate-Limits and Retry-After', async () => {
    const { transport, drops } = transportWith();
    ingest.respondWith({ status: 200, headers: { 'x-sentry-rate-limits': '60:error:organization' } });
    await transport.send(eventEnvelope('accepted'));
    await transport.send(eventEnvelope('limited by header'));
    expect(ingest.requests).toHaveLength(1);
    expect(drops).toEqual([{ reason: 'ratelimit_backoff', category: 'error' }]);

    const second = transportWith();
    ingest.respondWith({ status: 429, headers: { 'retry-after': '60' } });
    expect((await second.transport.send(eventEnvelope('429')))?.statusCode).toBe(429);
    await second.transport.send(eventEnvelope('limited by retry-after'));
    expect(ingest.requests).toHaveLength(2);
    expect(second.drops).toEqual([{ reason: 'ratelimit_backoff', category: 'error' }]);
    await transport.close();
    await second.transport.close();
  });

  it('marks its own requests for HTTP instrumentation', () => {
    transportWith();
    const url = new URL(endpoint());
    expect(isSdkRequest(url.href)).toBe(true);
    expect(isSdkRequest(url)).toBe(true);
    expect(isSdkRequest({ origin: url.origin, path: `${url.pathname}${url.search}` })).toBe(true);
    expect(isSdkRequest({ origin: 'http://proxy:3128', path: url.href })).toBe(true);
    expect(isSdkRequest(`${url.origin}/api/1/store/`)).toBe(false);
    expect(isSdkRequest({ origin: 'http://127.0.0.1:1', path: url.pathname })).toBe(false);
    expect(isSdkRequest('not a url')).toBe(false);
  });

  it('recognises its own requests arriving at a server of this process by path and Host', () => {
    transportWith();
    const url = new URL(endpoint());
    const arriving = (path: string, host?: string) => isSdkRequestArrival(path, { headers: { host } });
    expect(arriving(url.pathname, url.host)).toBe(true);
    expect(arriving(url.pathname, url.host.toUpperCase())).toBe(true);
    expect(arriving(url.pathname, 'example.com')).toBe(false);
    expect(arriving(url.pathname)).toBe(false);
    expect(arriving('/api/1/store/', url.host)).toBe(false);
  });
});

describe('proxies from the environment', () => {
  let proxy: Server;
  const proxied: string[] = [];
  const sockets = new Set<Socket>();
  const saved = { ...process.env };

  beforeAll(async () => {
    // A minimal forward proxy: absolute-form requests are forwarded to their target.
    proxy = createServer((req, res) => {
      proxied.push(req.url ?? '');
      const upstream = httpRequest(req.url!, { method: req.method, headers: req.headers }, (response) => {
        res.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    });
    proxy.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => proxy.close(resolve));
  });
  afterEach(() => {
    for (const name of ['HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy']) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
    proxied.length = 0;
  });

  const proxyUrl = () => `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;

  it('sends through HTTP_PROXY as an absolute-form request', async () => {
    process.env.HTTP_PROXY = proxyUrl();
    const { transport } = transportWith({ proxy: undefined });
    expect((await transport.send(eventEnvelope('via proxy')))?.statusCode).toBe(200);
    expect(proxied).toEqual([endpoint()]);
    expect(ingest.events().map((event) => event.message)).toEqual(['via proxy']);
    await transport.close();
  });

  it('goes direct when NO_PROXY lists the ingest host', async () => {
    process.env.HTTP_PROXY = proxyUrl();
    process.env.NO_PROXY = 'example.com, 127.0.0.1';
    const { transport } = transportWith({ proxy: undefined });
    expect((await transport.send(eventEnvelope('direct')))?.statusCode).toBe(200);
    expect(proxied).toEqual([]);
    expect(ingest.events().map((event) => event.message)).toEqual(['direct']);
    await transport.close();
  });
});
