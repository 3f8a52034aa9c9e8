/**
 * Acceptance: an event does not outlive its serialisation while the ingest takes its time to answer.
 * At tracing 1.0 dozens of envelopes are in flight at once; events they kept alive survived young-
 * generation collections and cost more in GC than building them.
 */
import { type Client, captureMessage, type Event, flush, startSpan } from '@faultline/core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startIngest, type TestIngest } from '../ingest';
import { collectGarbage } from '../support/heap-growth';
import { initForTest, shutdown } from '../support/sdk';

/** How long the ingest holds each answer: far longer than the checks below take. */
const ANSWER_DELAY_MS = 1500;

let ingest: TestIngest;
let client: Client;
beforeAll(async () => {
  ingest = await startIngest();
});
afterAll(() => ingest.close());
beforeEach(() => {
  ingest.reset();
  ingest.setDefaultResponse({ status: 200, delayMs: ANSWER_DELAY_MS });
});
afterEach(() => shutdown());

/** Whether the object is still reachable after a full collection. */
function survivesCollection(reference: WeakRef<object>): boolean {
  collectGarbage();
  return reference.deref() !== undefined;
}

describe('events while their envelope is in flight', () => {
  it('lets an error event be collected once it is serialised, before the ingest answers', async () => {
    let sent: WeakRef<Event> | undefined;
    client = initForTest({
      dsn: ingest.dsn,
      // Dedupe keeps the last error event by design, to compare the next one with it.
      integrations: (defaults) => defaults.filter((integration) => integration.name !== 'Dedupe'),
      beforeSend(event) {
        sent = new WeakRef(event);
        return event;
      },
    });
    const startedAt = Date.now();
    captureMessage('in flight', 'error');
    await ingest.waitFor(() => ingest.events().length === 1);

    expect(sent).toBeDefined();
    expect(survivesCollection(sent!)).toBe(false);
    expect(Date.now() - startedAt).toBeLessThan(ANSWER_DELAY_MS);
    expect(await flush(5000)).toBe(true);
    expect(ingest.events()[0]?.logentry?.message).toBe('in flight');
  });

  it('lets a transaction be collected once it is serialised, before the ingest answers', async () => {
    let sent: WeakRef<Event> | undefined;
    client = initForTest({
      dsn: ingest.dsn,
      tracesSampleRate: 1,
      beforeSendTransaction(event) {
        sent = new WeakRef(event);
        return event;
      },
    });
    const startedAt = Date.now();
    startSpan({ name: 'GET /in-flight', op: 'http.server' }, () => {
      startSpan({ name: 'child', op: 'db' }, () => undefined);
    });
    await ingest.waitFor(() => ingest.transactions().length === 1);

    expect(survivesCollection(sent!)).toBe(false);
    expect(Date.now() - startedAt).toBeLessThan(ANSWER_DELAY_MS);
    expect(await flush(5000)).toBe(true);
    expect(ingest.transactions()[0]?.spans).toHaveLength(1);
  });

  it('keeps the event for an afterSendEvent listener, which gets it with the response', async () => {
    client = initForTest({ dsn: ingest.dsn });
    const delivered: Array<{ message: string | undefined; statusCode: number | undefined }> = [];
    client.on('afterSendEvent', (event, response) => {
      delivered.push({ message: event.logentry?.message ?? event.message, statusCode: response?.statusCode });
    });
    captureMessage('after send', 'error');
    await ingest.waitFor(() => ingest.events().length === 1);
    collectGarbage();
    expect(delivered).toEqual([]);

    expect(await flush(5000)).toBe(true);
    expect(delivered).toEqual([{ message: 'after send', statusCode: 200 }]);
  });
});
