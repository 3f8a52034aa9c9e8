/** Acceptance: spans, transactions, sampling, and trace data on errors, received by the test ingest. */
import {
  captureException,
  type Event,
  flush,
  getActiveSpan,
  getClient,
  getCurrentScope,
  makeFetchTransport,
  type RecordingSpan,
  setTag,
  setUser,
  startInactiveSpan,
  startSpan,
  startSpanManual,
  suppressTracing,
  withActiveSpan,
  withIsolationScope,
} from '@faultline/core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startIngest, type TestIngest } from '../ingest';
import { initForTest, shutdown } from '../support/sdk';
import { transactionProblems } from '../support/trace-checks';

let ingest: TestIngest;
beforeAll(async () => {
  ingest = await startIngest();
});
afterAll(() => ingest.close());
beforeEach(() => ingest.reset());
afterEach(() => shutdown());

const tick = (ms = 2) => new Promise((resolve) => setTimeout(resolve, ms));

async function transactionNamed(name: string): Promise<Event> {
  await flush(5000);
  await ingest.waitFor(() => ingest.transactions().some((t) => t.transaction === name));
  const transaction = ingest.transactions().find((t) => t.transaction === name)!;
  expect(transactionProblems(transaction)).toEqual([]);
  expect(ingest.schemaErrors()).toEqual([]);
  return transaction;
}

describe('transactions', () => {
  it('a root span with nested async children becomes one valid transaction', async () => {
    initForTest({ dsn: ingest.dsn, tracesSampleRate: 1, release: 'shop@2.0.0' });
    await startSpan(
      { name: 'POST /checkout', op: 'http.server', source: 'route', attributes: { 'cart.items': 3 } },
      async (root) => {
        expect(getActiveSpan()).toBe(root);
        await startSpan({ name: 'validate cart', op: 'function' }, async () => {
          await tick();
          await startSpan({ name: 'SELECT cart', op: 'db.query' }, () => tick());
        });
        await startSpan({ name: 'charge card', op: 'http.client' }, (span) => {
          span.setHttpStatus(402);
          return tick();
        });
      },
    );
    const transaction = await transactionNamed('POST /checkout');
    expect(transaction.transaction_info).toEqual({ source: 'route' });
    expect(transaction.contexts!.trace).toMatchObject({ op: 'http.server', status: 'ok', origin: 'manual' });
    expect(transaction.contexts!.trace!.data).toMatchObject({
      'cart.items': 3,
      'sentry.source': 'route',
      'sentry.sample_rate': 1,
    });
    const byName = Object.fromEntries(transaction.spans!.map((s) => [s.description, s]));
    expect(Object.keys(byName).sort()).toEqual(['SELECT cart', 'charge card', 'validate cart']);
    expect(byName['SELECT cart']!.parent_span_id).toBe(byName['validate cart']!.span_id);
    expect(byName['validate cart']!.parent_span_id).toBe(transaction.contexts!.trace!.span_id);
    expect(byName['charge card']).toMatchObject({
      status: 'invalid_argument',
      data: { 'http.response.status_code': 402 },
    });
    expect(byName['SELECT cart']!.start_timestamp).toBeGreaterThanOrEqual(
      byName['validate cart']!.start_timestamp,
    );
  });

  it('a throwing callback marks the span internal_error, ends it and rethrows', async () => {
    initForTest({ dsn: ingest.dsn, tracesSampleRate: 1 });
    await expect(
      startSpan({ name: 'failing job' }, async () => {
        await tick();
        throw new Error('job failed');
      }),
    ).rejects.toThrow('job failed');
    expect(() =>
      startSpan({ name: 'sync failure' }, () => {
        throw new Error('sync');
      }),
    ).toThrow('sync');
    expect((await transactionNamed('failing job')).contexts!.trace!.status).toBe('internal_error');
    expect((await transactionNamed('sync failure')).contexts!.trace!.status).toBe('internal_error');
  });

  it('children whose parent ended first, children never ended, and children ended after the root', async () => {
    initForTest({ dsn: ingest.dsn, tracesSampleRate: 1 });
    let late: ReturnType<typeof startInactiveSpan> | undefined;
    startSpanManual({ name: 'manual root' }, (root, finish) => {
      const parent = startInactiveSpan({ name: 'parent ends first' });
      const child = startInactiveSpan({ name: 'outlives its parent', parentSpan: parent });
      parent.end();
      child.end();
      startInactiveSpan({ name: 'never ended' });
      late = startInactiveSpan({ name: 'ended after root' });
      expect(root.isRecording()).toBe(true);
      finish();
    });
    late!.end();
    const transaction = await transactionNamed('manual root');
    const byName = Object.fromEntries(transaction.spans!.map((s) => [s.description, s]));
    expect(byName['outlives its parent']!.parent_span_id).toBe(byName['parent ends first']!.span_id);
    // Open children end with the root, marked, so every parent stays inside the transaction.
    expect(byName['never ended']).toMatchObject({ status: 'cancelled', timestamp: transaction.timestamp });
    expect(byName['ended after root']).toMatchObject({
      status: 'cancelled',
      timestamp: transaction.timestamp,
    });
  });

  it('keeps at most 1000 children and reports the rest', async () => {
    initForTest({ dsn: ingest.dsn, tracesSampleRate: 1 });
    startSpan({ name: 'big batch' }, () => {
      for (let i = 0; i < 1005; i++) startSpan({ name: `item ${i}` }, () => undefined);
    });
    const transaction = await transactionNamed('big batch');
    expect(transaction.spans).toHaveLength(1000);
    await flush(3000);
    expect(ingest.discardedEvents()).toContainEqual({
      reason: 'buffer_overflow',
      category: 'span',
      quantity: 5,
    });
  });

  it('withActiveSpan, suppressTracing, and measurements', async () => {
    initForTest({ dsn: ingest.dsn, tracesSampleRate: 1 });
    startSpan({ name: 'page' }, (root) => {
      (root as RecordingSpan).setMeasurement('lcp', 1234.5, 'millisecond');
      const side = startInactiveSpan({ name: 'side' });
      withActiveSpan(side, () => {
        startSpan({ name: 'under side' }, () => undefined);
      });
      side.end();
      withActiveSpan(null, () => expect(getActiveSpan()).toBeUndefined());
      suppressTracing(() => {
        const hidden = startInactiveSpan({ name: 'hidden' });
        expect(hidden.isRecording()).toBe(false);
        hidden.end();
      });
    });
    const transaction = await transactionNamed('page');
    const byName = Object.fromEntries(transaction.spans!.map((s) => [s.description, s]));
    expect(byName['under side']!.parent_span_id).toBe(byName.side!.span_id);
    expect(byName.hidden).toBeUndefined();
    expect(transaction.measurements).toEqual({ lcp: { value: 1234.5, unit: 'millisecond' } });
  });

  it('ignoreTransactions and beforeSendTransaction', async () => {
    initForTest({
      dsn: ingest.dsn,
      tracesSampleRate: 1,
      ignoreTransactions: ['GET /health'],
      beforeSendTransaction: (event) =>
        event.transaction === 'drop me' ? null : { ...event, tags: { seen: 'yes' } },
    });
    startSpan({ name: 'GET /health' }, () => undefined);
    startSpan({ name: 'drop me' }, () => undefined);
    startSpan({ name: 'kept' }, () => undefined);
    expect((await transactionNamed('kept')).tags).toEqual({ seen: 'yes' });
    expect(ingest.transactions().map((t) => t.transaction)).toEqual(['kept']);
    expect(ingest.discardedEvents()).toEqual(
      expect.arrayContaining([
        { reason: 'event_processor', category: 'transaction', quantity: 1 },
        { reason: 'before_send', category: 'transaction', quantity: 1 },
      ]),
    );
  });

  it('sends transactions through a custom transport whose isRateLimited throws', async () => {
    initForTest({
      dsn: ingest.dsn,
      tracesSampleRate: 1,
      transport: (options) =>
        Object.assign(makeFetchTransport(options), {
          isRateLimited(): boolean {
            throw new Error('broken transport');
          },
        }),
    });
    startSpan({ name: 'through a broken isRateLimited' }, () => undefined);
    expect((await transactionNamed('through a broken isRateLimited')).type).toBe('transaction');
  });
});

