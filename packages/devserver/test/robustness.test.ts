import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorEnvelope, hexId, itemEnvelope, startTestServer, type TestServer } from './helpers';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ limits: { maxEnvelopeBytes: 256 * 1024, maxEventBytes: 64 * 1024 } });
});
afterAll(() => server.stop());

/** A good envelope still goes in and reads back: the server kept serving and storage is intact. */
async function expectStillServing(): Promise<void> {
  const { envelope, eventId } = errorEnvelope({ errorType: 'StillServing' });
  expect((await server.send(envelope)).status).toBe(200);
  const event = await server.api(`/api/events/${eventId}`);
  expect(event.title).toBe('StillServing: cart.total is undefined');
  const issue = await server.api(`/api/issues/${event.issueId}`);
  expect(issue.count).toBe((await server.api(`/api/issues/${event.issueId}/events`)).total);
}

describe('malformed and oversized input', () => {
  const good = JSON.stringify({ event_id: 'a'.repeat(32), message: 'hi' });
  it.each([
    ['an empty body', '', /MissingHeader/],
    ['a header that is not JSON', '{nope\n', /InvalidHeader/],
    ['a header event_id that is not a UUID', '{"event_id":"zzz"}\n', /event_id/],
    [
      'two sent_at headers',
      '{"sent_at":"2024-01-01T00:00:00Z","sent_at":"2024-01-01T00:00:00Z"}\n',
      /duplicate key/,
    ],
    ['an item length that overruns the body', `{}\n{"type":"event","length":999}\n${good}`, /UnexpectedEof/],
    ['junk after an explicit length', `{}\n{"type":"event","length":2}\n${good}`, /MissingNewline/],
    ['an internal item type', '{}\n{"type":"integration"}\n{}', /InternalItemType/],
    ['an event payload that is not JSON', '{}\n{"type":"event"}\n{"broken":', /invalid event payload/],
    ['an event payload that is not an object', '{}\n{"type":"event"}\n[1,2]', /expected a JSON object/],
    [
      'a transaction without trace context',
      `{}\n{"type":"transaction"}\n${JSON.stringify({ type: 'transaction', start_timestamp: 1, timestamp: 2 })}`,
      /missing valid trace context/,
    ],
    [
      'a transaction that ends before it starts',
      `{}\n{"type":"transaction"}\n${JSON.stringify({ type: 'transaction', start_timestamp: 2, timestamp: 1 })}`,
      /end timestamp is smaller/,
    ],
  ])('answers 400 with the reason for %s', async (_name, body, reason) => {
    const answer = await server.send(body);
    expect(answer.status).toBe(400);
    expect(answer.body.detail).toMatch(reason);
    await expectStillServing();
  });

  it('stores nothing from an envelope with one bad item among good ones', async () => {
    const { eventId } = errorEnvelope();
    const before = await server.api('/api/stats');
    const body = `{"event_id":"${eventId}"}\n{"type":"event"}\n{"event_id":"${eventId}","message":"fine"}\n{"type":"transaction"}\n{}`;
    expect((await server.send(body)).status).toBe(400);
    const after = await server.api('/api/stats');
    expect(after.events).toBe(before.events);
    expect((await fetch(`${server.url}/api/events/${eventId}`)).status).toBe(404);
  });

  it('answers 413 for an envelope over the size limit', async () => {
    const answer = await server.send(`{}\n{"type":"attachment","length":300000}\n${'x'.repeat(300_000)}`);
    expect(answer.status).toBe(413);
    expect(answer.body.detail).toMatch(/over the 262144-byte limit/);
    await expectStillServing();
  });

  it('answers 413 over the default 20 MiB limit and keeps serving', async () => {
    const defaults = await startTestServer();
    try {
      const body = `{}\n{"type":"attachment","length":${21 * 1024 * 1024}}\n${'a'.repeat(21 * 1024 * 1024)}`;
      const answer = await defaults.send(body);
      expect(answer.status).toBe(413);
      expect(answer.body.detail).toMatch(/over the 20971520-byte limit/);
      expect((await defaults.send(errorEnvelope().envelope)).status).toBe(200);
    } finally {
      await defaults.stop();
    }
  });

  it('answers 413 for an event item over the event limit', async () => {
    const payload = { event_id: hexId(32), message: 'big', extra: { blob: 'y'.repeat(70_000) } };
    const answer = await server.send(itemEnvelope([{ headers: { type: 'event' }, payload }]));
    expect(answer.status).toBe(413);
    expect(answer.body.detail).toMatch(/event item is \d+ bytes/);
    await expectStillServing();
  });

  it('answers 413 for a small gzip body that inflates past the limit', async () => {
    const bomb = gzipSync(Buffer.alloc(2 * 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(256 * 1024);
    const answer = await server.send(bomb, { headers: { 'content-encoding': 'gzip' } });
    expect(answer.status).toBe(413);
    await expectStillServing();
  });

  it('answers 400 for a corrupt gzip body and 415 for an unknown encoding', async () => {
    const corrupt = await server.send(Buffer.from('not gzip at all'), {
      headers: { 'content-encoding': 'gzip' },
    });
    expect(corrupt.status).toBe(400);
    expect(corrupt.body.detail).toMatch(/cannot decode gzip/);
    const unknown = await server.send('{}', { headers: { 'content-encoding': 'snappy' } });
    expect(unknown.status).toBe(415);
    await expectStillServing();
  });

  it('answers 405 and 404 for wrong methods and routes', async () => {
    expect((await fetch(`${server.url}/api/1/envelope/`)).status).toBe(405);
    expect((await fetch(`${server.url}/api/nope`)).status).toBe(404);
    expect((await fetch(`${server.url}/api/issues/999999`)).status).toBe(404);
  });

  it('never answers 5xx or crashes, whatever bytes arrive', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }),
          fc.string({ maxLength: 300 }).map((text) => `{}\n{"type":"event"}\n${text}`),
          fc.json().map((json) => `{}\n{"type":"transaction"}\n${json}`),
          fc.json().map((json) => `{}\n{"type":"span"}\n${json}`),
          fc.json().map((json) => `{}\n{"type":"event"}\n${json}`),
        ),
        async (body) => {
          const answer = await server.send(body);
          expect([200, 400, 413]).toContain(answer.status);
        },
      ),
      { numRuns: 150 },
    );
    await expectStillServing();
  });
});
