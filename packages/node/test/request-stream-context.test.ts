/**
 * Node emits an incoming request's stream events (`data`, `end`) from socket reads, in the async
 * context of the connection, not of the request. Listeners on them must still see the request's
 * scopes: an error captured when the body has arrived belongs to that request, with its data, user
 * and trace, even on a keep-alive connection whose earlier requests had their own. Real node:http
 * server on loopback, bodies sent in parts, envelopes received by the test ingest.
 */
import http, { type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { captureException, close, getGlobalScope, setUser, withScope } from '@faultline/core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startIngest, type TestIngest } from '../../../test/ingest';
import { getDefaultIntegrations, init } from '../src/index';

const PROCESS_HANDLERS = new Set(['OnUncaughtException', 'OnUnhandledRejection', 'ProcessExitFlush']);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let ingest: TestIngest;
let server: Server | undefined;

beforeAll(async () => {
  ingest = await startIngest();
});
afterAll(() => ingest.close());
beforeEach(() => {
  ingest.reset();
  init({
    dsn: ingest.dsn,
    tracesSampleRate: 1,
    tracePropagationTargets: [],
    defaultIntegrations: getDefaultIntegrations().filter((i) => !PROCESS_HANDLERS.has(i.name)),
  });
});
afterEach(async () => {
  await close(2000);
  getGlobalScope().clear();
  await new Promise((resolve) => server?.close(resolve));
});

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<number> {
  server = http.createServer(handler);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return (server!.address() as AddressInfo).port;
}

/** A POST whose body arrives in two parts, the second after the handler has returned. */
function postInParts(port: number, path: string, agent: http.Agent): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = http.request({ port, host: '127.0.0.1', path, method: 'POST', agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve(text));
    });
    request.on('error', reject);
    request.write(`${path.slice(1)}:`);
    void sleep(30).then(() => request.end('done'));
  });
}

describe("an incoming request's stream events", () => {
  it("run in the request's scopes on a keep-alive connection: each error has its own request, user and trace", async () => {
    const port = await listen((req, res) => {
      setUser({ id: `user-${req.url}` });
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        captureException(new Error(`body ${body}`));
        res.end(body);
      });
    });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const paths = ['/first', '/second', '/third'];
    try {
      for (const path of paths) expect(await postInParts(port, path, agent)).toBe(`${path.slice(1)}:done`);
    } finally {
      agent.destroy();
    }

    await ingest.waitFor(() => ingest.events().length === 3 && ingest.transactions().length === 3);
    for (const path of paths) {
      const event = ingest
        .events()
        .find((e) => e.exception?.values?.[0]?.value === `body ${path.slice(1)}:done`);
      const transaction = ingest.transactions().find((t) => t.transaction === `POST ${path}`);
      expect(event?.request?.url).toBe(`http://127.0.0.1:${port}${path}`);
      expect(event?.user).toEqual({ id: `user-${path}` });
      expect(event?.transaction).toBe(`POST ${path}`);
      expect(event?.contexts?.trace?.trace_id).toBe(transaction?.contexts?.trace?.trace_id);
      expect(event?.contexts?.trace?.span_id).toBe(transaction?.contexts?.trace?.span_id);
    }
    expect(new Set(ingest.transactions().map((t) => t.contexts?.trace?.trace_id)).size).toBe(3);
    expect(ingest.schemaErrors()).toEqual([]);
  });

  it("run in the request's scopes when read after the response finished, beside Node's own listener", async () => {
    // Answered first: the server then adds its own `clearIncoming` to `end` (the request has not
    // ended yet), and the app's listener runs beside it.
    let endListeners: string[] = [];
    const port = await listen((req, res) => {
      setUser({ id: `late-${req.url}` });
      res.end('accepted');
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk) => (body += chunk));
      res.on('finish', () =>
        req.on('end', () => {
          endListeners = req.listeners('end').map((listener) => listener.name);
          captureException(new Error(`late ${body}`));
        }),
      );
    });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      expect(await postInParts(port, '/late', agent)).toBe('accepted');
      // The answer came before the body's second part: the connection must stay until it is sent.
      await ingest.waitFor(() => ingest.events().length === 1);
    } finally {
      agent.destroy();
    }
    expect(endListeners).toContain('clearIncoming');
    const event = ingest.events()[0]!;
    expect(event.exception?.values?.[0]?.value).toBe('late late:done');
    expect(event.request?.url).toBe(`http://127.0.0.1:${port}/late`);
    expect(event.user).toEqual({ id: 'late-/late' });
    expect(ingest.schemaErrors()).toEqual([]);
  });

  it("run in the inner handling's scopes when a handler hands the request on to another server", async () => {
    const inner = http.createServer((req, res) => {
      setUser({ id: `inner-${req.url}` });
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        if (body !== '') captureException(new Error(`inner ${body}`));
        res.end(body);
      });
    });
    await new Promise<void>((resolve) => inner.listen(0, '127.0.0.1', resolve));
    try {
      // A request of its own first: the instrumentation takes a server on at its first request.
      const innerUrl = `http://127.0.0.1:${(inner.address() as AddressInfo).port}/own`;
      await new Promise((resolve) => http.get(innerUrl, (res) => res.resume().on('end', resolve)));
      const port = await listen((req, res) => {
        setUser({ id: 'outer' });
        inner.emit('request', req, res);
      });
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      try {
        expect(await postInParts(port, '/handed', agent)).toBe('handed:done');
      } finally {
        agent.destroy();
      }
    } finally {
      await new Promise((resolve) => inner.close(resolve));
    }

    await ingest.waitFor(() => ingest.events().length === 1);
    expect(ingest.events()[0]!.exception?.values?.[0]?.value).toBe('inner handed:done');
    expect(ingest.events()[0]!.user).toEqual({ id: 'inner-/handed' });
  });

  it('keep the scope of a nested withScope they are emitted in', async () => {
    const port = await listen((req, res) => {
      req.on('checked', () => captureException(new Error('checked')));
      withScope((scope) => {
        scope.setTag('step', 'nested');
        req.emit('checked');
      });
      req.resume().on('end', () => res.end('ok'));
    });
    const agent = new http.Agent({ keepAlive: false });
    expect(await postInParts(port, '/nested', agent)).toBe('ok');

    await ingest.waitFor(() => ingest.events().length === 1);
    expect(ingest.events()[0]!.tags).toMatchObject({ step: 'nested' });
    expect(ingest.events()[0]!.request?.url).toBe(`http://127.0.0.1:${port}/nested`);
  });
});