describe('scopes on transactions', () => {
  it('a transaction carries the data of the scopes its root started in, even when it ends elsewhere', async () => {
    initForTest({ dsn: ingest.dsn, tracesSampleRate: 1 });
    let root: ReturnType<typeof startInactiveSpan> | undefined;
    withIsolationScope(() => {
      setTag('tenant', 'acme');
      setUser({ id: 'u-1' });
      root = startInactiveSpan({ name: 'job', forceTransaction: true });
    });
    setTag('tenant', 'other');
    root!.end();
    const transaction = await transactionNamed('job');
    expect(transaction.tags).toEqual({ tenant: 'acme' });
    expect(transaction.user).toEqual({ id: 'u-1' });
  });
});

describe('sampling', () => {
  it('unsampled spans record nothing and cost no storage', async () => {
    initForTest({ dsn: ingest.dsn, tracesSampleRate: 0 });
    startSpan({ name: 'not sampled' }, (span) => {
      expect(span.isRecording()).toBe(false);
      span.setAttribute('big', 'x'.repeat(1000));
      expect(Object.keys(span)).not.toContain('attributes');
      const child = startInactiveSpan({ name: 'child' });
      expect(child.isRecording()).toBe(false);
      expect(child.spanContext().traceId).toBe(span.spanContext().traceId);
    });
    await flush(3000);
    expect(ingest.transactions()).toEqual([]);
    expect(ingest.discardedEvents()).toContainEqual({
      reason: 'sample_rate',
      category: 'transaction',
      quantity: 1,
    });
  });

  it('tracing unset records no spans but errors still carry a trace context', async () => {
    initForTest({ dsn: ingest.dsn });
    let traceId = '';
    startSpan({ name: 'twp' }, (span) => {
      expect(span.isRecording()).toBe(false);
      traceId = span.spanContext().traceId;
      captureException(new Error('inside twp'));
    });
    await flush(3000);
    expect(ingest.transactions()).toEqual([]);
    const [event] = ingest.events();
    expect(event!.contexts!.trace!.trace_id).toBe(traceId);
    expect(traceId).toBe(getCurrentScope().getPropagationContext().traceId);
  });

  it('precedence: explicit sampled > tracesSampler > parent decision > tracesSampleRate', async () => {
    const seen: unknown[] = [];
    initForTest({
      dsn: ingest.dsn,
      tracesSampleRate: 1,
      tracesSampler: (context) => {
        seen.push(context);
        return context.name.startsWith('keep') ? 1 : 0;
      },
    });
    startSpan({ name: 'keep this' }, () => undefined);
    startSpan({ name: 'drop this' }, () => undefined);
    startSpan({ name: 'forced', sampled: true }, () => undefined);
    await flush(3000);
    expect(
      ingest
        .transactions()
        .map((t) => t.transaction)
        .sort(),
    ).toEqual(['forced', 'keep this']);
    expect(seen).toHaveLength(2);
    expect(seen[0]).toMatchObject({ name: 'keep this' });
  });

  it('children inherit the root decision; errors inside spans carry the span ids', async () => {
    initForTest({ dsn: ingest.dsn, tracesSampleRate: 1 });
    let ids: { traceId: string; spanId: string } | undefined;
    startSpan({ name: 'GET /users/:id', source: 'route' }, () =>
      startSpan({ name: 'load user', op: 'db' }, (span) => {
        ids = span.spanContext();
        captureException(new Error('user missing'));
      }),
    );
    const transaction = await transactionNamed('GET /users/:id');
    const event = ingest.events()[0]!;
    expect(event.contexts!.trace).toMatchObject({ trace_id: ids!.traceId, span_id: ids!.spanId, op: 'db' });
    expect(event.contexts!.trace!.parent_span_id).toBe(transaction.contexts!.trace!.span_id);
    expect(event.transaction).toBe('GET /users/:id');
  });
});

