/** Express 4 and 5 apps on loopback, envelopes through the test ingest, tracing on. */
import type { IncomingHttpHeaders } from 'node:http';
import type { Event } from '@faultline/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startIngest, type TestIngest } from '../../../test/ingest';
import { transactionProblems } from '../../../test/support/trace-checks';
import { close, flush, getDefaultIntegrations, init } from '../src/index';
import { buildShopApp, EXPRESS_VERSIONS, listen, type Running } from './express-apps';

const PROCESS_HANDLERS = new Set(['OnUncaughtException', 'OnUnhandledRejection', 'ProcessExitFlush']);
let ingest: TestIngest;
let downstream: Running;
const downstreamHeaders: IncomingHttpHeaders[] = [];

beforeAll(async () => {
  ingest = await startIngest();
  init({
    dsn: ingest.dsn,
    tracesSampleRate: 1,
    tracePropagationTargets: [/\/downstream\//],
    transportOptions: { bufferSize: 1000 },
    defaultIntegrations: getDefaultIntegrations().filter((i) => !PROCESS_HANDLERS.has(i.name)),
  });
  downstream = await listen((req, res) => {
    downstreamHeaders.push(req.headers);
    res.end('downstream');
  });
});
afterAll(async () => {
  await close(2000);
  await downstream.close();
  await ingest.close();
});

const transactionNamed = (name: string) => ingest.transactions().filter((t) => t.transaction === name);
const lastException = (event: Event) => event.exception!.values!.at(-1)!;

describe.each(EXPRESS_VERSIONS)('Express $major', ({ major, express }) => {
  let app: Running;
  beforeAll(async () => {
    app = await listen(
      buildShopApp(major, express, { downstream: downstream.base, handlerOptions: { serverTiming: false } }),
    );
  });
  afterAll(() => app.close());
  beforeEach(() => {
    ingest.reset();
    downstreamHeaders.length = 0;
  });

  async function settle(expected: { transactions: number; events: number }): Promise<void> {
    await flush(3000);
    await ingest.waitFor(
      () =>
        ingest.transactions().length >= expected.transactions && ingest.events().length >= expected.events,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    await flush(3000);
  }

  it('names the transaction after the route and reports the thrown error once, linked to it', async () => {
    const response = await fetch(`${app.base}/users/123`);
    expect(response.status).toBe(500);
    expect(response.headers.get('sentry-trace')).toBeNull();
    expect(response.headers.get('baggage')).toBeNull();
    expect(response.headers.get('server-timing')).toBeNull();
    await settle({ transactions: 1, events: 1 });

    const [transaction] = transactionNamed('GET /users/:id');
    expect(transaction).toBeDefined();
    expect(transaction!.transaction_info?.source).toBe('route');
    const trace = transaction!.contexts!.trace!;
    expect(trace.op).toBe('http.server');
    expect(trace.status).toBe('internal_error');
    expect(trace.data).toMatchObject({ 'http.response.status_code': 500, 'http.route': '/users/:id' });
    expect(transactionProblems(transaction!)).toEqual([]);

    expect(ingest.events()).toHaveLength(1);
    const [event] = ingest.events();
    expect(event!.transaction).toBe('GET /users/:id');
    expect(event!.contexts!.trace!.trace_id).toBe(trace.trace_id);
    const exception = lastException(event!);
    expect(exception.value).toBe('user 123 exploded');
    expect(exception.mechanism).toMatchObject({ type: 'auto.middleware.express', handled: false });
    const thrower = exception.stacktrace!.frames!.at(-1)!;
    expect(thrower.function).toBe('explodeUser');
    expect(thrower.lineno).toBeGreaterThan(0);
    expect(thrower.colno).toBeGreaterThan(0);
    expect(event!.sdk?.name).toBe('faultline.javascript.express');
    expect(event!.user).toBeUndefined();
    expect(ingest.schemaErrors()).toEqual([]);
  });

  it('reports errors passed to next(err) and from async handlers', async () => {
    const paths = ['/next-error/1', '/async-next/2', ...(major === 5 ? ['/async-reject/3'] : [])];
    for (const path of paths) expect((await fetch(`${app.base}${path}`)).status).toBe(500);
    await settle({ transactions: paths.length, events: paths.length });
    const byTransaction = Object.fromEntries(
      ingest.events().map((e) => [e.transaction ?? '', lastException(e)]),
    );
    expect(Object.keys(byTransaction).sort()).toEqual(
      [
        'GET /next-error/:id',
        'GET /async-next/:id',
        ...(major === 5 ? ['GET /async-reject/:id'] : []),
      ].sort(),
    );
    for (const exception of Object.values(byTransaction)) {
      expect(exception.mechanism).toMatchObject({ type: 'auto.middleware.express', handled: false });
    }
    if (major === 5) expect(byTransaction['GET /async-reject/:id']!.value).toBe('rejected 3');
    expect(ingest.events()).toHaveLength(paths.length);
    expect(ingest.schemaErrors()).toEqual([]);
  });

  it('does not report 4xx responses, errors with a 4xx status, or unmatched routes', async () => {
    expect((await fetch(`${app.base}/missing/9`)).status).toBe(404);
    expect((await fetch(`${app.base}/bad-request`)).status).toBe(400);
    expect((await fetch(`${app.base}/no/such/page`)).status).toBe(404);
    await settle({ transactions: 3, events: 0 });
    expect(ingest.events()).toEqual([]);
    expect(transactionNamed('GET /missing/:id')[0]!.contexts!.trace!.status).toBe('not_found');
    const unmatched = transactionNamed('GET /no/such/page')[0]!;
    expect(unmatched.transaction_info?.source).toBe('url');
    expect(unmatched.contexts!.trace!.data?.['http.route']).toBeUndefined();
  });

  it('names nested routers, parameterised mounts, arrays, regexes and sub-apps', async () => {
    const cases: Array<[string, string]> = [
      ['/api/v1/orgs/acme/users/42', 'GET /api/v1/orgs/:orgId/users/:userId'],
      ['/api', 'GET /api'],
      ['/multi-b/7', 'GET /multi-a/:id,/multi-b/:id'],
      ['/regex/123', `GET ${String(/^\/regex\/\d+$/)}`],
      ['/admin/stats/monday', 'GET /admin/stats/:day'],
      ['/ok/1?query=yes', 'GET /ok/:id'],
    ];
    for (const [path] of cases) expect((await fetch(`${app.base}${path}`)).status).toBe(200);
    expect((await fetch(`${app.base}/api/v1/orgs/org/fail/org`)).status).toBe(500);
    await settle({ transactions: cases.length + 1, events: 1 });
    for (const [, name] of cases) {
      const [transaction] = transactionNamed(name);
      expect(transaction, name).toBeDefined();
      expect(transaction!.transaction_info?.source).toBe('route');
      expect(transactionProblems(transaction!)).toEqual([]);
    }
    expect(ingest.events()[0]!.transaction).toBe('GET /api/v1/orgs/:orgId/fail/:userId');
  });

  it('continues the incoming trace and propagates only its sentry-* baggage', async () => {
    const traceId = '771a43a4192642f0b136d5159a501700';
    const incomingBaggage =
      'sentry-release=2.0.0,sentry-environment=myEnv,dogs=great,sentry-sample_rand=0.42';
    const proxy = async (sentryTrace: string, baggage: string) => {
      downstreamHeaders.length = 0;
      expect(
        (await fetch(`${app.base}/proxy`, { headers: { 'sentry-trace': sentryTrace, baggage } })).status,
      ).toBe(200);
      expect(downstreamHeaders).toHaveLength(2);
      return downstreamHeaders.map((headers) => ({
        sentryTrace: String(headers['sentry-trace']),
        baggage: headers.baggage === undefined ? [] : String(headers.baggage).split(','),
      }));
    };

    for (const outgoing of await proxy(`${traceId}-b7ad6b7169203331-1`, incomingBaggage)) {
      expect(outgoing.sentryTrace).toMatch(new RegExp(`^${traceId}-[0-9a-f]{16}-1$`));
      expect(outgoing.baggage.sort()).toEqual([
        'sentry-environment=myEnv',
        'sentry-release=2.0.0',
        'sentry-sample_rand=0.42',
      ]);
    }

    for (const outgoing of await proxy('not-a-trace', incomingBaggage)) {
      expect(outgoing.sentryTrace).toMatch(/^[0-9a-f]{32}-[0-9a-f]{16}-1$/);
      expect(outgoing.sentryTrace).not.toContain(traceId);
      const baggage = outgoing.baggage.join(',');
      for (const incoming of [traceId, '2.0.0', 'myEnv', 'dogs']) expect(baggage).not.toContain(incoming);
      // The new trace's own random sample_rand may start with 0.42: the incoming member must be gone.
      expect(outgoing.baggage).not.toContain('sentry-sample_rand=0.42');
    }
    await settle({ transactions: 2, events: 0 });
    const continued = transactionNamed('GET /proxy').filter((t) => t.contexts!.trace!.trace_id === traceId);
    expect(continued).toHaveLength(1);
    for (const transaction of continued)
      expect(transaction.contexts!.trace!.parent_span_id).toBe('b7ad6b7169203331');
  });

  it('leaves req.user off events without sendDefaultPii', async () => {
    await fetch(`${app.base}/users/5`, { headers: { 'x-authenticated': 'alice' } });
    await settle({ transactions: 1, events: 1 });
    expect(ingest.events()[0]!.user).toBeUndefined();
  });

  it('records middleware and request handler spans and Server-Timing when asked', async () => {
    const traced = await listen(
      buildShopApp(major, express, { handlerOptions: { middlewareSpans: true, serverTiming: true } }),
    );
    try {
      const response = await fetch(`${traced.base}/api/v1/orgs/acme/users/42`);
      expect(response.headers.get('server-timing')).toMatch(
        /^sentry-trace;desc="[0-9a-f]{32}-[0-9a-f]{16}-1", baggage;desc="/,
      );
      expect(response.headers.get('sentry-trace')).toBeNull();
      await settle({ transactions: 1, events: 0 });
      const [transaction] = transactionNamed('GET /api/v1/orgs/:orgId/users/:userId');
      expect(transactionProblems(transaction!)).toEqual([]);
      const spans = transaction!.spans!.map((span) => [span.op, span.description]);
      expect(spans).toContainEqual(['middleware.express', 'identifyUser']);
      expect(spans).toContainEqual(['router.express', 'router']);
      expect(spans).toContainEqual(['request_handler.express', '/api/v1/orgs/:orgId/users/:userId']);
      expect(transaction!.spans!.every((span) => span.origin === 'auto.http.express')).toBe(true);
      const timingTraceId = /desc="([0-9a-f]{32})/.exec(response.headers.get('server-timing')!)![1];
      expect(transaction!.contexts!.trace!.trace_id).toBe(timingTraceId);
    } finally {
      await traced.close();
    }
  });

  it('keeps each of 200 concurrent requests’ user on its own event', async () => {
    const ids = Array.from({ length: 200 }, (_, i) => `u${i}`);
    const statuses = await Promise.all(
      ids.map(async (id) => (await fetch(`${app.base}/whoami/${id}`, { headers: { 'x-user': id } })).status),
    );
    expect(statuses.every((status) => status === 500)).toBe(true);
    await flush(5000);
    await ingest.waitFor(() => ingest.events().length >= 200, { timeout: 15_000 });
    expect(ingest.events()).toHaveLength(200);
    for (const event of ingest.events()) {
      expect(lastException(event).value).toBe(`whoami ${event.user?.id}`);
      expect(event.transaction).toBe('GET /whoami/:id');
    }
  });
});
