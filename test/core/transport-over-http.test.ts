/**
 * Acceptance: rate limits, client reports, the bounded queue and flush/close, with the SDK talking
 * HTTP to a loopback ingest that scripts Sentry's responses.
 */
import {
  addEventProcessor,
  type Client,
  captureException,
  captureMessage,
  close,
  flush,
  startSpan,
} from '@faultline/core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startIngest, type TestIngest } from '../ingest';
import { initForTest, shutdown } from '../support/sdk';

let ingest: TestIngest;
let client: Client;
beforeAll(async () => {
  ingest = await startIngest();
});
afterAll(() => ingest.close());
beforeEach(() => {
  ingest.reset();
  client = initForTest({ dsn: ingest.dsn });
});
afterEach(() => shutdown());

/** Sends one error event and one transaction event, the two categories these tests limit. */
async function sendErrorAndTransaction(tag: string): Promise<void> {
  captureMessage(`error ${tag}`, 'error');
  const now = Date.now() / 1000;
  client.captureEvent({
    type: 'transaction',
    transaction: `GET /${tag}`,
    transaction_info: { source: 'route' },
    start_timestamp: now - 0.01,
    timestamp: now,
    contexts: { trace: { trace_id: 'a'.repeat(32), span_id: 'b'.repeat(16), op: 'http.server' } },
    spans: [
      {
        trace_id: 'a'.repeat(32),
        span_id: 'c'.repeat(16),
        parent_span_id: 'b'.repeat(16),
        start_timestamp: now - 0.005,
        timestamp: now,
      },
    ],
  });
  await flush(3000);
}

function received(tag: string): { error: boolean; transaction: boolean } {
  return {
    error: ingest.events().some((e) => e.logentry?.message === `error ${tag}`),
    transaction: ingest.transactions().some((t) => t.transaction === `GET /${tag}`),
  };
}

describe('rate limits', () => {
  it('a per-category limit drops only that category and reports ratelimit_backoff', async () => {
    ingest.respondWith({ status: 200, headers: { 'X-Sentry-Rate-Limits': '60:transaction:key' } });
    captureMessage('prime');
    await flush(3000);
    await sendErrorAndTransaction('one');
    expect(received('one')).toEqual({ error: true, transaction: false });
    await flush(3000);
    expect(ingest.discardedEvents()).toEqual(
      expect.arrayContaining([
        { reason: 'ratelimit_backoff', category: 'transaction', quantity: 1 },
        { reason: 'ratelimit_backoff', category: 'span', quantity: 2 },
      ]),
    );
  });

  it('a limit with no categories applies to all of them', async () => {
    ingest.respondWith({ status: 200, headers: { 'X-Sentry-Rate-Limits': '60::organization' } });
    captureMessage('prime');
    await flush(3000);
    await sendErrorAndTransaction('all');
    expect(received('all')).toEqual({ error: false, transaction: false });
    expect(ingest.discardedEvents()).toEqual(
      expect.arrayContaining([
        { reason: 'ratelimit_backoff', category: 'error', quantity: 1 },
        { reason: 'ratelimit_backoff', category: 'transaction', quantity: 1 },
      ]),
    );
  });

  it('429 with Retry-After as an HTTP date limits everything until then, and reports nothing for the 429', async () => {
    const until = new Date(Date.now() + 120_000).toUTCString();
    ingest.respondWith({ status: 429, headers: { 'Retry-After': until } });
    captureMessage('rejected by 429');
    await flush(3000);
    await sendErrorAndTransaction('date');
    expect(received('date')).toEqual({ error: false, transaction: false });
    const reasons = ingest.discardedEvents().map((d) => d.reason);
    expect(reasons).toContain('ratelimit_backoff');
    // The event refused by the 429 itself is not reported (protocol: 429 ⇒ no client report).
    expect(ingest.discardedEvents().filter((d) => d.reason !== 'ratelimit_backoff')).toEqual([]);
  });

  it('429 without headers backs off all categories for 60 s', async () => {
    ingest.respondWith({ status: 429 });
    captureMessage('first');
    await flush(3000);
    await sendErrorAndTransaction('bare-429');
    expect(received('bare-429')).toEqual({ error: false, transaction: false });
    const limits = JSON.stringify(ingest.discardedEvents());
    expect(limits).toContain('ratelimit_backoff');
  });

  it('limits expire: after retry_after seconds the category flows again', async () => {
    ingest.respondWith({ status: 200, headers: { 'X-Sentry-Rate-Limits': '1:error:key' } });
    captureMessage('prime');
    await flush(3000);
    captureMessage('while limited', 'error');
    await flush(3000);
    expect(ingest.events().some((e) => e.logentry?.message === 'while limited')).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    captureMessage('after expiry', 'error');
    await flush(3000);
    expect(ingest.events().some((e) => e.logentry?.message === 'after expiry')).toBe(true);
  });

  it('while transactions are limited, ended spans build no transaction, and count as the transport counts', async () => {
    await shutdown();
    const seen: string[] = [];
    client = initForTest({
      dsn: ingest.dsn,
      tracesSampleRate: 1,
      beforeSendTransaction: (event) => {
        seen.push(`beforeSendTransaction ${event.transaction}`);
        return event;
      },
    });
    addEventProcessor((event) => {
      if (event.type === 'transaction') seen.push(`processor ${event.transaction}`);
      return event;
    });
    ingest.respondWith({ status: 200, headers: { 'X-Sentry-Rate-Limits': '1:transaction:key' } });
    captureMessage('prime');
    await flush(3000);

    for (const name of ['limited 1', 'limited 2', 'limited 3'])
      startSpan({ name }, () => startSpan({ name: `${name} child` }, () => {}));
    captureMessage('errors still flow', 'error');
    await flush(3000);
    expect(seen).toEqual([]);
    expect(ingest.transactions()).toEqual([]);
    expect(ingest.events().some((e) => e.logentry?.message === 'errors still flow')).toBe(true);
    expect(ingest.discardedEvents()).toEqual(
      expect.arrayContaining([
        { reason: 'ratelimit_backoff', category: 'transaction', quantity: 3 },
        { reason: 'ratelimit_backoff', category: 'span', quantity: 6 },
      ]),
    );

    await new Promise((resolve) => setTimeout(resolve, 1100));
    startSpan({ name: 'after expiry' }, () => {});
    await flush(3000);
    expect(seen).toEqual(['processor after expiry', 'beforeSendTransaction after expiry']);
    expect(ingest.transactions().map((t) => t.transaction)).toEqual(['after expiry']);
  });
});

