/**
 * What requests leave behind: an Express 5 app at tracing 1.0, every transaction and error delivered
 * to the test ingest, then the heap after a full GC. The RSS that the benchmarks add at tracing 1.0
 * is garbage promoted while requests and envelopes are in flight; this test keeps it that way.
 */
import express5 from 'express5';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startIngest, type TestIngest } from '../../../test/ingest';
import { retainedByRequests } from '../../../test/support/request-load';
import { close, flush, getDefaultIntegrations, init } from '../src/index';
import { buildShopApp, listen, type Running } from './express-apps';

const PROCESS_HANDLERS = new Set(['OnUncaughtException', 'OnUnhandledRejection', 'ProcessExitFlush']);
/** Ids vary so that names, URLs and user ids are new strings each time, as in a real service. */
const ROUTES = ['/ok/', '/api/v1/orgs/acme/users/', '/proxy?id=', '/users/'];

let ingest: TestIngest;
let downstream: Running;
let app: Running;

beforeAll(async () => {
  ingest = await startIngest();
  init({
    dsn: ingest.dsn,
    tracesSampleRate: 1,
    transportOptions: { bufferSize: 1000 },
    defaultIntegrations: getDefaultIntegrations().filter((i) => !PROCESS_HANDLERS.has(i.name)),
  });
  downstream = await listen((_req, res) => res.end('downstream'));
  app = await listen(buildShopApp(5, express5, { downstream: downstream.base }));
});
afterAll(async () => {
  await close(2000);
  await app.close();
  await downstream.close();
  await ingest.close();
});

it('3,000 traced requests keep less than 100 bytes each on the heap once collected (the smaller of two windows)', async () => {
  const load = { base: app.base, routes: ROUTES, ingest, flush };
  const { kept, delivered } = await retainedByRequests(load, 3000, 3000);
  // Each /proxy request also calls the downstream service twice (fetch, http.get): 2 × 750 more.
  expect(delivered).toEqual([
    { transactions: 4500, events: 750 },
    { transactions: 4500, events: 750 },
  ]);
  expect(kept).toBeLessThan(3000 * 100);
}, 120_000);
