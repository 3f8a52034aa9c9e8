import diagnostics_channel from 'node:diagnostics_channel';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorEnvelope, hexId, itemEnvelope, PUBLIC_KEY, startTestServer, type TestServer } from './helpers';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

describe('envelope ingest', () => {
  it('stores an event built with core serializer and answers with its id', async () => {
    const { envelope, eventId } = errorEnvelope({ user: { id: 'u-1', email: 'ada@example.com' } });
    const answer = await server.send(envelope);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ id: eventId });

    const event = await server.api(`/api/events/${eventId}`);
    expect(event.kind).toBe('error');
    expect(event.title).toBe('TypeError: cart.total is undefined');
    expect(event.culprit).toBe('chargeCart (checkout)');
    expect(event.service).toBe('payments');
    expect(event.exceptions[0].frames[1].context_line).toBe('  return cart.total.amount;');
    const issue = await server.api(`/api/issues/${event.issueId}`);
    expect(issue.count).toBe(1);
    expect(issue.latestEvent.eventId).toBe(eventId);
  });

  it('accepts a Python SDK event with the X-Sentry-Auth header and fills {{auto}} IPs', async () => {
    const eventId = hexId(32);
    const event = {
      event_id: eventId,
      timestamp: new Date().toISOString().replace('Z', ''),
      platform: 'python',
      level: 'error',
      server_name: 'inventory-py',
      release: 'inventory@2.0.0',
      user: { ip_address: '{{auto}}' },
      exception: {
        values: [
          {
            type: 'ZeroDivisionError',
            value: 'division by zero',
            module: null,
            mechanism: { type: 'django', handled: false },
            stacktrace: {
              frames: [
                {
                  filename: 'inventory/views.py',
                  abs_path: '/srv/inventory/views.py',
                  function: 'reserve',
                  module: 'inventory.views',
                  lineno: 12,
                  in_app: true,
                  context_line: '    return stock / 0',
                  pre_context: ['def reserve(stock):'],
                  post_context: [],
                },
              ],
            },
          },
        ],
      },
      breadcrumbs: { values: [{ category: 'query', message: 'SELECT 1', timestamp: Date.now() / 1000 }] },
      sdk: { name: 'sentry.python.django', version: '1.9.10' },
    };
    const body = `{"event_id":"${eventId}","sent_at":"${new Date().toISOString()}"}\n{"type":"event","content_type":"application/json"}\n${JSON.stringify(event)}\n`;
    const answer = await server.send(body, {
      path: '/api/1/envelope/',
      headers: {
        'x-sentry-auth': `Sentry sentry_key=${PUBLIC_KEY}, sentry_version=7, sentry_client=sentry.python/1.9.10`,
      },
    });
    expect(answer.status).toBe(200);
    const stored = await server.api(`/api/events/${eventId}`);
    expect(stored.platform).toBe('python');
    expect(stored.title).toBe('ZeroDivisionError: division by zero');
    expect(stored.service).toBe('inventory-py');
    expect(stored.event.user.ip_address).toBe('127.0.0.1');
    expect(stored.breadcrumbs).toHaveLength(1);
    expect(stored.user).toBe('ip:127.0.0.1');
  });

  it.each([
    ['gzip', gzipSync],
    ['x-gzip', gzipSync],
    ['deflate', deflateSync],
    ['deflate', deflateRawSync],
    ['br', brotliCompressSync],
  ])('decodes a %s body', async (encoding, compress) => {
    const { envelope, eventId } = errorEnvelope({ errorValue: `compressed with ${compress.name}` });
    const answer = await server.send(compress(Buffer.from(envelope)), {
      headers: { 'content-encoding': encoding },
    });
    expect(answer.status).toBe(200);
    expect((await server.api(`/api/events/${eventId}`)).title).toContain(compress.name);
  });

  it('takes the public key from the envelope dsn header and checks its project', async () => {
    const { envelope } = errorEnvelope();
    const [header, ...rest] = envelope.split('\n');
    const withDsn = (dsn: string) => [JSON.stringify({ ...JSON.parse(header!), dsn }), ...rest].join('\n');
    const path = '/api/1/envelope/';
    expect((await server.send(withDsn(`http://${PUBLIC_KEY}@127.0.0.1/1`), { path })).status).toBe(200);
    const mismatch = await server.send(withDsn(`http://${PUBLIC_KEY}@127.0.0.1/2`), { path });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.detail).toMatch(/project id/);
    const otherKey = await server.send(withDsn('http://other@127.0.0.1/1'));
    expect(otherKey.status).toBe(400);
    expect(otherKey.body.detail).toMatch(/public keys/);
  });

  it('answers 403 without any authorization, like Relay', async () => {
    const answer = await server.send(errorEnvelope().envelope, { path: '/api/1/envelope/' });
    expect(answer.status).toBe(403);
    expect(answer.body).toEqual({ detail: 'missing authorization information' });
    expect(answer.headers.get('x-sentry-error')).toBe('missing authorization information');
  });

  it('accepts Spotlight envelopes on POST /stream without auth', async () => {
    const { envelope, eventId } = errorEnvelope({ errorValue: 'via spotlight' });
    const answer = await server.send(envelope, { path: '/stream' });
    expect(answer.status).toBe(200);
    expect((await server.api(`/api/events/${eventId}`)).title).toContain('via spotlight');
  });

  it('accepts the legacy store endpoint', async () => {
    const eventId = hexId(32);
    const answer = await server.send(
      JSON.stringify({ event_id: eventId, platform: 'python', message: 'legacy hello', level: 'warning' }),
      { path: `/api/1/store/?sentry_key=${PUBLIC_KEY}`, headers: { 'content-type': 'application/json' } },
    );
    expect(answer).toMatchObject({ status: 200, body: { id: eventId } });
    expect((await server.api(`/api/events/${eventId}`)).title).toBe('legacy hello');
  });

  it('stores a retried envelope once', async () => {
    const { envelope, eventId } = errorEnvelope({ errorType: 'RetryError' });
    await server.send(envelope);
    await server.send(envelope);
    const event = await server.api(`/api/events/${eventId}`);
    expect((await server.api(`/api/issues/${event.issueId}`)).count).toBe(1);
  });

  it('accepts item types it does not store and counts them', async () => {
    const envelope = itemEnvelope([
      {
        headers: { type: 'session' },
        payload: { sid: hexId(32), init: true, started: new Date().toISOString(), attrs: { release: 'a@1' } },
      },
      { headers: { type: 'client_report' }, payload: { discarded_events: [] } },
    ]);
    const answer = await server.send(envelope);
    expect(answer).toMatchObject({ status: 200, body: {} });
    const stats = await server.api('/api/stats');
    expect(stats.itemsReceived.session).toBe(1);
    expect(stats.itemsReceived.client_report).toBe(1);
  });

  it('answers CORS preflights and sets Access-Control-Allow-Origin', async () => {
    const preflight = await fetch(`${server.url}/api/1/envelope/`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:5173',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-sentry-auth',
      },
    });
    expect(preflight.status).toBe(200);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type,x-sentry-auth');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    const answer = await server.send(errorEnvelope().envelope, {
      headers: { origin: 'http://localhost:5173' },
    });
    expect(answer.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('rejects keys outside a configured list', async () => {
    const strict = await startTestServer({ publicKeys: ['only-this'] });
    try {
      expect((await strict.send(errorEnvelope().envelope)).status).toBe(403);
      const allowed = await strict.send(errorEnvelope().envelope, {
        path: '/api/1/envelope/?sentry_key=only-this',
      });
      expect(allowed.status).toBe(200);
    } finally {
      await strict.stop();
    }
  });

  it('marks its HTTP server so that an SDK in the same process does not trace it', async () => {
    const marks: unknown[] = [];
    const onRequest = (message: unknown) => {
      const { server: httpServer } = message as { server: Record<symbol, unknown> };
      marks.push(httpServer[Symbol.for('faultline.node.httpServerInstrumented')]);
    };
    diagnostics_channel.subscribe('http.server.request.start', onRequest);
    try {
      expect(await (await fetch(`${server.url}/api/health`)).json()).toEqual({ ok: true });
    } finally {
      diagnostics_channel.unsubscribe('http.server.request.start', onRequest);
    }
    expect(marks).toEqual([true]);
  });
});
