import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTransport } from '../src/base-transport';
import type { DataCategory } from '../src/types/data-category';
import type { DiscardReason, Envelope, EnvelopeItem } from '../src/types/envelope';
import type { TransportRequest, TransportResponse } from '../src/types/transport';

type Step = TransportResponse | 'hang' | Error;

/** A fake runtime: answers requests from a script, repeating the last step once the script runs out. */
function scriptedExecutor(...script: Step[]) {
  const requests: TransportRequest[] = [];
  const makeRequest = (request: TransportRequest): Promise<TransportResponse> => {
    requests.push(request);
    const step = script[Math.min(requests.length - 1, script.length - 1)] ?? { statusCode: 200 };
    if (step === 'hang') return new Promise(() => {});
    if (step instanceof Error) return Promise.reject(step);
    return Promise.resolve(step);
  };
  return { makeRequest, requests };
}

function dropRecorder() {
  const drops: Array<{ reason: DiscardReason; category: DataCategory; quantity?: number }> = [];
  const recordDroppedEvent = (reason: DiscardReason, category: DataCategory, quantity?: number) => {
    drops.push({ reason, category, quantity });
  };
  return { drops, recordDroppedEvent };
}

const eventItem: EnvelopeItem = { headers: { type: 'event' }, payload: { event_id: 'a'.repeat(32) } };
const transactionItem = (spans: number): EnvelopeItem => ({
  headers: { type: 'transaction' },
  payload: { type: 'transaction', spans: Array.from({ length: spans }, (_, i) => ({ span_id: `${i}` })) },
});
const clientReport: EnvelopeItem = {
  headers: { type: 'client_report' },
  payload: { timestamp: 1, discarded_events: [{ reason: 'sample_rate', category: 'error', quantity: 1 }] },
};
const envelopeOf = (...items: EnvelopeItem[]): Envelope => ({ headers: {}, items });
const itemTypesSent = (request: TransportRequest): string[] =>
  String(request.body)
    .split('\n')
    .filter((line) => line.startsWith('{"type":'))
    .map((line) => JSON.parse(line).type);

const URL = 'https://ingest.example/api/1/envelope/?sentry_key=abc';

