/**
 * A page served by a Node backend (@faultline/node in this process, tracesSampleRate 1) in real
 * Chromium: the page load continues the backend's trace from its meta tags (or Server-Timing), its
 * fetch to the backend carries the trace so the backend's transaction is a child of the browser's
 * `http.client` span, and another origin gets trace headers only when `tracePropagationTargets`
 * names it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  close,
  type Event,
  getDefaultIntegrations,
  getTraceData,
  init,
  setServerTimingTraceHeader,
} from '@faultline/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIngest, type TestIngest } from '../../../test/ingest';
import { transactionProblems } from '../../../test/support/trace-checks';
import { type Browser, launchChromium, type PageServer, page, startPageServer } from './browser-harness';

const PROCESS_HANDLERS = new Set(['OnUncaughtException', 'OnUnhandledRejection', 'ProcessExitFlush']);
const BROWSER_SDK = 'faultline.javascript.browser';
/** A `sentry-trace` header the page sets on an XHR itself. */
const OWN_TRACE = `${'a'.repeat(32)}-${'b'.repeat(16)}-1`;

describe('a page joins its backend trace', () => {
  let ingest: TestIngest;
  let backend: PageServer;
  let other: PageServer;
  let browser: Browser;
  const rendered: Record<string, Record<string, string | undefined>> = {};

  beforeAll(async () => {
    ingest = await startIngest();
    init({
      dsn: ingest.dsn,
      tracesSampleRate: 1,
      transportOptions: { bufferSize: 1000 },
      defaultIntegrations: getDefaultIntegrations().filter((i) => !PROCESS_HANDLERS.has(i.name)),
    });
    backend = await startPageServer();
    other = await startPageServer();
    browser = await launchChromium();

    const pageScript = `const xhr = (path, ownTrace) => new Promise((resolve) => {
      const request = new XMLHttpRequest();
      request.open('GET', path);
      if (ownTrace) request.setRequestHeader('sentry-trace', ownTrace);
      request.onloadend = resolve;
      request.send();
    });
    Promise.all([
      fetch('/api/data').then((r) => r.json()),
      fetch('${other.url}/allowed'),
      fetch('${other.url}/private'),
      xhr('/api/xhr'),
      xhr('/api/own-trace', '${OWN_TRACE}'),
    ]).then(() => { window.done = true; });`;
    const browserInit = `{ dsn: ${JSON.stringify(ingest.dsn)}, tracesSampleRate: 1, tracePropagationTargets: [/\\/allowed$/],
      integrations: [Faultline.browserTracingIntegration({ idleTimeout: 1000 })] }`;
    backend.route('/meta', (_req: IncomingMessage, res: ServerResponse) => {
      const data = { ...getTraceData() };
      rendered.meta = data;
      const head = `<meta name="sentry-trace" content="${data['sentry-trace']}"><meta name="baggage" content="${data.baggage}">`;
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(page({ init: browserInit, head, body: '<h1>Shop</h1>', script: pageScript }));
    });
    backend.route('/timing', (_req: IncomingMessage, res: ServerResponse) => {
      rendered.timing = { ...getTraceData() };
      setServerTimingTraceHeader(res);
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(page({ init: browserInit, script: "fetch('/api/data').then(() => { window.done = true; });" }));
    });
    backend.route('/api/data', (_req: IncomingMessage, res: ServerResponse) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"items":[]}');
    });
    for (const path of ['/api/xhr', '/api/own-trace']) {
      backend.route(path, (_req: IncomingMessage, res: ServerResponse) => {
        res.writeHead(200);
        res.end();
      });
    }
    const cors = (req: IncomingMessage, res: ServerResponse) => {
      res.writeHead(req.method === 'OPTIONS' ? 204 : 200, {
        'access-control-allow-origin': '*',
        'access-control-allow-headers': '*',
      });
      res.end();
    };
    other.route('/allowed', cors);
    other.route('/private', cors);
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await backend?.close();
    await other?.close();
    await close(2000);
    await ingest?.close();
  });

  const browserTransactions = () => ingest.transactions().filter((event) => event.sdk?.name === BROWSER_SDK);
  const backendTransaction = (name: string) =>
    ingest.transactions().find((event) => event.sdk?.name !== BROWSER_SDK && event.transaction === name);

  async function load(path: string): Promise<Event> {
    const tab = await browser.context.newPage();
    await tab.goto(`${backend.url}${path}`);
    await tab.waitForFunction('window.done === true');
    await ingest.waitFor(
      () =>
        browserTransactions().some((event) => event.transaction === path) &&
        !!backendTransaction('GET /api/data'),
      { timeout: 10_000 },
    );
    await tab.close();
    return browserTransactions().find((event) => event.transaction === path)!;
  }

  it('continues the trace of the <meta> tags and passes it to the backend through fetch', async () => {
    const pageload = await load('/meta');
    const [traceId, serverSpanId] = rendered.meta!['sentry-trace']!.split('-');
    expect(pageload.contexts?.trace).toMatchObject({
      op: 'pageload',
      trace_id: traceId,
      parent_span_id: serverSpanId,
    });
    expect(backendTransaction('GET /meta')?.contexts?.trace?.span_id).toBe(serverSpanId);
    expect(transactionProblems(pageload)).toEqual([]);

    const spans = pageload.spans ?? [];
    const apiSpan = spans.find(
      (span) => span.op === 'http.client' && span.description === `GET ${backend.url}/api/data`,
    );
    expect(apiSpan).toMatchObject({
      status: 'ok',
      data: expect.objectContaining({ 'http.response.status_code': 200 }),
    });

    const apiRequest = backend.requests.find((request) => request.path === '/api/data')!;
    expect(apiRequest.headers['sentry-trace']).toBe(`${traceId}-${apiSpan!.span_id}-1`);
    expect(apiRequest.headers.baggage).toContain(`sentry-trace_id=${traceId}`);
    const apiTransaction = backendTransaction('GET /api/data')!;
    expect(apiTransaction.contexts?.trace).toMatchObject({
      trace_id: traceId,
      parent_span_id: apiSpan!.span_id,
    });

    const ops = new Set(spans.map((span) => span.op));
    for (const op of [
      'browser.request',
      'browser.response',
      'browser.domContentLoadedEvent',
      'resource.script',
      'paint',
    ]) {
      expect(ops, op).toContain(op);
    }
    expect(ingest.schemaErrors()).toEqual([]);
  });

  it('traces XHRs too, and never adds a second sentry-trace to one the page set itself', () => {
    const traced = backend.requests.find((request) => request.path === '/api/xhr')!;
    expect(traced.headers['sentry-trace']).toMatch(/^[0-9a-f]{32}-[0-9a-f]{16}-1$/);
    const own = backend.requests.find((request) => request.path === '/api/own-trace')!;
    expect(own.headers['sentry-trace']).toBe(OWN_TRACE);
    const pageload = browserTransactions().find((event) => event.transaction === '/meta')!;
    const spans = (pageload.spans ?? []).filter((span) => span.origin === 'auto.http.browser');
    expect(spans.map((span) => span.description)).toEqual(
      expect.arrayContaining([`GET ${backend.url}/api/xhr`, `GET ${backend.url}/api/own-trace`]),
    );
  });

  it('sends trace headers to another origin only when tracePropagationTargets names it', () => {
    const allowed = other.requests.find(
      (request) => request.path === '/allowed' && request.method === 'GET',
    )!;
    const denied = other.requests.find((request) => request.path === '/private' && request.method === 'GET')!;
    expect(allowed.headers['sentry-trace']).toMatch(/^[0-9a-f]{32}-[0-9a-f]{16}-1$/);
    expect(denied.headers).not.toHaveProperty('sentry-trace');
    expect(denied.headers).not.toHaveProperty('baggage');
    expect(denied.headers).not.toHaveProperty('traceparent');
    expect(
      other.requests.some((request) => request.path === '/private' && request.method === 'OPTIONS'),
    ).toBe(false);
  });

  it('continues the trace of the Server-Timing header when the page has no meta tags', async () => {
    ingest.reset();
    const pageload = await load('/timing');
    const [traceId, serverSpanId] = rendered.timing!['sentry-trace']!.split('-');
    expect(pageload.contexts?.trace).toMatchObject({ trace_id: traceId, parent_span_id: serverSpanId });
    const apiTransaction = backendTransaction('GET /api/data')!;
    expect(apiTransaction.contexts?.trace?.trace_id).toBe(traceId);
  });
});
