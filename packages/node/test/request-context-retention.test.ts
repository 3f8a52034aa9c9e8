/**
 * What a request's async context keeps alive after the request is done. Every async resource created
 * while handling a request (a timer, a pooled outgoing connection, the SDK's own ingest connection)
 * keeps that context, and with it the request's isolation scope, for as long as the resource lives.
 * The scope must then hold little: not the request's object graph, and not the SDK's ingest socket
 * binding a request's scopes for its whole keep-alive. Real node:http servers on loopback, the test
 * ingest, collection watched through a FinalizationRegistry across full GCs.
 */
import http, { type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { captureException, close, flush, getIsolationScope } from '@faultline/core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startIngest, type TestIngest } from '../../../test/ingest';
import { collectGarbage } from '../../../test/support/heap-growth';
import { getDefaultIntegrations, init, type NodeOptions } from '../src/index';

const PROCESS_HANDLERS = new Set(['OnUncaughtException', 'OnUnhandledRejection', 'ProcessExitFlush']);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let ingest: TestIngest;
const servers: Server[] = [];
const timers: NodeJS.Timeout[] = [];
const noop = () => undefined;

/**
 * A long-lived resource made in the calling handler's async context, as an app's pooled connection
 * would be. Made out here: a callback written inside the handler would close over the handler's own
 * variables (the request among them) and keep them itself.
 */
function holdContext(): void {
  timers.push(setTimeout(noop, 60_000));
}

let fireLater: (() => void) | undefined;
const captureLaterError = () => captureException(new Error('after the response'));

/** Work a request starts that outlives it (a queue job, a retry), in its context; runs on `fireLater()`. */
function captureLater(): void {
  void new Promise<void>((resolve) => {
    fireLater = resolve;
  }).then(captureLaterError);
}

function start(options: Partial<NodeOptions> = {}): void {
  init({
    dsn: ingest.dsn,
    defaultIntegrations: getDefaultIntegrations().filter((i) => !PROCESS_HANDLERS.has(i.name)),
    ...options,
  });
}

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** One request on its own connection (`Connection: close`), so no parser or socket of the server keeps it. */
function post(url: string, body: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method: 'POST', agent: false, headers: { connection: 'close' } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve(text));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/**
 * Watches objects for collection. Not WeakRefs: V8 keeps a WeakRef's target alive until the job that
 * made it ends, which Node does not always reach between the GCs here.
 */
function collectionWatch() {
  const gone = new Set<string>();
  const registry = new FinalizationRegistry<string>((name) => gone.add(name));
  return {
    watch(target: object, name: string): void {
      registry.register(target, name);
    },
    /**
     * Whether `name`'s object is collected after full GCs, with turns of the event loop between them,
     * for up to 1.5 s: Node's cache of the HTTP `Date` header renews itself with a timer of up to 1 s,
     * made in the context of whichever response is written first in a second, and that context lives
     * as long as the timer.
     */
    async collected(name: string): Promise<boolean> {
      const deadline = Date.now() + 1500;
      while (!gone.has(name) && Date.now() < deadline) {
        collectGarbage();
        await sleep(50);
      }
      return gone.has(name);
    },
  };
}

beforeAll(async () => {
  ingest = await startIngest();
});
afterAll(() => ingest.close());
beforeEach(() => ingest.reset());
afterEach(async () => {
  for (const timer of timers.splice(0)) clearTimeout(timer);
  await close(2000);
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

describe("a request's context after the request", () => {
  it('a resource the handler created does not keep the request alive through the isolation scope', async () => {
    start();
    const objects = collectionWatch();
    const base = await listen((req, res) => {
      objects.watch(req, 'request');
      holdContext();
      req.resume();
      req.on('end', () => res.end('ok'));
    });
    expect(await post(`${base}/orders`, 'item=1')).toBe('ok');
    expect(await objects.collected('request')).toBe(true);
  });

  it('with sendDefaultPii the request goes when its response closes, and a later event keeps its body and address', async () => {
    start({ sendDefaultPii: true });
    const objects = collectionWatch();
    const base = await listen((req, res) => {
      objects.watch(req, 'request');
      // Here, not in an event listener: `data` and `end` run in the connection's context, not the request's.
      captureLater();
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => res.end(`read ${body.length}`));
    });
    expect(await post(`${base}/orders`, '{"item":"book"}')).toBe('read 15');
    expect(await objects.collected('request')).toBe(true);
    fireLater!();
    await flush(3000);
    await ingest.waitFor(() => ingest.events().length === 1);
    const event = ingest.events()[0]!;
    expect(event.request).toMatchObject({
      method: 'POST',
      url: `${base}/orders`,
      data: '{"item":"book"}',
      env: { REMOTE_ADDR: '127.0.0.1' },
    });
  });

  for (const via of ['directly', 'through a proxy'] as const) {
    it(`the ingest connection a request's transaction opened (${via}) does not keep that request's scopes`, async () => {
      const proxy = via === 'directly' ? false : await forwardProxy();
      start({ tracesSampleRate: 1, transportOptions: { proxy } });
      const objects = collectionWatch();
      const base = await listen((req, res) => {
        objects.watch(getIsolationScope(), 'isolation scope');
        req.resume();
        req.on('end', () => res.end('ok'));
      });
      expect(await post(`${base}/checkout`, '')).toBe('ok');
      await ingest.waitFor(() => ingest.transactions().length === 1);
      // The root span ends when the server's response closes, which may follow the client's last
      // byte: only now is the send surely pending, and flush waits for the ingest's answer to reach
      // the SDK.
      expect(await flush(3000)).toBe(true);
      // The connection stays open for reuse (keepAliveTimeout, 30 s), the scope must not stay with it.
      expect(await objects.collected('isolation scope')).toBe(true);
    });
  }
});

/** A forward proxy on loopback (absolute-form requests), outside the SDK's HTTP instrumentation. */
async function forwardProxy(): Promise<string> {
  const proxy = http.createServer((req, res) => {
    const upstream = http.request(req.url!, { method: req.method, headers: req.headers }, (response) => {
      res.writeHead(response.statusCode ?? 502, response.headers);
      response.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  (proxy as unknown as Record<symbol, boolean>)[Symbol.for('faultline.node.httpServerInstrumented')] = true;
  servers.push(proxy);
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
}