describe('queue and shutdown', () => {
  it('a full queue produces queue_overflow reports', async () => {
    // Every request hangs, so the 64 slots fill up and further envelopes overflow.
    ingest.setDefaultResponse({ hang: true });
    for (let i = 0; i < 80; i++) captureException(new Error(`overflow ${i}`));
    expect(await flush(1000)).toBe(false);
    ingest.setDefaultResponse({ status: 200 });
    ingest.releaseHanging();
    expect(await flush(3000)).toBe(true);
    expect(ingest.envelopes.filter((e) => e.items.some((i) => i.headers.type === 'event'))).toHaveLength(64);
    const overflow = ingest.discardedEvents().find((d) => d.reason === 'queue_overflow');
    expect(overflow).toEqual({ reason: 'queue_overflow', category: 'error', quantity: 80 - 64 });
  });

  it('flush and close resolve by their timeout against a hanging ingest', async () => {
    ingest.setDefaultResponse({ hang: true });
    captureException(new Error('will hang'));
    let started = Date.now();
    expect(await flush(300)).toBe(false);
    expect(Date.now() - started).toBeLessThan(300 + 150);
    started = Date.now();
    expect(await close(300)).toBe(false);
    expect(Date.now() - started).toBeLessThan(300 + 150);
    ingest.setDefaultResponse({ status: 200 });
  });

  it('ingest errors never reach the app: 500, 413, closed sockets', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    ingest.respondWith({ status: 500 }, { status: 413 }, { destroy: true });
    for (let i = 0; i < 3; i++) captureException(new Error(`fault ${i}`));
    await flush(3000);
    ingest.setDefaultResponse({ status: 200 });
    captureMessage('after faults');
    await flush(3000);
    await new Promise((resolve) => setTimeout(resolve, 20));
    process.off('unhandledRejection', onUnhandled);
    expect(unhandled).toEqual([]);
    const reasons = ingest.discardedEvents().map((d) => `${d.reason}:${d.category}`);
    expect(reasons).toEqual(expect.arrayContaining(['send_error:error', 'network_error:error']));
  });
});
