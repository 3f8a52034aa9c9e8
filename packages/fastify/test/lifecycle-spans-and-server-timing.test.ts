/** Opt-in hook/handler spans and the opt-in Server-Timing trace header, on Fastify 4 and 5. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startIngest, type TestIngest } from '../../../test/ingest';
import { transactionProblems } from '../../../test/support/trace-checks';
import { type FastifyIntegrationOptions, faultlineFastify, flush, type NodeOptions } from '../src/index';
import { FASTIFY_MAJORS, listen, startSdk, stopSdk } from './fastify-apps';

let ingest: TestIngest;
let downstream: http.Server;
let downstreamUrl: string;
/** The `sentry-trace` header of each request the downstream service received. */
const downstreamTraces: Array<string | undefined> = [];
const apps: FastifyInstance[] = [];

beforeAll(async () => {
  ingest = await startIngest();
  downstream = http.createServer((request, response) => {
    downstreamTraces.push(request.headers['sentry-trace'] as string | undefined);
    response.end('{}');
  });
  await new Promise<void>((resolve) => downstream.listen(0, '127.0.0.1', resolve));
  downstreamUrl = `http://127.0.0.1:${(downstream.address() as AddressInfo).port}/prices`;
});
afterAll(async () => {
  await new Promise((resolve) => downstream.close(resolve));
  await ingest.close();
});
beforeEach(() => {
  ingest.reset();
  downstreamTraces.length = 0;
});
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
  await stopSdk();
});

describe.each(FASTIFY_MAJORS)('%s', (_major, createApp) => {
  async function cartApp(
    options: FastifyIntegrationOptions,
    sdkOptions: Partial<NodeOptions> = {},
  ): Promise<string> {
    startSdk(ingest, sdkOptions);
    const app = createApp();
    apps.push(app);
    await app.register(faultlineFastify, options);
    app.addHook('onRequest', function authenticate(_request, _reply, done) {
      setTimeout(done, 2);
    });
    app.get(
      '/carts/:cartId',
      {
        preHandler: async function loadCart() {
          await new Promise((resolve) => setTimeout(resolve, 2));
        },
      },
      async function getCart(_request, reply) {
        await (await fetch(downstreamUrl)).text();
        reply.header('Server-Timing', 'db;dur=12');
        return { items: [] };
      },
    );
    return listen(app);
  }

  async function cartTransaction(base: string) {
    const response = await fetch(`${base}/carts/5`);
    expect(response.status).toBe(200);
    await flush(3000);
    await ingest.waitFor(() => ingest.transactions().some((t) => t.transaction === 'GET /carts/:cartId'));
    const transaction = ingest.transactions().find((t) => t.transaction === 'GET /carts/:cartId')!;
    expect(transactionProblems(transaction)).toEqual([]);
    expect(ingest.schemaErrors()).toEqual([]);
    return { response, transaction };
  }

  it('records hook and handler spans, with outgoing calls under the handler span, when enabled', async () => {
    const { transaction } = await cartTransaction(await cartApp({ lifecycleSpans: true }));
    const spans = transaction.spans ?? [];
    const summary = spans.map((span) => [span.op, span.description, span.origin]);
    expect(summary).toEqual(
      expect.arrayContaining([
        ['hook.fastify', 'onRequest - authenticate', 'auto.http.fastify'],
        ['hook.fastify', 'preHandler - loadCart', 'auto.http.fastify'],
        ['request_handler.fastify', 'handler - getCart', 'auto.http.fastify'],
      ]),
    );
    expect(spans.filter((span) => span.op === 'hook.fastify')).toHaveLength(2);
    const handler = spans.find((span) => span.op === 'request_handler.fastify')!;
    const client = spans.find((span) => span.op === 'http.client')!;
    expect(client.parent_span_id).toBe(handler.span_id);
    expect(handler.parent_span_id).toBe(transaction.contexts!.trace!.span_id);
    const hook = spans.find((span) => span.description === 'onRequest - authenticate')!;
    expect(hook.timestamp! - hook.start_timestamp).toBeGreaterThanOrEqual(0.001);
  });

  it('an unsampled request runs its hooks and handler unwrapped: outgoing calls continue the root span', async () => {
    const base = await cartApp(
      { lifecycleSpans: true, serverTiming: true },
      { tracesSampleRate: 0, tracePropagationTargets: [/\/prices$/] },
    );
    const response = await fetch(`${base}/carts/5`);
    expect(response.status).toBe(200);
    const root = /sentry-trace;desc="([0-9a-f]{32})-([0-9a-f]{16})-0"/.exec(
      response.headers.get('server-timing')!,
    );
    expect(root).not.toBeNull();
    // A span made under a non-recording root records nothing; the handler's call carries the root's id.
    expect(downstreamTraces).toEqual([`${root![1]}-${root![2]}-0`]);
    await flush(3000);
    expect(ingest.transactions()).toEqual([]);
  });

  it('records no lifecycle spans and sets no trace headers by default', async () => {
    const { response, transaction } = await cartTransaction(await cartApp({}));
    expect((transaction.spans ?? []).map((span) => span.op)).toEqual(['http.client']);
    expect(response.headers.get('server-timing')).toBe('db;dur=12');
    expect(response.headers.get('sentry-trace')).toBeNull();
    expect(response.headers.get('baggage')).toBeNull();
  });

  it('adds the root span to Server-Timing when serverTiming is on, keeping the app entries', async () => {
    const { response, transaction } = await cartTransaction(await cartApp({ serverTiming: true }));
    const header = response.headers.get('server-timing')!;
    const { trace_id: traceId, span_id: spanId } = transaction.contexts!.trace!;
    expect(header.startsWith('db;dur=12, ')).toBe(true);
    expect(header).toContain(`sentry-trace;desc="${traceId}-${spanId}-1"`);
    expect(header).toMatch(/baggage;desc="[^"]*sentry-trace_id=/);
  });
});
