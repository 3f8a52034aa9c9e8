import {
  addEventProcessor,
  captureEvent,
  captureMessage,
  type Event,
  getClient,
  getCurrentScope,
  getGlobalScope,
  setContext,
} from '@faultline/core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startIngest, type TestIngest } from '../ingest';
import { initForTest, shutdown } from '../support/sdk';

let ingest: TestIngest;
beforeAll(async () => {
  ingest = await startIngest();
});
afterAll(() => ingest.close());
beforeEach(() => ingest.reset());
afterEach(() => shutdown());

/** How many envelopes the client has handed to its transport so far. */
function countEnvelopes(): () => number {
  let count = 0;
  getClient()!.on('beforeEnvelope', () => {
    count++;
  });
  return () => count;
}

describe('the event pipeline waits only for what returns a promise', () => {
  it('hands the envelope to the transport within the capture call when every step is synchronous', async () => {
    initForTest({ dsn: ingest.dsn, beforeSend: (event) => event });
    addEventProcessor((event) => event);
    const envelopes = countEnvelopes();
    captureMessage('sync-pipeline');
    expect(envelopes()).toBe(1);
    expect((await ingest.eventWithMessage('sync-pipeline')).logentry?.message).toBe('sync-pipeline');
    expect(ingest.schemaErrors()).toEqual([]);
  });

  it('continues after a processor that returned a promise, in order, then awaits an async beforeSend', async () => {
    const seen: string[] = [];
    initForTest({
      dsn: ingest.dsn,
      beforeSend: async (event) => {
        seen.push('beforeSend');
        await new Promise((resolve) => setTimeout(resolve, 5));
        return { ...event, tags: { ...event.tags, beforeSend: 'yes' } };
      },
    });
    getGlobalScope().addEventProcessor(async (event) => {
      seen.push('async');
      await new Promise((resolve) => setTimeout(resolve, 5));
      return { ...event, tags: { ...event.tags, first: 'async' } };
    });
    getCurrentScope().addEventProcessor((event) => {
      seen.push('sync');
      return {
        ...event,
        tags: { ...event.tags, second: event.tags?.first === 'async' ? 'after' : 'before' },
      };
    });
    const envelopes = countEnvelopes();
    captureMessage('async-pipeline');
    expect(envelopes()).toBe(0);
    const event = await ingest.eventWithMessage('async-pipeline');
    expect(seen).toEqual(['async', 'sync', 'beforeSend']);
    expect(event.tags).toEqual({ first: 'async', second: 'after', beforeSend: 'yes' });
  });

  it('drops an event whose async processor resolves null, and one an async beforeSend turns into a non-event', async () => {
    initForTest({
      dsn: ingest.dsn,
      beforeSend: async (event) => (event.message === 'bad-before-send' ? ('nope' as never) : event),
    });
    addEventProcessor(async (event) => (event.message === 'drop-async' ? null : event));
    captureMessage('drop-async');
    captureMessage('bad-before-send');
    captureMessage('kept');
    await ingest.eventWithMessage('kept');
    await getClient()!.flush(2000);
    expect(ingest.events().map((event) => event.logentry?.message)).toEqual(['kept']);
    expect(ingest.discardedEvents()).toEqual(
      expect.arrayContaining([
        { reason: 'event_processor', category: 'error', quantity: 1 },
        { reason: 'before_send', category: 'error', quantity: 1 },
      ]),
    );
  });
});

