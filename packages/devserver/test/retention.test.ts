import { afterEach, describe, expect, it } from 'vitest';
import { DevStore } from '../src/storage/dev-store';
import { openSqlite, scalar } from '../src/storage/sqlite-driver';
import { errorEnvelope, hexId, startTestServer, type TestServer, transactionEnvelope } from './helpers';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

describe('retention', () => {
  it('prunes the oldest events beyond maxEvents and recounts their issue', async () => {
    server = await startTestServer({ retention: { maxEvents: 3 } });
    const sent = [];
    for (let index = 0; index < 5; index++) {
      const { envelope, eventId } = errorEnvelope({ errorType: 'Pruned', user: { id: `user-${index}` } });
      expect((await server.send(envelope)).status).toBe(200);
      sent.push(eventId);
    }
    const stats = await server.api('/api/stats');
    expect(stats.events).toBe(3);
    for (const eventId of sent.slice(0, 2))
      expect((await fetch(`${server.url}/api/events/${eventId}`)).status).toBe(404);
    const newest = await server.api(`/api/events/${sent[4]}`);
    const issue = await server.api(`/api/issues/${newest.issueId}`);
    expect(issue).toMatchObject({ count: 3, userCount: 3, lastEventId: sent[4] });
  });

  it('removes issues and traces whose last event was pruned', async () => {
    server = await startTestServer({ retention: { maxEvents: 2 } });
    const old = errorEnvelope({
      errorType: 'OldIssue',
      contexts: { trace: { trace_id: hexId(32), span_id: hexId(16) } },
    });
    await server.send(old.envelope);
    const traceId = hexId(32);
    const now = Date.now() / 1000;
    await server.send(
      transactionEnvelope({
        traceId,
        spanId: hexId(16),
        name: 'GET /old',
        serverName: 'a',
        start: now,
        end: now + 1,
      }).envelope,
    );
    await server.send(errorEnvelope({ errorType: 'NewIssue' }).envelope);
    await server.send(errorEnvelope({ errorType: 'NewIssue' }).envelope);
    const issues = await server.api('/api/issues');
    expect(issues.issues.map((issue: { type: string }) => issue.type)).toEqual(['NewIssue']);
    expect((await server.api('/api/traces')).total).toBe(0);
    expect((await fetch(`${server.url}/api/traces/${traceId}`)).status).toBe(404);
    const db = openSqlite(server.dbPath);
    try {
      expect(scalar(db.prepare('SELECT COUNT(*) FROM spans').get())).toBe(0);
    } finally {
      db.close();
    }
  });

  it('prunes by age and by database size', () => {
    const store = DevStore.open(':memory:', {
      maxEvents: 1000,
      maxAgeMs: 60_000,
      maxDbBytes: 10 * 1024 * 1024,
    });
    try {
      const record = (eventId: string, received: number, size = 10) => ({
        eventId,
        project: '1',
        kind: 'error' as const,
        issue: { hash: 'h', components: ['x'] },
        timestamp: received,
        received,
        service: 's',
        title: 't',
        payload: JSON.stringify({ blob: 'z'.repeat(size) }),
        spans: [],
      });
      const now = Date.now();
      store.writer.insert(
        [record('a'.repeat(32), now / 1000 - 120), record('b'.repeat(32), now / 1000)],
        now,
      );
      expect(store.counts().events).toBe(1);
      expect(store.issues.event('a'.repeat(32))).toBeUndefined();

      const sized = DevStore.open(':memory:', {
        maxEvents: 1000,
        maxAgeMs: 3_600_000,
        maxDbBytes: 400 * 1024,
      });
      try {
        for (let index = 0; index < 40; index++) {
          sized.writer.insert([record(index.toString(16).padStart(32, '0'), now / 1000, 50_000)], now);
        }
        const { events, databaseBytes } = sized.counts();
        expect(events).toBeLessThan(40);
        expect(events).toBeGreaterThan(0);
        expect(sized.issues.event((39).toString(16).padStart(32, '0'))).toBeDefined();
        expect(databaseBytes).toBeLessThan(2 * 400 * 1024);
      } finally {
        sized.close();
      }
    } finally {
      store.close();
    }
  });

  it('keeps data across restarts in the same file', async () => {
    server = await startTestServer();
    const { envelope, eventId } = errorEnvelope({ errorType: 'Persisted' });
    await server.send(envelope);
    await server.close();
    const reopened = DevStore.open(server.dbPath, { maxEvents: 10, maxAgeMs: 3_600_000, maxDbBytes: 1e9 });
    try {
      expect(reopened.issues.event(eventId)?.title).toBe('Persisted: cart.total is undefined');
    } finally {
      reopened.close();
    }
  });
});