describe('createTransport', () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  beforeEach(() => {
    unhandled.length = 0;
    process.on('unhandledRejection', onUnhandled);
  });
  afterEach(async () => {
    await new Promise((resolve) => setTimeout(resolve, 10));
    process.off('unhandledRejection', onUnhandled);
    vi.useRealTimers();
    expect(unhandled).toEqual([]);
  });

  it('sends the serialised envelope and returns the response', async () => {
    const { makeRequest, requests } = scriptedExecutor({ statusCode: 200 });
    const { drops, recordDroppedEvent } = dropRecorder();
    const transport = createTransport({ url: URL, recordDroppedEvent }, makeRequest);
    await expect(transport.send(envelopeOf(eventItem))).resolves.toEqual({ statusCode: 200 });
    expect(requests).toHaveLength(1);
    expect(requests[0].body).toBe(
      `{}\n{"type":"event","length":${JSON.stringify(eventItem.payload).length}}\n${JSON.stringify(eventItem.payload)}`,
    );
    expect(drops).toEqual([]);
  });

  it('drops only the rate-limited category, recording ratelimit_backoff with span quantities', async () => {
    const { makeRequest, requests } = scriptedExecutor(
      { statusCode: 200, headers: { 'x-sentry-rate-limits': '60:transaction:key' } },
      { statusCode: 200 },
    );
    const { drops, recordDroppedEvent } = dropRecorder();
    const transport = createTransport({ url: URL, recordDroppedEvent }, makeRequest);
    await transport.send(envelopeOf(eventItem));

    await transport.send(envelopeOf(transactionItem(3), clientReport));
    expect(drops).toEqual([
      { reason: 'ratelimit_backoff', category: 'transaction', quantity: 1 },
      { reason: 'ratelimit_backoff', category: 'span', quantity: 4 },
    ]);
    expect(requests).toHaveLength(2);
    expect(itemTypesSent(requests[1])).toEqual(['client_report']);

    await transport.send(envelopeOf(eventItem));
    expect(requests).toHaveLength(3);
    expect(itemTypesSent(requests[2])).toEqual(['event']);
    expect(drops).toHaveLength(2);
  });

  it('counts a transaction without spans as one span', async () => {
    const { makeRequest } = scriptedExecutor({ statusCode: 429 });
    const { drops, recordDroppedEvent } = dropRecorder();
    const transport = createTransport({ url: URL, recordDroppedEvent }, makeRequest);
    await transport.send(envelopeOf(eventItem));
    await transport.send(envelopeOf({ headers: { type: 'transaction' }, payload: { type: 'transaction' } }));
    expect(drops).toEqual([
      { reason: 'ratelimit_backoff', category: 'transaction', quantity: 1 },
      { reason: 'ratelimit_backoff', category: 'span', quantity: 1 },
    ]);
  });

  it('an all-categories limit drops everything but client reports, without a request when nothing is left', async () => {
    const { makeRequest, requests } = scriptedExecutor(
      { statusCode: 429, headers: { 'retry-after': '30' } },
      { statusCode: 200 },
    );
    const { drops, recordDroppedEvent } = dropRecorder();
    const transport = createTransport({ url: URL, recordDroppedEvent }, makeRequest);
    await transport.send(envelopeOf(eventItem));
    expect(drops).toEqual([]);

    await expect(transport.send(envelopeOf(eventItem))).resolves.toBeUndefined();
    await transport.send(envelopeOf(transactionItem(1)));
    expect(requests).toHaveLength(1);
    expect(drops).toEqual([
      { reason: 'ratelimit_backoff', category: 'error', quantity: 1 },
      { reason: 'ratelimit_backoff', category: 'transaction', quantity: 1 },
      { reason: 'ratelimit_backoff', category: 'span', quantity: 2 },
    ]);

    await transport.send(envelopeOf(clientReport));
    expect(requests).toHaveLength(2);
    expect(itemTypesSent(requests[1])).toEqual(['client_report']);
  });

  it('lets items through again once the limit expires, and says which categories are limited until then', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1_000_000);
    const { makeRequest, requests } = scriptedExecutor(
      { statusCode: 200, headers: { 'x-sentry-rate-limits': '2.5:error:key' } },
      { statusCode: 200 },
    );
    const { drops, recordDroppedEvent } = dropRecorder();
    const transport = createTransport({ url: URL, recordDroppedEvent }, makeRequest);
    expect(transport.isRateLimited?.('error')).toBe(false);
    await transport.send(envelopeOf(eventItem));
    vi.setSystemTime(1_002_499);
    expect([transport.isRateLimited?.('error'), transport.isRateLimited?.('transaction')]).toEqual([
      true,
      false,
    ]);
    await transport.send(envelopeOf(eventItem));
    expect(requests).toHaveLength(1);
    expect(drops).toHaveLength(1);
    vi.setSystemTime(1_002_500);
    expect(transport.isRateLimited?.('error')).toBe(false);
    await transport.send(envelopeOf(eventItem));
    expect(requests).toHaveLength(2);
  });

  it('records nothing for a 429 and does not retry', async () => {
    const { makeRequest, requests } = scriptedExecutor({ statusCode: 429 });
    const { drops, recordDroppedEvent } = dropRecorder();
    const transport = createTransport({ url: URL, recordDroppedEvent }, makeRequest);
    await expect(transport.send(envelopeOf(eventItem, clientReport))).resolves.toEqual({ statusCode: 429 });
    await transport.flush(100);
    expect(drops).toEqual([]);
    expect(requests).toHaveLength(1);
  });

  it.each([413, 400, 500, 503])(
    'records send_error for %i, not for the client report, and never retries',
    async (statusCode) => {
      const { makeRequest, requests } = scriptedExecutor({ statusCode });
      const { drops, recordDroppedEvent } = dropRecorder();
      const transport = createTransport({ url: URL, recordDroppedEvent }, makeRequest);
      await expect(transport.send(envelopeOf(transactionItem(2), clientReport))).resolves.toEqual({
        statusCode,
      });
      await expect(transport.flush(100)).resolves.toBe(true);
      expect(requests).toHaveLength(1);
      expect(drops).toEqual([
        { reason: 'send_error', category: 'transaction', quantity: 1 },
        { reason: 'send_error', category: 'span', quantity: 3 },
      ]);
    },
  );

  it('records network_error when the executor rejects or throws, resolving undefined without retry', async () => {
    const { makeRequest, requests } = scriptedExecutor(new Error('ECONNREFUSED'));
    const { drops, recordDroppedEvent } = dropRecorder();
    const transport = createTransport({ url: URL, recordDroppedEvent }, makeRequest);
    await expect(transport.send(envelopeOf(eventItem))).resolves.toBeUndefined();
    expect(requests).toHaveLength(1);
    expect(drops).toEqual([{ reason: 'network_error', category: 'error', quantity: 1 }]);

    const throwing = createTransport({ url: URL, recordDroppedEvent }, () => {
      throw new Error('sync failure');
    });
    await expect(throwing.send(envelopeOf(eventItem))).resolves.toBeUndefined();
    expect(drops).toHaveLength(2);
    expect(drops[1].reason).toBe('network_error');
  });

  it('resolves whatever an executor answers: odd header values, no response, a non-object', async () => {
    const answers: unknown[] = [
      { statusCode: 429, headers: { 'x-sentry-rate-limits': 42, 'retry-after': {} } },
      undefined,
      7,
    ];
    for (const answer of answers) {
      const transport = createTransport({ url: URL }, async () => answer as TransportResponse);
      await expect(transport.send(envelopeOf(eventItem))).resolves.not.toBeInstanceOf(Error);
    }
  });

  it('records internal_sdk_error when serialisation fails, without a request', async () => {
    const { makeRequest, requests } = scriptedExecutor({ statusCode: 200 });
    const { drops, recordDroppedEvent } = dropRecorder();
    const transport = createTransport({ url: URL, recordDroppedEvent }, makeRequest);
    const unserialisable: EnvelopeItem = { headers: { type: 'event' }, payload: { count: 10n } };
    await expect(transport.send(envelopeOf(unserialisable, clientReport))).resolves.toBeUndefined();
    expect(requests).toHaveLength(0);
    expect(drops).toEqual([{ reason: 'internal_sdk_error', category: 'error', quantity: 1 }]);
  });

  it('overflowing the default queue of 64 records queue_overflow without calling the executor', async () => {
    const { makeRequest, requests } = scriptedExecutor('hang');
    const { drops, recordDroppedEvent } = dropRecorder();
    const transport = createTransport({ url: URL, recordDroppedEvent }, makeRequest);
    for (let i = 0; i < 64; i++) void transport.send(envelopeOf(eventItem));
    expect(requests).toHaveLength(64);
    await expect(transport.send(envelopeOf(transactionItem(1)))).resolves.toBeUndefined();
    await transport.send(envelopeOf(eventItem));
    expect(requests).toHaveLength(64);
    expect(drops).toEqual([
      { reason: 'queue_overflow', category: 'transaction', quantity: 1 },
      { reason: 'queue_overflow', category: 'span', quantity: 2 },
      { reason: 'queue_overflow', category: 'error', quantity: 1 },
    ]);
  });

  it('honours a custom bufferSize', async () => {
    const { makeRequest, requests } = scriptedExecutor('hang');
    const { drops, recordDroppedEvent } = dropRecorder();
    const transport = createTransport({ url: URL, bufferSize: 2, recordDroppedEvent }, makeRequest);
    void transport.send(envelopeOf(eventItem));
    void transport.send(envelopeOf(eventItem));
    await transport.send(envelopeOf(eventItem));
    expect(requests).toHaveLength(2);
    expect(drops).toEqual([{ reason: 'queue_overflow', category: 'error', quantity: 1 }]);
  });

  it('flush resolves false within the timeout when a request hangs forever', async () => {
    const { makeRequest } = scriptedExecutor('hang');
    const transport = createTransport({ url: URL }, makeRequest);
    void transport.send(envelopeOf(eventItem));
    const started = performance.now();
    await expect(transport.flush(100)).resolves.toBe(false);
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(95);
    // Generous: a loaded CI machine runs timers late; the point is that it resolves rather than hangs.
    expect(elapsed).toBeLessThan(100 + 1000);
  });

  it('flush resolves true once queued requests complete', async () => {
    let release!: () => void;
    const transport = createTransport(
      { url: URL },
      () => new Promise<TransportResponse>((resolve) => (release = () => resolve({ statusCode: 200 }))),
    );
    const sent = transport.send(envelopeOf(eventItem));
    const flushed = transport.flush(1000);
    release();
    await expect(flushed).resolves.toBe(true);
    await expect(sent).resolves.toEqual({ statusCode: 200 });
    await expect(transport.flush(10)).resolves.toBe(true);
  });

  it('uses the item count of container items as the quantity', async () => {
    const { makeRequest } = scriptedExecutor({ statusCode: 500 });
    const { drops, recordDroppedEvent } = dropRecorder();
    const transport = createTransport({ url: URL, recordDroppedEvent }, makeRequest);
    await transport.send(
      envelopeOf({
        headers: { type: 'log', item_count: 5, content_type: 'application/vnd.sentry.items.log+json' },
        payload: { items: [] },
      }),
    );
    expect(drops).toEqual([{ reason: 'send_error', category: 'log_item', quantity: 5 }]);
  });

  it('survives a throwing recordDroppedEvent and a response without status or headers', async () => {
    const { makeRequest, requests } = scriptedExecutor({ statusCode: 500 }, {});
    const transport = createTransport(
      {
        url: URL,
        recordDroppedEvent: () => {
          throw new Error('recorder broke');
        },
      },
      makeRequest,
    );
    await expect(transport.send(envelopeOf(eventItem))).resolves.toEqual({ statusCode: 500 });
    await expect(transport.send(envelopeOf(eventItem))).resolves.toEqual({});
    expect(requests).toHaveLength(2);
  });

  it('counts a lost attachment in bytes', async () => {
    const { makeRequest } = scriptedExecutor({ statusCode: 500 });
    const { drops, recordDroppedEvent } = dropRecorder();
    const transport = createTransport({ url: URL, recordDroppedEvent }, makeRequest);
    const attachment: EnvelopeItem = { headers: { type: 'attachment', filename: 'a.txt' }, payload: 'héllo' };
    await transport.send(envelopeOf(eventItem, attachment));
    expect(drops).toEqual([
      { reason: 'send_error', category: 'error', quantity: 1 },
      { reason: 'send_error', category: 'attachment', quantity: 6 },
    ]);
  });

  it('hands back a client report that could not leave, but not one the ingest refused', async () => {
    const restored: unknown[] = [];
    const { makeRequest } = scriptedExecutor(new Error('ECONNREFUSED'), { statusCode: 400 });
    const transport = createTransport(
      { url: URL, restoreClientReport: (r) => restored.push(r) },
      makeRequest,
    );
    await transport.send(envelopeOf(clientReport));
    expect(restored).toEqual([clientReport.payload]);
    await transport.send(envelopeOf(clientReport));
    expect(restored).toHaveLength(1);
  });
});
