import { request as httpRequest } from 'node:http';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEnvelope, serializeEnvelope } from '../../packages/core/src/envelope';
import type { EnvelopeItem } from '../../packages/core/src/types/envelope';
import { startIngest, type TestIngest, validateEvent, validateTransaction } from './index';

const TRACE_ID = '771a43a4192642f0b136d5159a501700';
const EVENT_ID = 'fc6d8c0c43fc4630ad850ee518f1b9d0';

const goldenEvent = () => ({
  event_id: EVENT_ID,
  timestamp: 1704067200.123,
  platform: 'node',
  level: 'error',
  environment: 'production',
  release: 'app@1.0.0',
  exception: {
    values: [
      {
        type: 'Error',
        value: 'boom',
        mechanism: { type: 'generic', handled: true },
        stacktrace: { frames: [{ filename: 'app.js', function: 'main', lineno: 1, colno: 1, in_app: true }] },
      },
    ],
  },
  contexts: { trace: { trace_id: TRACE_ID, span_id: 'b0e6f15b45c36b12' } },
  sdk: { name: 'faultline.javascript.node', version: '0.1.0' },
});

const goldenTransaction = () => ({
  event_id: EVENT_ID,
  type: 'transaction',
  transaction: 'GET /users/:id',
  transaction_info: { source: 'route' },
  platform: 'node',
  start_timestamp: 1704067200.0,
  timestamp: 1704067200.5,
  contexts: { trace: { trace_id: TRACE_ID, span_id: 'b0e6f15b45c36b12', op: 'http.server', status: 'ok' } },
  spans: [
    {
      trace_id: TRACE_ID,
      span_id: 'a1b2c3d4e5f60718',
      parent_span_id: 'b0e6f15b45c36b12',
      op: 'db.query',
      description: 'SELECT 1',
      start_timestamp: 1704067200.1,
      timestamp: 1704067200.2,
      status: 'ok',
      origin: 'manual',
      data: { 'db.system': 'postgresql' },
    },
  ],
  measurements: { lcp: { value: 12.5, unit: 'millisecond' } },
});

function envelopeOf(ingest: TestIngest, items: EnvelopeItem[], headers: Record<string, unknown> = {}) {
  return serializeEnvelope(
    createEnvelope(
      {
        event_id: EVENT_ID,
        sent_at: new Date().toISOString(),
        trace: { trace_id: TRACE_ID, public_key: ingest.publicKey },
        ...headers,
      },
      items,
    ),
  );
}

const authHeader = (key: string) => ({
  'x-sentry-auth': `Sentry sentry_version=7, sentry_client=test/1.0, sentry_key=${key}`,
});

async function post(
  ingest: TestIngest,
  body: string | Uint8Array,
  init: { headers?: Record<string, string>; path?: string } = {},
): Promise<Response> {
  return fetch(`${ingest.url}${init.path ?? `/api/${ingest.projectId}/envelope/`}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-sentry-envelope',
      ...(init.headers ?? authHeader(ingest.publicKey)),
    },
    body,
  });
}

/** A raw http.request so socket-level outcomes (hang, destroy) surface as errors. */
function rawPost(ingest: TestIngest, body: string | Uint8Array): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      ingest.envelopeUrl,
      { method: 'POST', headers: authHeader(ingest.publicKey) },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

let ingest: TestIngest;
beforeEach(async () => {
  ingest = await startIngest();
});
afterEach(async () => {
  await ingest.close();
});

describe('test ingest: identity', () => {
  it('exposes a loopback DSN, url and port', async () => {
    expect(ingest.port).toBeGreaterThan(0);
    expect(ingest.url).toBe(`http://127.0.0.1:${ingest.port}`);
    expect(ingest.dsn).toBe(`http://${ingest.publicKey}@127.0.0.1:${ingest.port}/${ingest.projectId}`);
    const custom = await startIngest({ publicKey: 'abc', projectId: '77', secretKey: 'shh' });
    expect(custom.dsn).toBe(`http://abc:shh@127.0.0.1:${custom.port}/77`);
    expect(custom.envelopeUrl).toBe(`http://127.0.0.1:${custom.port}/api/77/envelope/`);
    await custom.close();
  });
});

