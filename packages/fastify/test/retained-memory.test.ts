/**
 * What requests leave behind: a Fastify 5 app with the plugin at tracing 1.0, every transaction and
 * error delivered to the test ingest, then the heap after a full GC. The RSS that the benchmarks add
 * at tracing 1.0 is garbage promoted while requests and envelopes are in flight; this test keeps it
 * that way.
 */
import type { FastifyInstance } from 'fastify';
import fastify5 from 'fastify5';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startIngest, type TestIngest } from '../../../test/ingest';
import { retainedByRequests } from '../../../test/support/request-load';
import { faultlineFastify, flush, setUser } from '../src/index';
import { listen, startSdk, stopSdk } from './fastify-apps';

let ingest: TestIngest;
let app: FastifyInstance;
let base: string;

beforeAll(async () => {
  ingest = await startIngest();
  startSdk(ingest);
  app = (fastify5 as unknown as () => FastifyInstance)();
  await app.register(faultlineFastify);
  app.addHook('onRequest', async (request) => {
    setUser({ id: String(request.headers['x-user']) });
  });
  app.get('/orders/:id', async (request) => ({ order: (request.params as { id: string }).id }));
  app.get('/text/:id', async () => 'ok');
  app.get('/fail/:id', async (request) => {
    throw new Error(`order ${(request.params as { id: string }).id} failed`);
  });
  base = await listen(app);
});
afterAll(async () => {
  await app.close();
  await stopSdk();
  await ingest.close();
});

it('3,000 traced requests keep less than 100 bytes each on the heap once collected (the smaller of two windows)', async () => {
  const load = { base, routes: ['/orders/', '/text/', '/orders/', '/fail/'], ingest, flush };
  const { kept, delivered } = await retainedByRequests(load, 3000, 3000);
  expect(delivered).toEqual([
    { transactions: 3000, events: 750 },
    { transactions: 3000, events: 750 },
  ]);
  expect(kept).toBeLessThan(3000 * 100);
}, 120_000);
