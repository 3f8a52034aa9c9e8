/** The helpers framework packages share, exercised on a plain node:http server through the ingest. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIngest, type TestIngest } from '../../../test/ingest';
import {
  captureRequestError,
  close,
  flush,
  getDefaultIntegrations,
  init,
  nameRequestAfterRoute,
  setServerTimingTraceHeader,
  statusCodeOfError,
} from '../src/index';

const PROCESS_HANDLERS = new Set(['OnUncaughtException', 'OnUnhandledRejection', 'ProcessExitFlush']);
let ingest: TestIngest;
let base: string;
let server: http.Server;

beforeAll(async () => {
  ingest = await startIngest();
  init({
    dsn: ingest.dsn,
    tracesSampleRate: 1,
    defaultIntegrations: getDefaultIntegrations().filter((i) => !PROCESS_HANDLERS.has(i.name)),
  });
  server = http.createServer((req, res) => {
    const id = req.url!.split('/')[2];
    nameRequestAfterRoute(res, req.method!, '/users/:id');
    setServerTimingTraceHeader(res);
    if (id === 'missing') {
      const notFound = Object.assign(new Error('no such user'), { status: 404 });
      captureRequestError(notFound, 'auto.test', statusCodeOfError(notFound));
      res.statusCode = 404;
    } else if (id === 'broken') {
      const error = new Error('database down');
      captureRequestError(error, 'auto.test', statusCodeOfError(error));
      captureRequestError(error, 'auto.test', 500);
      res.statusCode = 500;
    }
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await close(2000);
  server.close();
  await ingest.close();
});

describe('framework helpers', () => {
  it('name the transaction and errors after the route, capture ≥ 500 once, and set Server-Timing', async () => {
    const ok = await fetch(`${base}/users/42`);
    const timing = ok.headers.get('server-timing')!;
    expect(timing).toMatch(
      /^sentry-trace;desc="[0-9a-f]{32}-[0-9a-f]{16}-1", baggage;desc=".*sentry-trace_id=/,
    );
    expect(ok.headers.get('sentry-trace')).toBeNull();
    await fetch(`${base}/users/missing`);
    await fetch(`${base}/users/broken`);
    await flush(3000);
    await ingest.waitFor(() => ingest.transactions().length === 3 && ingest.events().length === 1);
    expect(ingest.transactions().map((t) => [t.transaction, t.transaction_info?.source])).toEqual([
      ['GET /users/:id', 'route'],
      ['GET /users/:id', 'route'],
      ['GET /users/:id', 'route'],
    ]);
    const [event] = ingest.events();
    expect(event!.transaction).toBe('GET /users/:id');
    expect(event!.exception!.values!.at(-1)!.mechanism).toEqual({ type: 'auto.test', handled: false });
    const traceIdInHeader = /desc="([0-9a-f]{32})/.exec(timing)![1];
    expect(ingest.transactions()[0]!.contexts!.trace!.trace_id).toBe(traceIdInHeader);
    expect(ingest.transactions()[0]!.contexts!.trace!.data).toMatchObject({ 'http.route': '/users/:id' });
  });
});