describe('test ingest: auth', () => {
  const event = () => ({ headers: { type: 'event' }, payload: goldenEvent() });

  it('accepts X-Sentry-Auth and answers the event id', async () => {
    const response = await post(ingest, envelopeOf(ingest, [event()]));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ id: EVENT_ID });
    expect(ingest.events()).toEqual([goldenEvent()]);
    expect(ingest.schemaErrors()).toEqual([]);
  });

  it('accepts query-string auth, Authorization: Sentry and a self-authenticated envelope', async () => {
    const body = envelopeOf(ingest, [event()]);
    const query = `/api/${ingest.projectId}/envelope/?sentry_version=7&sentry_key=${ingest.publicKey}&sentry_client=x%2F1`;
    expect((await post(ingest, body, { headers: {}, path: query })).status).toBe(200);
    const authorization = { authorization: `Sentry sentry_key=${ingest.publicKey}, sentry_version=7` };
    expect((await post(ingest, body, { headers: authorization })).status).toBe(200);
    const selfAuthenticated = envelopeOf(ingest, [event()], { dsn: ingest.dsn });
    expect((await post(ingest, selfAuthenticated, { headers: {} })).status).toBe(200);
    expect((await post(ingest, selfAuthenticated)).status).toBe(200);
    expect(ingest.events()).toHaveLength(4);
    expect(ingest.requests[0]!.query).toMatchObject({ sentry_key: ingest.publicKey, sentry_version: '7' });
  });

  it('rejects a request without any auth with 403', async () => {
    const response = await post(ingest, envelopeOf(ingest, [event()]), { headers: {} });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ detail: 'missing authorization information' });
    expect(response.headers.get('x-sentry-error')).toBe('missing authorization information');
    expect(ingest.envelopes).toEqual([]);
    expect(ingest.requests[0]).toMatchObject({ status: 403, error: 'missing authorization information' });
  });

  it('rejects an unknown key or project with 403, malformed auth with 401, disagreement with 400', async () => {
    const body = envelopeOf(ingest, [event()]);
    expect((await post(ingest, body, { headers: authHeader('0'.repeat(32)) })).status).toBe(403);
    expect((await post(ingest, body, { path: '/api/999/envelope/' })).status).toBe(403);
    expect(
      (await post(ingest, body, { headers: { 'x-sentry-auth': 'Sentry sentry_version=7' } })).status,
    ).toBe(401);
    expect((await post(ingest, body, { headers: { 'x-sentry-auth': 'Bearer x' } })).status).toBe(401);
    const mismatchedQuery = `/api/${ingest.projectId}/envelope/?sentry_key=other`;
    expect((await post(ingest, body, { path: mismatchedQuery })).status).toBe(400);
    const otherKeyDsn = envelopeOf(ingest, [event()], { dsn: `http://other@127.0.0.1/${ingest.projectId}` });
    const mismatch = await post(ingest, otherKeyDsn);
    expect(mismatch.status).toBe(400);
    expect(await mismatch.json()).toEqual({
      detail: 'public key header mismatch between envelope and request',
    });
    const otherProjectDsn = envelopeOf(ingest, [event()], { dsn: `http://${ingest.publicKey}@127.0.0.1/5` });
    expect((await post(ingest, otherProjectDsn)).status).toBe(400);
    expect(ingest.envelopes).toEqual([]);
  });

  it('answers 404 off the envelope route and 405 for other methods', async () => {
    expect((await post(ingest, '{}', { path: '/api/1/store/' })).status).toBe(404);
    expect((await post(ingest, '{}', { path: `/api/${ingest.projectId}/envelope` })).status).toBe(404);
    expect((await fetch(ingest.envelopeUrl)).status).toBe(405);
  });
});

describe('test ingest: bodies', () => {
  const body = () =>
    new TextEncoder().encode(
      envelopeOf(ingest, [{ headers: { type: 'event' }, payload: goldenEvent() }]) as string,
    );

  it.each([
    ['gzip', gzipSync],
    ['x-gzip', gzipSync],
    ['deflate', deflateSync],
    ['br', brotliCompressSync],
  ])('decodes Content-Encoding %s', async (encoding, compress) => {
    const plain = body();
    const raw = compress(plain);
    const response = await post(ingest, raw, {
      headers: { ...authHeader(ingest.publicKey), 'content-encoding': encoding },
    });
    expect(response.status).toBe(200);
    expect(ingest.events()).toEqual([goldenEvent()]);
    expect(Buffer.from(ingest.requests[0]!.rawBody)).toEqual(raw);
    expect(ingest.requests[0]!.body).toEqual(plain);
  });

  it('rejects undecodable and unknown encodings', async () => {
    const gzipHeaders = { ...authHeader(ingest.publicKey), 'content-encoding': 'gzip' };
    expect((await post(ingest, body(), { headers: gzipHeaders })).status).toBe(400);
    const unknown = { ...authHeader(ingest.publicKey), 'content-encoding': 'compress' };
    expect((await post(ingest, body(), { headers: unknown })).status).toBe(415);
  });

  it('rejects malformed envelopes with 400 and the parser error', async () => {
    const response = await post(ingest, '{}\n{"type":"event","length":99}\n{}');
    expect(response.status).toBe(400);
    const { detail } = (await response.json()) as { detail: string };
    expect(detail).toMatch(/^invalid event envelope: UnexpectedEof: item 0 at byte \d+/);
    expect((await post(ingest, '{}\n{"type":"integration"}\n{}')).status).toBe(400);
    expect(ingest.envelopes).toEqual([]);
    expect(ingest.requests).toHaveLength(2);
  });

  it('records binary attachments byte-exact next to parsed JSON items', async () => {
    const binary = Uint8Array.from({ length: 256 }, (_, i) => i);
    await post(
      ingest,
      envelopeOf(ingest, [
        { headers: { type: 'event' }, payload: goldenEvent() },
        { headers: { type: 'attachment', filename: 'a.bin' }, payload: binary },
      ]),
    );
    const [eventItem, attachment] = ingest.envelopes[0]!.items;
    expect(eventItem!.json).toEqual(goldenEvent());
    expect(attachment!.payload).toEqual(binary);
    expect(attachment!.json).toBeUndefined();
    expect(ingest.items('attachment')).toHaveLength(1);
    expect(ingest.envelopes[0]!.headers.event_id).toBe(EVENT_ID);
  });
});

