/**
 * Acceptance for route naming and error capture on real Fastify 4 and 5 apps, envelopes through the
 * test ingest.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startIngest, type TestIngest } from '../../../test/ingest';
import { transactionProblems } from '../../../test/support/trace-checks';
import {
  type Event,
  FASTIFY_MECHANISM,
  faultlineFastify,
  flush,
  setupFastifyErrorHandler,
} from '../src/index';
import { FASTIFY_MAJORS, listen, startSdk, stopSdk } from './fastify-apps';

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

const lastException = (event: Event) => event.exception!.values!.at(-1)!;

async function settled(expected: { transactions: number; events?: number }): Promise<void> {
  await flush(3000);
  await ingest.waitFor(
    () =>
      ingest.transactions().length >= expected.transactions &&
      ingest.events().length >= (expected.events ?? 0),
    { timeout: 5000 },
  );
  await flush(500);
  expect(ingest.schemaErrors()).toEqual([]);
  for (const transaction of ingest.transactions()) expect(transactionProblems(transaction)).toEqual([]);
}

describe.each(FASTIFY_MAJORS)('%s', (_major, createApp) => {
  async function usersApp(register: (app: FastifyInstance) => unknown): Promise<string> {
    const app = createApp({ logger: false });
    apps.push(app);
    await register(app);
    app.get('/users/:id', async function loadUser() {
      throw new Error('user store is down');
    });
    return listen(app);
  }

  it('names the transaction after the route and reports the thrown error once, linked to it', async () => {
    startSdk(ingest);
    const base = await usersApp((app) => app.register(faultlineFastify));
    const response = await fetch(`${base}/users/123`);
    expect(response.status).toBe(500);
    expect(response.headers.get('sentry-trace')).toBeNull();
    expect(response.headers.get('server-timing')).toBeNull();
    await settled({ transactions: 1, events: 1 });

    const [transaction] = ingest.transactions();
    expect(transaction!.transaction).toBe('GET /users/:id');
    expect(transaction!.transaction_info?.source).toBe('route');
    const trace = transaction!.contexts!.trace!;
    expect(trace.op).toBe('http.server');
    expect(trace.status).toBe('internal_error');
    expect(trace.data).toMatchObject({ 'http.response.status_code': 500, 'http.route': '/users/:id' });

    expect(ingest.events()).toHaveLength(1);
    const [event] = ingest.events();
    expect(event!.sdk?.name).toBe('faultline.javascript.fastify');
    expect(event!.transaction).toBe('GET /users/:id');
    expect(event!.contexts!.trace!.trace_id).toBe(trace.trace_id);
    const exception = lastException(event!);
    expect(exception.value).toBe('user store is down');
    expect(exception.mechanism).toMatchObject({ type: FASTIFY_MECHANISM, handled: false });
    const frame = exception.stacktrace!.frames!.find((f) => f.function?.includes('loadUser'));
    expect(frame).toMatchObject({ lineno: expect.any(Number), colno: expect.any(Number), in_app: true });
  });

  it('names errors after the route with tracing unset, with a trace context', async () => {
    startSdk(ingest, { tracesSampleRate: undefined });
    const base = await usersApp((app) => setupFastifyErrorHandler(app));
    await fetch(`${base}/users/7`);
    await flush(3000);
    await ingest.waitFor(() => ingest.events().length === 1);
    const [event] = ingest.events();
    expect(event!.transaction).toBe('GET /users/:id');
    expect(event!.contexts!.trace!.trace_id).toMatch(/^[0-9a-f]{32}$/);
    expect(lastException(event!).mechanism).toMatchObject({ type: FASTIFY_MECHANISM, handled: false });
    expect(ingest.transactions()).toEqual([]);
  });

  it('names errors raised before the handler after the route with tracing unset', async () => {
    startSdk(ingest, { tracesSampleRate: undefined });
    const app = createApp();
    apps.push(app);
    await app.register(faultlineFastify);
    app.addHook('onRequest', (request, _reply, done) => {
      done(request.url.startsWith('/orders/') ? new Error('onRequest failed') : undefined);
    });
    app.get('/orders/:id', () => 'never');
    app.get(
      '/carts/:id',
      { preHandler: async () => Promise.reject(new Error('preHandler failed')) },
      () => 'never',
    );
    app.get('/users/:id', async () => {
      throw new Error('handler failed');
    });
    const base = await listen(app);
    for (const path of ['/orders/1', '/carts/2', '/users/3'])
      expect((await fetch(base + path)).status).toBe(500);
    await flush(3000);
    await ingest.waitFor(() => ingest.events().length === 3);
    const named = ingest.events().map((event) => [lastException(event).value, event.transaction]);
    expect(named.sort()).toEqual([
      ['handler failed', 'GET /users/:id'],
      ['onRequest failed', 'GET /orders/:id'],
      ['preHandler failed', 'GET /carts/:id'],
    ]);
  });

  it('reports no 4xx by default, and keeps URL names for requests that match no route', async () => {
    startSdk(ingest);
    const app = createApp();
    apps.push(app);
    await app.register(faultlineFastify);
    app.get('/bad-request', async () => {
      throw Object.assign(new Error('invalid id'), { statusCode: 400 });
    });
    app.get('/gone', async (_request, reply) => {
      reply.code(404);
      throw new Error('no such order');
    });
    app.get('/missing', async (_request, reply) => reply.code(404).send({ missing: true }));
    app.setErrorHandler(async (error, _request, reply) => {
      if ((error as Error).message === 'validation failed') return reply.code(422).send({ invalid: true });
      throw error;
    });
    app.get('/unprocessable', async () => {
      throw new Error('validation failed');
    });
    const base = await listen(app);
    const statuses = [];
    for (const path of ['/bad-request', '/gone', '/missing', '/unprocessable', '/nope/123']) {
      statuses.push((await fetch(base + path)).status);
    }
    expect(statuses).toEqual([400, 404, 404, 422, 404]);
    await settled({ transactions: 5 });
    expect(ingest.events()).toEqual([]);
    const names = ingest.transactions().map((t) => [t.transaction, t.transaction_info?.source]);
    expect(names).toEqual(
      expect.arrayContaining([
        ['GET /bad-request', 'route'],
        ['GET /missing', 'route'],
        ['GET /nope/123', 'url'],
      ]),
    );
  });

  it('reports 4xx errors when shouldHandleError says so, with the request and reply', async () => {
    startSdk(ingest);
    const seen: Array<[number, string, number]> = [];
    const app = createApp();
    apps.push(app);
    await app.register(faultlineFastify, {
      shouldHandleError(_error, statusCode, request, reply) {
        seen.push([statusCode, request.url, reply.statusCode]);
        return statusCode >= 400;
      },
    });
    app.get('/bad-request', async () => {
      throw Object.assign(new Error('invalid id'), { statusCode: 400 });
    });
    const base = await listen(app);
    await fetch(`${base}/bad-request`);
    await settled({ transactions: 1, events: 1 });
    expect(seen).toEqual([[400, '/bad-request', 400]]);
    expect(lastException(ingest.events()[0]!).value).toBe('invalid id');
  });

  it('reports each hook or handler error exactly once, whichever hook raised it', async () => {
    startSdk(ingest);
    const app = createApp();
    apps.push(app);
    await app.register(faultlineFastify);
    app.addHook('onRequest', (request, _reply, done) => {
      done(request.url === '/on-request' ? new Error('onRequest failed') : undefined);
    });
    app.get(
      '/pre-handler',
      { preHandler: async () => Promise.reject(new Error('preHandler failed')) },
      () => 'x',
    );
    app.get('/sync', () => {
      throw new Error('sync handler failed');
    });
    app.get('/on-request', () => 'never');
    app.get('/send-error', (_request, reply) => {
      reply.send(new Error('sent as payload'));
    });
    const base = await listen(app);
    for (const path of ['/on-request', '/pre-handler', '/sync', '/send-error']) {
      expect((await fetch(base + path)).status).toBe(500);
    }
    await settled({ transactions: 4, events: 4 });
    const values = ingest.events().map((event) => lastException(event).value);
    expect(values.sort()).toEqual([
      'onRequest failed',
      'preHandler failed',
      'sent as payload',
      'sync handler failed',
    ]);
    expect(
      ingest
        .events()
        .map((event) => event.transaction)
        .sort(),
    ).toEqual(['GET /on-request', 'GET /pre-handler', 'GET /send-error', 'GET /sync']);
  });

  it('reports thrown strings and plain objects readably', async () => {
    startSdk(ingest);
    const app = createApp();
    apps.push(app);
    await app.register(faultlineFastify);
    app.get('/string', async () => {
      throw 'payment provider said no';
    });
    app.get('/object', async () => {
      throw { reason: 'card declined', code: 'E_CARD' };
    });
    const base = await listen(app);
    await fetch(`${base}/string`);
    await fetch(`${base}/object`);
    await settled({ transactions: 2, events: 2 });
    expect(ingest.events()).toHaveLength(2);
    const values = ingest.events().map((event) => lastException(event).value);
    expect(values.sort()).toEqual([
      'Object captured as exception with keys: code, reason',
      'payment provider said no',
    ]);
    expect(JSON.stringify(ingest.events())).not.toContain('[object ');
    for (const event of ingest.events()) {
      expect(lastException(event).mechanism).toMatchObject({ type: FASTIFY_MECHANISM, handled: false });
    }
  });

  it('names routes registered in prefixed child plugins, and routes added before the plugin', async () => {
    startSdk(ingest);
    const app = createApp();
    apps.push(app);
    app.get('/early/:slug', async () => 'ok');
    setupFastifyErrorHandler(app);
    app.register(
      async (child) => {
        child.get('/orders/:orderId', async () => {
          throw new Error('order failed');
        });
      },
      { prefix: '/v1' },
    );
    const base = await listen(app);
    await fetch(`${base}/early/a`);
    await fetch(`${base}/v1/orders/9`);
    await settled({ transactions: 2, events: 1 });
    expect(
      ingest
        .transactions()
        .map((t) => t.transaction)
        .sort(),
    ).toEqual(['GET /early/:slug', 'GET /v1/orders/:orderId']);
    expect(ingest.events()[0]!.transaction).toBe('GET /v1/orders/:orderId');
  });
});

describe('fastify 5 handler error channel', () => {
  const [, createApp] = FASTIFY_MAJORS[1]!;

  it('reports an error thrown after the reply was sent, which no onError hook sees', async () => {
    startSdk(ingest);
    const app = createApp();
    apps.push(app);
    await app.register(faultlineFastify);
    app.get('/late/:id', async (_request, reply) => {
      await reply.send({ ok: true });
      throw new Error('cleanup after reply failed');
    });
    const base = await listen(app);
    expect((await fetch(`${base}/late/1`)).status).toBe(200);
    await settled({ transactions: 1, events: 1 });
    expect(ingest.events()).toHaveLength(1);
    expect(lastException(ingest.events()[0]!).value).toBe('cleanup after reply failed');
    expect(ingest.events()[0]!.transaction).toBe('GET /late/:id');
  });
});