describe('envelope trace header (DSC)', () => {
  it('is on error and transaction envelopes with sample_rate, sampled, sample_rand and a good-quality name', async () => {
    initForTest({ dsn: ingest.dsn, tracesSampleRate: 1, release: 'shop@2.0.0', environment: 'staging' });
    startSpan({ name: 'GET /orders/:id', source: 'route' }, () => captureException(new Error('in route')));
    startSpan({ name: 'GET /orders/42', source: 'url' }, () => undefined);
    await flush(3000);
    await ingest.waitFor(() => ingest.envelopes.length >= 3);
    const headerOf = (type: string, name?: string) =>
      ingest.envelopes.find((e) =>
        e.items.some((i) => i.headers.type === type && (!name || (i.json as Event).transaction === name)),
      )!.headers.trace as Record<string, string>;
    const routeTx = headerOf('transaction', 'GET /orders/:id');
    expect(routeTx).toMatchObject({
      public_key: ingest.publicKey,
      release: 'shop@2.0.0',
      environment: 'staging',
      sample_rate: '1',
      sampled: 'true',
      transaction: 'GET /orders/:id',
    });
    expect(routeTx.sample_rand).toMatch(/^0\.\d{6}$/);
    expect(headerOf('event')).toEqual(routeTx);
    expect(headerOf('transaction', 'GET /orders/42')).not.toHaveProperty('transaction');
  });

  it('comes from the scope current at the capture, also for a capture straight through the client', async () => {
    initForTest({ dsn: ingest.dsn, tracesSampleRate: 1 });
    startSpan({ name: 'GET /direct', source: 'route' }, () => {
      getClient()!.captureException(new Error('captured by the client'));
    });
    await flush(3000);
    await ingest.waitFor(() => ingest.events().length === 1);
    const envelope = ingest.envelopes.find((e) => e.items.some((i) => i.headers.type === 'event'))!;
    expect(envelope.headers.trace).toMatchObject({ sampled: 'true', transaction: 'GET /direct' });
  });

  it('tracing without performance: no sampled, sample_rate or transaction, but the ids', async () => {
    initForTest({ dsn: ingest.dsn });
    captureException(new Error('twp'));
    await flush(3000);
    const header = ingest.envelopes[0]!.headers.trace as Record<string, string>;
    expect(header.trace_id).toBe(ingest.events()[0]!.contexts!.trace!.trace_id);
    expect(header).not.toHaveProperty('sampled');
    expect(header).not.toHaveProperty('sample_rate');
    expect(header).not.toHaveProperty('transaction');
  });
});
