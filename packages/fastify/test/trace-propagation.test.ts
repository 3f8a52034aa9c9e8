/**
 * Continuing an incoming trace through a Fastify handler that calls another (loopback) service:
 * the outgoing headers the downstream service receives, for a valid and an invalid `sentry-trace`.
 */
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startIngest, type TestIngest } from '../../../test/ingest';
import { transactionProblems } from '../../../test/support/trace-checks';
import { faultlineFastify, flush } from '../src/index';
import { FASTIFY_MAJORS, listen, startSdk, stopSdk } from './fastify-apps';

const TRACE_ID = '12312012123120121231201212312012';
const PARENT_SPAN_ID = '1121201211212012';
const BAGGAGE = 'sentry-release=2.0.0,sentry-environment=myEnv,dogs=great,sentry-sample_rand=0.42';
/**
 * A complete upstream DSC: core only trusts Sentry baggage that names the incoming trace, and a
 * frozen DSC without public_key makes an envelope `trace` header the ingest reports as invalid.
 */
const BAGGAGE_OF_TRACE = `sentry-trace_id=${TRACE_ID},sentry-public_key=upstream,${BAGGAGE}`;

let ingest: TestIngest;
let downstream: http.Server;
let downstreamUrl: string;
const received: IncomingHttpHeaders[] = [];
const apps: FastifyInstance[] = [];

beforeAll(async () => {
  ingest = await startIngest();
  downstream = http.createServer((request, response) => {
    received.push(request.headers);
    response.end('{"charged":true}');
  });
  await new Promise<void>((resolve) => downstream.listen(0, '127.0.0.1', resolve));
  downstreamUrl = `http://127.0.0.1:${(downstream.address() as AddressInfo).port}/downstream/charge`;
});
afterAll(async () => {
  await new Promise((resolve) => downstream.close(resolve));
  await ingest.close();
});
beforeEach(() => {
  ingest.reset();
  received.length = 0;
});
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
  await stopSdk();
});

const baggageEntries = (header: string | string[] | undefined) =>
  String(header ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .sort();

describe.each(FASTIFY_MAJORS)('%s', (_major, createApp) => {
  async function gateway(): Promise<string> {
    startSdk(ingest, { tracePropagationTargets: [/\/downstream\//] });
    const app = createApp();
    apps.push(app);
    await app.register(faultlineFastify);
    app.get('/checkout/:cartId', async () => {
      const viaFetch = await fetch(downstreamUrl);
      await viaFetch.text();
      await new Promise<void>((resolve, reject) => {
        http.get(downstreamUrl, (response) => response.resume().on('end', resolve)).on('error', reject);
      });
      return { ok: true };
    });
    return listen(app);
  }

  it('keeps the incoming trace id and forwards only the incoming sentry-* baggage', async () => {
    const base = await gateway();
    const response = await fetch(`${base}/checkout/42`, {
      headers: { 'sentry-trace': `${TRACE_ID}-${PARENT_SPAN_ID}-1`, baggage: BAGGAGE_OF_TRACE },
    });
    expect(response.status).toBe(200);
    expect(received).toHaveLength(2);
    await flush(3000);
    await ingest.waitFor(() => ingest.transactions().some((t) => t.transaction === 'GET /checkout/:cartId'));
    const transaction = ingest.transactions().find((t) => t.transaction === 'GET /checkout/:cartId')!;
    expect(transactionProblems(transaction)).toEqual([]);
    expect(transaction.contexts!.trace).toMatchObject({ trace_id: TRACE_ID, parent_span_id: PARENT_SPAN_ID });
    const clientSpanIds = new Set(
      (transaction.spans ?? []).filter((span) => span.op === 'http.client').map((span) => span.span_id),
    );
    expect(clientSpanIds.size).toBe(2);
    for (const headers of received) {
      const [traceId, spanId, sampled] = String(headers['sentry-trace']).split('-');
      expect(traceId).toBe(TRACE_ID);
      expect(sampled).toBe('1');
      expect(clientSpanIds.has(spanId!)).toBe(true);
      expect(baggageEntries(headers.baggage)).toEqual([
        'sentry-environment=myEnv',
        'sentry-public_key=upstream',
        'sentry-release=2.0.0',
        'sentry-sample_rand=0.42',
        `sentry-trace_id=${TRACE_ID}`,
      ]);
    }
    expect(ingest.schemaErrors()).toEqual([]);
  });

  it('with the exact baggage of the issue: forwards exactly its sentry-* entries, never dogs=great', async () => {
    const base = await gateway();
    await fetch(`${base}/checkout/44`, {
      headers: { 'sentry-trace': `${TRACE_ID}-${PARENT_SPAN_ID}-1`, baggage: BAGGAGE },
    });
    expect(received).toHaveLength(2);
    for (const headers of received) {
      expect(String(headers['sentry-trace']).split('-')[0]).toBe(TRACE_ID);
      expect(baggageEntries(headers.baggage)).toEqual([
        'sentry-environment=myEnv',
        'sentry-release=2.0.0',
        'sentry-sample_rand=0.42',
      ]);
    }
  });

  it('does not propagate the incoming baggage when the sentry-trace header is invalid', async () => {
    const base = await gateway();
    await fetch(`${base}/checkout/43`, {
      headers: { 'sentry-trace': 'not-a-trace-header', baggage: BAGGAGE },
    });
    expect(received).toHaveLength(2);
    for (const headers of received) {
      const [traceId] = String(headers['sentry-trace']).split('-');
      expect(traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(traceId).not.toBe(TRACE_ID);
      const entries = baggageEntries(headers.baggage);
      expect(entries).toContain(`sentry-trace_id=${traceId}`);
      // Whole members: our own fresh sample_rand may well start with 0.42.
      for (const incoming of [
        'sentry-environment=myEnv',
        'sentry-release=2.0.0',
        'sentry-sample_rand=0.42',
      ]) {
        expect(entries).not.toContain(incoming);
      }
      expect(entries.join(',')).not.toContain('dogs');
    }
  });
});