describe('test ingest: scripted responses', () => {
  const send = () =>
    post(ingest, envelopeOf(ingest, [{ headers: { type: 'event' }, payload: goldenEvent() }]));

  it('plays queued responses in order, then the default', async () => {
    ingest.respondWith(
      { status: 429, headers: { 'x-sentry-rate-limits': '60:error:key', 'retry-after': '60' } },
      { status: 413 },
      { status: 500 },
    );
    const limited = await send();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-sentry-rate-limits')).toBe('60:error:key');
    expect(limited.headers.get('retry-after')).toBe('60');
    expect((await send()).status).toBe(413);
    expect((await send()).status).toBe(500);
    expect((await send()).status).toBe(200);
    expect(ingest.envelopes.map((envelope) => envelope.accepted)).toEqual([false, false, false, true]);
    expect(ingest.events()).toHaveLength(1);
    ingest.setDefaultResponse({ status: 503 });
    expect((await send()).status).toBe(503);
  });

  it('delays a response', async () => {
    ingest.respondWith({ status: 200, delayMs: 150 });
    const started = Date.now();
    expect((await send()).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('hangs until close, then the client sees the socket die', async () => {
    ingest.respondWith({ hang: true });
    const pending = rawPost(ingest, envelopeOf(ingest, []));
    await ingest.waitFor(1);
    const outcome = await Promise.race([
      pending.then(() => 'answered'),
      new Promise((resolve) => setTimeout(() => resolve('still hanging'), 200)),
    ]);
    expect(outcome).toBe('still hanging');
    expect(ingest.requests[0]!.status).toBeUndefined();
    await ingest.close();
    await expect(pending).rejects.toThrow(/socket hang up|ECONNRESET/);
  });

  it('destroys the socket without answering', async () => {
    ingest.respondWith({ destroy: true });
    await expect(rawPost(ingest, envelopeOf(ingest, []))).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(ingest.envelopes[0]!.accepted).toBe(false);
    expect((await send()).status).toBe(200);
  });

  it('reset forgets recordings and scripts', async () => {
    ingest.respondWith({ status: 500 });
    ingest.setDefaultResponse({ status: 502 });
    ingest.reset();
    expect((await send()).status).toBe(200);
    ingest.reset();
    expect(ingest.requests).toEqual([]);
    expect(ingest.envelopes).toEqual([]);
  });
});

describe('test ingest: validation', () => {
  it('records schema errors for a bad event without changing the response', async () => {
    const bad = {
      ...goldenEvent(),
      level: 'loud',
      bogus: 1,
      contexts: { trace: { trace_id: 'xyz', span_id: '0'.repeat(16) } },
    };
    const response = await post(ingest, envelopeOf(ingest, [{ headers: { type: 'event' }, payload: bad }]));
    expect(response.status).toBe(200);
    const errors = ingest.schemaErrors();
    expect(errors).toContain('envelope 0 item 0 (event): event: unknown key "bogus"');
    expect(errors.some((error) => error.startsWith('envelope 0 item 0 (event): event/level:'))).toBe(true);
    expect(errors).toContain(
      'envelope 0 item 0 (event): contexts.trace: trace_id "xyz" is not 32 lowercase hex characters',
    );
    expect(errors).toContain('envelope 0 item 0 (event): contexts.trace: span_id is all zeros');
  });

  it('checks the envelope header against the event', async () => {
    const body = serializeEnvelope(
      createEnvelope({ event_id: '0123456789abcdef0123456789abcdef' }, [
        { headers: { type: 'event' }, payload: goldenEvent() },
      ]),
    );
    await post(ingest, body);
    expect(ingest.envelopes[0]!.items[0]!.validationErrors).toEqual([
      `envelope header: event_id 0123456789abcdef0123456789abcdef differs from the payload's ${EVENT_ID}`,
      'envelope header: trace (dynamic sampling context) is missing',
    ]);
  });

  it('validates transactions with their own keys set aside', async () => {
    await post(
      ingest,
      envelopeOf(ingest, [{ headers: { type: 'transaction' }, payload: goldenTransaction() }]),
    );
    expect(ingest.transactions()).toEqual([goldenTransaction()]);
    expect(ingest.schemaErrors()).toEqual([]);
  });

  it('validateTransaction finds Relay drop reasons', () => {
    const transaction = goldenTransaction();
    transaction.timestamp = 1704067199;
    transaction.spans[0]!.span_id = 'ABC';
    transaction.spans[0]!.timestamp = 1704067200.05;
    expect(validateTransaction(transaction)).toEqual([
      'transaction: end timestamp 1704067199 is smaller than start timestamp 1704067200',
      'transaction.spans[0]: span_id "ABC" is not 16 lowercase hex characters',
      'transaction.spans[0]: end timestamp 1704067200.05 is smaller than start timestamp 1704067200.1',
    ]);
    expect(validateTransaction({ ...goldenTransaction(), spans: [null] })).toEqual([
      'transaction.spans[0]: not an object',
    ]);
  });

  it('validateEvent accepts the golden event and requires the protocol fields', () => {
    expect(validateEvent(goldenEvent())).toEqual([]);
    expect(validateEvent({})).toEqual([
      'event: event_id is missing',
      'event: timestamp is missing',
      'event: platform is missing',
      'contexts.trace: missing (every event must carry one)',
    ]);
    expect(validateEvent([])).toEqual(['event: payload is not a JSON object']);
  });

  it('sums discarded events from client reports', async () => {
    const report = (quantity: number, reason = 'queue_overflow') => ({
      headers: { type: 'client_report' },
      payload: { timestamp: 1704067200, discarded_events: [{ reason, category: 'error', quantity }] },
    });
    await post(ingest, envelopeOf(ingest, [report(2)]));
    await post(ingest, envelopeOf(ingest, [report(3), report(1, 'sample_rate')]));
    expect(ingest.discardedEvents()).toEqual([
      { reason: 'queue_overflow', category: 'error', quantity: 5 },
      { reason: 'sample_rate', category: 'error', quantity: 1 },
    ]);
    expect(ingest.clientReports()).toHaveLength(3);
    expect(ingest.schemaErrors()).toEqual([]);
  });
});

describe('test ingest: waitFor', () => {
  it('resolves on a count or a predicate once envelopes arrive', async () => {
    const waiting = ingest.waitFor((current) => current.events().length === 2, { timeout: 2000 });
    const counted = ingest.waitFor(1);
    await post(ingest, envelopeOf(ingest, [{ headers: { type: 'event' }, payload: goldenEvent() }]));
    await counted;
    await post(ingest, envelopeOf(ingest, [{ headers: { type: 'event' }, payload: goldenEvent() }]));
    await waiting;
    expect(ingest.events()).toHaveLength(2);
  });

  it('rejects with a message that shows what arrived', async () => {
    await post(ingest, envelopeOf(ingest, [{ headers: { type: 'session' }, payload: { sid: 'x' } }]));
    await post(ingest, '{}', { headers: {} });
    const error = await ingest.waitFor(3, { timeout: 50 }).catch((caught: Error) => caught);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe(
      'waitFor timed out after 50ms waiting for 3 envelope(s).\n' +
        'Received 2 request(s), 1 envelope(s):\n' +
        `  POST /api/${ingest.projectId}/envelope/ -> 200 [session]\n` +
        `  POST /api/${ingest.projectId}/envelope/ -> 403 (missing authorization information)`,
    );
  });

  it('reports the last predicate error and fails pending waits on close', async () => {
    const throwing = ingest.waitFor(() => (ingest.events()[0]!.level as string) === 'error', { timeout: 50 });
    await expect(throwing).rejects.toThrow(/Last predicate error: TypeError/);
    const pending = ingest.waitFor(5, { timeout: 5000 });
    await ingest.close();
    await expect(pending).rejects.toThrow('waitFor aborted: the test ingest was closed');
  });
});
