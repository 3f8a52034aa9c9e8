/** 200 concurrent requests with different users: each error event carries only its own user. */
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startIngest, type TestIngest } from '../../../test/ingest';
import { captureMessage, faultlineFastify, flush } from '../src/index';
import { FASTIFY_MAJORS, listen, startSdk, stopSdk } from './fastify-apps';

const CONCURRENCY = 200;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let ingest: TestIngest;
const apps: FastifyInstance[] = [];

beforeAll(async () => {
  ingest = await startIngest();
});
afterAll(() => ingest.close());
beforeEach(() => ingest.reset());
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
  await stopSdk();
});

describe.each(FASTIFY_MAJORS)('%s', (_major, createApp) => {
  async function accountsApp(): Promise<string> {
    const app = createApp();
    apps.push(app);
    await app.register(faultlineFastify);
    app.addHook('onRequest', async (request) => {
      const userId = String(request.headers['x-user-id']);
      await sleep(Number(userId) % 7);
      (request as unknown as { user: unknown }).user = { id: userId, email: `user${userId}@example.com` };
    });
    app.get('/accounts/:accountId', async (request) => {
      await sleep(Number((request.params as { accountId: string }).accountId) % 5);
      throw new Error(`account ${(request.params as { accountId: string }).accountId} is locked`);
    });
    return listen(app);
  }

  it('keeps each request user on its own events only (sendDefaultPii)', async () => {
    startSdk(ingest, { sendDefaultPii: true });
    const base = await accountsApp();
    const ids = Array.from({ length: CONCURRENCY }, (_, i) => String(i + 1));
    const statuses = await Promise.all(
      ids.map((id) =>
        fetch(`${base}/accounts/${id}`, { headers: { 'x-user-id': id } }).then((r) => r.status),
      ),
    );
    expect(new Set(statuses)).toEqual(new Set([500]));
    await flush(5000);
    await ingest.waitFor(() => ingest.events().length === CONCURRENCY, { timeout: 10_000 });
    expect(ingest.events()).toHaveLength(CONCURRENCY);
    for (const event of ingest.events()) {
      const accountId = /account (\d+) is locked/.exec(event.exception!.values!.at(-1)!.value!)![1];
      expect(event.user).toMatchObject({ id: accountId, email: `user${accountId}@example.com` });
      expect(event.transaction).toBe('GET /accounts/:accountId');
    }
    expect(new Set(ingest.events().map((e) => e.contexts!.trace!.trace_id)).size).toBe(CONCURRENCY);
    expect(ingest.schemaErrors()).toEqual([]);
  });

  it('gives events the app captures in a handler the request user (sendDefaultPii)', async () => {
    startSdk(ingest, { sendDefaultPii: true, tracesSampleRate: undefined });
    const app = createApp();
    apps.push(app);
    await app.register(faultlineFastify);
    app.addHook('preValidation', async (request) => {
      (request as unknown as { user: unknown }).user = { id: String(request.headers['x-user-id']) };
    });
    app.get('/checkout', async () => {
      captureMessage('checkout looked odd');
      return 'ok';
    });
    const base = await listen(app);
    await fetch(`${base}/checkout`, { headers: { 'x-user-id': '42' } });
    await flush(3000);
    await ingest.waitFor(() => ingest.events().length === 1);
    expect(ingest.events()[0]!.user).toMatchObject({ id: '42' });
    expect(ingest.events()[0]!.transaction).toBe('GET /checkout');
  });

  it('leaves request.user off events without sendDefaultPii', async () => {
    startSdk(ingest);
    const base = await accountsApp();
    await fetch(`${base}/accounts/3`, { headers: { 'x-user-id': '3' } });
    await flush(3000);
    await ingest.waitFor(() => ingest.events().length === 1);
    expect(ingest.events()[0]!.user?.id).toBeUndefined();
    expect(ingest.events()[0]!.user?.email).toBeUndefined();
  });
});