describe('a failing step', () => {
  it('drops only its event, counted as internal_sdk_error, whether it throws or rejects, and never throws to the caller', async () => {
    const failing = new Set(['throws', 'rejects', 'processor-throws', 'processor-rejects']);
    initForTest({
      dsn: ingest.dsn,
      beforeSend(event) {
        if (event.message === 'throws') throw new Error('beforeSend threw');
        if (event.message === 'rejects') return Promise.reject(new Error('beforeSend rejected'));
        return event;
      },
    });
    addEventProcessor((event) => {
      if (event.message === 'processor-throws') throw new Error('processor threw');
      return event.message === 'processor-rejects' ? Promise.reject(new Error('processor rejected')) : event;
    });
    for (const message of failing) expect(() => captureMessage(message)).not.toThrow();
    captureMessage('kept');
    expect(await getClient()!.flush(2000)).toBe(true);
    expect(ingest.events().map((event) => event.logentry?.message)).toEqual(['kept']);
    expect(ingest.discardedEvents()).toEqual([
      { reason: 'internal_sdk_error', category: 'error', quantity: 4 },
    ]);
  });
});

describe('hooks around the send', () => {
  it('gives afterSendEvent listeners the event with the ingest response, and beforeEnvelope the envelope', async () => {
    const client = initForTest({ dsn: ingest.dsn });
    const envelopes: string[] = [];
    const delivered: Array<{ message: string | undefined; statusCode: number | undefined }> = [];
    client.on('beforeEnvelope', (envelope) => {
      envelopes.push(String(envelope.items[0]?.headers.type));
    });
    client.on('afterSendEvent', (event, response) => {
      delivered.push({ message: event.message, statusCode: response?.statusCode });
    });
    captureMessage('after send', 'error');
    expect(envelopes).toEqual(['event']);
    expect(delivered).toEqual([]);
    expect(await client.flush(2000)).toBe(true);
    expect(delivered).toEqual([{ message: 'after send', statusCode: 200 }]);
  });
});

describe('contexts', () => {
  it('are normalised one level below `contexts`, while the trace context is sent as the SDK built it', async () => {
    initForTest({ dsn: ingest.dsn, normalizeDepth: 3 });
    setContext('deep', { a: { b: { c: 1 } }, at: new Date(0) });
    captureMessage('contexts-depth');
    const event = await ingest.eventWithMessage('contexts-depth');
    expect(event.contexts?.deep).toEqual({ a: { b: '[Object]' }, at: '1970-01-01T00:00:00.000Z' });
    expect(event.contexts?.trace?.trace_id).toBe(getCurrentScope().getPropagationContext().traceId);
    expect(ingest.schemaErrors()).toEqual([]);
  });
});

describe('the pipeline fills its own copy of an event in place, and only its own', () => {
  it('leaves an event given to captureEvent as the caller built it', async () => {
    initForTest({ dsn: ingest.dsn });
    setContext('deep', { a: { b: { c: 1 } } });
    const event = { message: 'caller-owned', extra: { at: new Date(0) } };
    const before = structuredClone(event);
    captureEvent(event);
    const sent = await ingest.eventWithMessage('caller-owned');
    expect(sent.extra).toEqual({ at: '1970-01-01T00:00:00.000Z' });
    expect(sent.contexts?.deep).toEqual({ a: { b: '[Object]' } });
    expect(event).toEqual(before);
    expect(ingest.schemaErrors()).toEqual([]);
  });

  it('normalises a copy of an object a processor returned instead of the event it was given', async () => {
    initForTest({ dsn: ingest.dsn });
    let kept: Event | undefined;
    let before: Event | undefined;
    addEventProcessor((event) => {
      if (event.message !== 'processor-owned') return event;
      kept = {
        ...event,
        tags: { long: 'x'.repeat(300) },
        extra: { at: new Date(0) },
        contexts: { ...event.contexts, deep: { a: { b: { c: 1 } } } },
      };
      before = structuredClone(kept);
      return kept;
    });
    captureMessage('processor-owned');
    const sent = await ingest.eventWithMessage('processor-owned');
    expect(sent.tags?.long).toBe(`${'x'.repeat(200)}...`);
    expect(sent.extra).toEqual({ at: '1970-01-01T00:00:00.000Z' });
    expect(sent.contexts?.deep).toEqual({ a: { b: '[Object]' } });
    expect(kept).toEqual(before);
    expect(kept?.extra?.at).toBeInstanceOf(Date);
    expect(ingest.schemaErrors()).toEqual([]);
  });
});
