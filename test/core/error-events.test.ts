/**
 * Acceptance: each kind of thrown value becomes an event that the ingest's schema accepts and that
 * round-trips through our envelope parser (the ingest parses every request strictly with it).
 */
import {
  captureException,
  type Event,
  flush,
  getCurrentScope,
  parseEnvelope,
  serializeEnvelope,
  setExtra,
  withScope,
} from '@faultline/core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startIngest, type TestIngest } from '../ingest';
import { initForTest, shutdown } from '../support/sdk';

let ingest: TestIngest;
beforeAll(async () => {
  ingest = await startIngest();
});
afterAll(() => ingest.close());
beforeEach(() => {
  ingest.reset();
  initForTest({ dsn: ingest.dsn, release: 'shop@1.2.3' });
});
afterEach(() => shutdown());

async function captureOne(thrown: unknown, configure?: () => void): Promise<Event> {
  let id = '';
  withScope(() => {
    configure?.();
    id = captureException(thrown);
  });
  expect(await flush(5000)).toBe(true);
  await ingest.waitFor(() => ingest.events().some((event) => event.event_id === id));
  const event = ingest.events().find((e) => e.event_id === id)!;
  expect(ingest.schemaErrors()).toEqual([]);
  // The envelope as received re-serialises and parses back to the same data.
  const received = ingest.envelopes.find((envelope) => envelope.headers.event_id === id)!;
  const again = parseEnvelope(
    serializeEnvelope({ headers: received.headers, items: [{ headers: { type: 'event' }, payload: event }] }),
  );
  expect(JSON.parse(new TextDecoder().decode(again.items[0]!.payload as Uint8Array))).toEqual(event);
  return event;
}

function thrower(): never {
  throw new Error('card declined');
}

describe('error events', () => {
  it('a thrown Error: type, value, mechanism, in-app frames oldest → newest', async () => {
    let error: unknown;
    try {
      thrower();
    } catch (e) {
      error = e;
    }
    const event = await captureOne(error);
    const [exception] = event.exception!.values!;
    expect(exception).toMatchObject({
      type: 'Error',
      value: 'card declined',
      mechanism: { type: 'generic', handled: true },
    });
    const frames = exception!.stacktrace!.frames!;
    expect(frames[frames.length - 1]!.function).toContain('thrower');
    expect(frames[frames.length - 1]!.filename).toContain('error-events.test.ts');
    expect(frames[frames.length - 1]!.lineno).toBeGreaterThan(0);
    expect(event.release).toBe('shop@1.2.3');
    expect(event.environment).toBe('production');
    expect(event.sdk?.name).toBe('faultline.javascript.core');
    expect(event.contexts?.trace?.trace_id).toMatch(/^[0-9a-f]{32}$/);
  });

  it('a 3-level cause chain becomes linked exceptions, deepest cause first', async () => {
    const root = new TypeError('socket hang up');
    const middle = new Error('payment provider unreachable', { cause: root });
    const top = new Error('checkout failed', { cause: middle });
    const event = await captureOne(top);
    const values = event.exception!.values!;
    expect(values.map((v) => v.value)).toEqual([
      'socket hang up',
      'payment provider unreachable',
      'checkout failed',
    ]);
    expect(values[0]!.type).toBe('TypeError');
    expect(values[2]!.mechanism).toMatchObject({ type: 'generic', handled: true, exception_id: 0 });
    expect(values[1]!.mechanism).toMatchObject({ source: 'cause', exception_id: 1, parent_id: 0 });
    expect(values[0]!.mechanism).toMatchObject({ source: 'cause', exception_id: 2, parent_id: 1 });
  });

  it('an AggregateError carries its errors as an exception group', async () => {
    const event = await captureOne(
      new AggregateError([new Error('first'), new RangeError('second')], 'several failed'),
    );
    const values = event.exception!.values!;
    const top = values[values.length - 1]!;
    expect(top).toMatchObject({ type: 'AggregateError', value: 'several failed' });
    expect(top.mechanism).toMatchObject({ is_exception_group: true, exception_id: 0 });
    const children = values.slice(0, -1);
    expect(children.map((v) => v.value).sort()).toEqual(['first', 'second']);
    expect(children.map((v) => v.mechanism?.source).sort()).toEqual(['errors[0]', 'errors[1]']);
    for (const child of children) expect(child.mechanism?.parent_id).toBe(0);
  });

  it('a string throw gives its text as the value', async () => {
    const event = await captureOne('out of stock');
    const values = event.exception!.values!;
    expect(values[values.length - 1]!.value).toBe('out of stock');
    expect(JSON.stringify(event)).not.toContain('[object Object]');
  });

  it('a plain-object throw names its keys and keeps the object', async () => {
    const event = await captureOne({ code: 'E_CART', items: 3 });
    const values = event.exception!.values!;
    expect(values[values.length - 1]!.value).toContain('code');
    expect(JSON.stringify(event)).not.toContain('[object Object]');
    expect(JSON.stringify(event.extra)).toContain('E_CART');
  });

  it('a circular extra is sent, with the cycle marked', async () => {
    const cart: Record<string, unknown> = { id: 'c1' };
    cart.self = cart;
    const event = await captureOne(new Error('circular'), () => setExtra('cart', cart));
    expect((event.extra!.cart as Record<string, unknown>).id).toBe('c1');
    expect(JSON.stringify(event.extra)).toContain('[Circular');
  });

  it('a 1 MB string extra is trimmed to the protocol limit and the event still goes out', async () => {
    const event = await captureOne(new Error('huge'), () => setExtra('payload', 'x'.repeat(1024 * 1024)));
    const payload = event.extra!.payload as string;
    expect(payload.length).toBeGreaterThan(1000);
    expect(new TextEncoder().encode(JSON.stringify(payload)).length).toBeLessThanOrEqual(16 * 1024);
  });

  it('attachments ride in the event envelope byte for byte, binary included', async () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    let id = '';
    withScope((scope) => {
      scope.addAttachment({ filename: 'cart.bin', data: bytes, contentType: 'application/octet-stream' });
      scope.addAttachment({ filename: 'note.txt', data: 'ünïcödé\nline 2' });
      id = captureException(new Error('with attachments'));
    });
    await flush(3000);
    const envelope = ingest.envelopes.find((e) => e.headers.event_id === id)!;
    const attachments = envelope.items.filter((item) => item.headers.type === 'attachment');
    expect(attachments.map((a) => a.headers.filename)).toEqual(['cart.bin', 'note.txt']);
    expect([...attachments[0]!.payload]).toEqual([...bytes]);
    expect(new TextDecoder().decode(attachments[1]!.payload)).toBe('ünïcödé\nline 2');
    expect(getCurrentScope().getScopeData().attachments).toEqual([]);
  });
});
