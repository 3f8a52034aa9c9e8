import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assembleTrace, type TraceSpanRow } from '../src/trace-assembly';
import {
  errorEnvelope,
  hexId,
  itemEnvelope,
  startTestServer,
  type TestServer,
  transactionEnvelope,
} from './helpers';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

describe('traces across services', () => {
  it('assembles one trace from two services and marks the span where the error happened', async () => {
    const traceId = hexId(32);
    const gatewayRoot = hexId(16);
    const gatewayFetch = hexId(16);
    const paymentsRoot = hexId(16);
    const paymentsDb = hexId(16);
    const t0 = Date.now() / 1000 - 5;
    const gateway = transactionEnvelope({
      traceId,
      spanId: gatewayRoot,
      name: 'POST /checkout',
      serverName: 'gateway',
      start: t0,
      end: t0 + 0.5,
      spans: [
        {
          spanId: gatewayFetch,
          parentSpanId: gatewayRoot,
          op: 'http.client',
          description: 'POST http://payments/charge',
          start: t0 + 0.01,
          end: t0 + 0.45,
          status: 'internal_error',
        },
      ],
    });
    const payments = transactionEnvelope({
      traceId,
      spanId: paymentsRoot,
      parentSpanId: gatewayFetch,
      name: 'POST /charge',
      serverName: 'payments',
      start: t0 + 0.02,
      end: t0 + 0.44,
      spans: [
        {
          spanId: paymentsDb,
          parentSpanId: paymentsRoot,
          op: 'db.query',
          description: 'SELECT cart',
          start: t0 + 0.03,
          end: t0 + 0.1,
        },
      ],
    });
    const error = errorEnvelope({
      errorType: 'PaymentBug',
      contexts: { trace: { trace_id: traceId, span_id: paymentsRoot } },
    });
    // Services report out of order: the callee's transaction and error arrive first.
    for (const envelope of [payments.envelope, error.envelope, gateway.envelope]) {
      expect((await server.send(envelope)).status).toBe(200);
    }

    const trace = await server.api(`/api/traces/${traceId}`);
    expect(trace.rootName).toBe('POST /checkout');
    expect(trace.rootService).toBe('gateway');
    expect(trace.services).toEqual(['gateway', 'payments']);
    expect(trace.roots).toEqual([gatewayRoot]);
    expect(trace.spanCount).toBe(4);
    expect(trace.errorCount).toBe(1);
    expect(trace.durationMs).toBeCloseTo(500, 0);
    expect(trace.spans.map((span: any) => [span.spanId, span.depth, span.service])).toEqual([
      [gatewayRoot, 0, 'gateway'],
      [gatewayFetch, 1, 'gateway'],
      [paymentsRoot, 2, 'payments'],
      [paymentsDb, 3, 'payments'],
    ]);
    const [root, fetchSpan, charge, db] = trace.spans;
    expect(root).toMatchObject({
      isTransaction: true,
      startOffsetMs: 0,
      op: 'http.server',
      error: false,
      eventId: gateway.eventId,
    });
    expect(fetchSpan).toMatchObject({ op: 'http.client', status: 'internal_error', error: false });
    expect(fetchSpan.startOffsetMs).toBeCloseTo(10, 0);
    expect(fetchSpan.durationMs).toBeCloseTo(440, 0);
    expect(charge).toMatchObject({ description: 'POST /charge', error: true, parentSpanId: gatewayFetch });
    expect(charge.errors[0]).toMatchObject({
      eventId: error.eventId,
      title: 'PaymentBug: cart.total is undefined',
    });
    expect(db.error).toBe(false);
    expect(trace.errors).toHaveLength(1);

    const issue = await server.api(`/api/issues/${charge.errors[0].issueId}`);
    expect(issue.latestEvent.traceId).toBe(traceId);

    const list = await server.api('/api/traces');
    expect(list.traces[0]).toMatchObject({
      traceId,
      rootName: 'POST /checkout',
      errorCount: 1,
      services: ['gateway', 'payments'],
    });
    expect((await server.api('/api/traces?service=payments')).traces.map((t: any) => t.traceId)).toContain(
      traceId,
    );
    expect((await server.api('/api/traces?errors=true')).total).toBeGreaterThanOrEqual(1);
  });

  it('stores span v2 items into the same trace model', async () => {
    const traceId = hexId(32);
    const segment = hexId(16);
    const child = hexId(16);
    const now = Date.now() / 1000;
    const envelope = itemEnvelope([
      {
        headers: { type: 'span', item_count: 2, content_type: 'application/vnd.sentry.items.span.v2+json' },
        payload: {
          items: [
            {
              trace_id: traceId,
              span_id: segment,
              name: 'GET /stock',
              status: 'ok',
              is_segment: true,
              start_timestamp: now,
              end_timestamp: now + 0.2,
              attributes: {
                'sentry.op': { type: 'string', value: 'http.server' },
                'service.name': { type: 'string', value: 'inventory' },
              },
            },
            {
              trace_id: traceId,
              span_id: child,
              parent_span_id: segment,
              name: 'redis GET',
              status: 'error',
              is_segment: false,
              start_timestamp: now + 0.05,
              end_timestamp: now + 0.1,
              attributes: { 'service.name': { type: 'string', value: 'inventory' } },
            },
          ],
        },
      },
    ]);
    expect((await server.send(envelope)).status).toBe(200);
    const trace = await server.api(`/api/traces/${traceId}`);
    expect(trace.spans.map((span: any) => [span.description, span.depth, span.service, span.op])).toEqual([
      ['GET /stock', 0, 'inventory', 'http.server'],
      ['redis GET', 1, 'inventory', null],
    ]);
  });

  it('answers 404 for an unknown trace and finds traces by id through search', async () => {
    expect((await fetch(`${server.url}/api/traces/${'f'.repeat(32)}`)).status).toBe(404);
    const traces = await server.api('/api/traces');
    const traceId = traces.traces[0].traceId;
    const result = await server.api(`/api/search?q=${traceId}`);
    expect(result.kind).toBe('trace');
    expect(result.traces[0].traceId).toBe(traceId);
  });

  it('lets a service tag or app name win over server_name', async () => {
    const traceId = hexId(32);
    const error = errorEnvelope({
      tags: { service: 'checkout-api' },
      contexts: { trace: { trace_id: traceId, span_id: hexId(16) } },
    });
    await server.send(error.envelope);
    expect((await server.api(`/api/events/${error.eventId}`)).service).toBe('checkout-api');
    const app = errorEnvelope({ contexts: { app: { app_name: 'storefront' } } });
    await server.send(app.envelope);
    expect((await server.api(`/api/events/${app.eventId}`)).service).toBe('storefront');
  });
});

describe('assembleTrace', () => {
  const span = (spanId: string, parent: string | null, start: number, end: number): TraceSpanRow => ({
    span_id: spanId,
    parent_span_id: parent,
    service: 'svc',
    op: null,
    description: spanId,
    status: null,
    start,
    end,
    is_segment: parent === null ? 1 : 0,
    data: null,
    event_id: 'e',
  });

  it('makes spans whose parent never arrived into roots, in start order', () => {
    const trace = assembleTrace(
      't',
      [span('b', 'missing', 2, 3), span('a', null, 1, 4), span('c', 'a', 1.5, 2)],
      [],
    );
    expect(trace.roots).toEqual(['a', 'b']);
    expect(trace.spans.map((s) => [s.spanId, s.depth])).toEqual([
      ['a', 0],
      ['c', 1],
      ['b', 0],
    ]);
    expect(trace.durationMs).toBe(3000);
  });

  it('survives parent cycles', () => {
    const trace = assembleTrace('t', [span('x', 'y', 1, 2), span('y', 'x', 1, 2)], []);
    expect(trace.spans.map((s) => s.spanId).sort()).toEqual(['x', 'y']);
  });
});
