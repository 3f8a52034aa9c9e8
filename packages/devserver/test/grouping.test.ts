import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupingFor } from '../src/grouping';
import { errorEnvelope, hexId, itemEnvelope, startTestServer, type TestServer } from './helpers';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

async function issueOf(eventId: string) {
  const event = await server.api(`/api/events/${eventId}`);
  return server.api(`/api/issues/${event.issueId}`);
}

describe('grouping errors into issues', () => {
  it('groups the same error from two users into one issue with count 2 and 2 users', async () => {
    const first = errorEnvelope({
      errorType: 'PaymentError',
      errorValue: 'card processor timeout',
      user: { id: 'alice' },
      release: 'shop@1.0.0',
    });
    const second = errorEnvelope({
      errorType: 'PaymentError',
      errorValue: 'card processor timeout',
      user: { email: 'bob@example.com' },
      release: 'shop@1.1.0',
    });
    const third = errorEnvelope({
      errorType: 'PaymentError',
      errorValue: 'card processor timeout',
      user: { id: 'alice' },
      release: 'shop@1.1.0',
    });
    for (const { envelope } of [first, second, third]) expect((await server.send(envelope)).status).toBe(200);

    const issue = await issueOf(first.eventId);
    expect(issue.id).toBe((await issueOf(second.eventId)).id);
    expect(issue.count).toBe(3);
    expect(issue.userCount).toBe(2);
    expect(issue.releases.sort()).toEqual(['shop@1.0.0', 'shop@1.1.0']);
    expect(issue.environments).toEqual(['test']);
    expect(issue.title).toBe('PaymentError: card processor timeout');
    expect(Date.parse(issue.firstSeen)).toBeLessThanOrEqual(Date.parse(issue.lastSeen));
    const events = await server.api(`/api/issues/${issue.id}/events`);
    expect(events.total).toBe(3);
    expect(events.events.map((event: { eventId: string }) => event.eventId)).toContain(second.eventId);
  });

  it('puts a different error into another issue', async () => {
    const a = errorEnvelope({ errorType: 'StockError', errorValue: 'out of stock' });
    const b = errorEnvelope({ errorType: 'RangeError', errorValue: 'out of stock' });
    await server.send(a.envelope);
    await server.send(b.envelope);
    expect((await issueOf(a.eventId)).id).not.toBe((await issueOf(b.eventId)).id);
  });

  it('groups by in-app frames, not line numbers or messages', () => {
    const event = (lineno: number, value: string, fn = 'charge') => ({
      exception: {
        values: [
          {
            type: 'Error',
            value,
            stacktrace: {
              frames: [
                { filename: 'node:internal/x', function: 'tick', lineno: 1, in_app: false },
                { filename: '/app/pay.js', function: fn, lineno, in_app: true },
              ],
            },
          },
        ],
      },
    });
    expect(groupingFor(event(10, 'order 1 failed')).hash).toBe(groupingFor(event(99, 'order 2 failed')).hash);
    expect(groupingFor(event(10, 'x')).hash).not.toBe(groupingFor(event(10, 'x', 'refund')).hash);
    expect(groupingFor(event(10, 'x')).components).toEqual(['type:Error', 'frame:/app/pay.js:charge']);
  });

  it('respects fingerprints, including {{ default }}', async () => {
    const fingerprinted = (errorType: string, fingerprint: string[]) =>
      errorEnvelope({ errorType, errorValue: 'db down', fingerprint });
    const a = fingerprinted('ConnectionError', ['database-unavailable']);
    const b = fingerprinted('TimeoutError', ['database-unavailable']);
    const c = fingerprinted('TimeoutError', ['{{ default }}', 'tenant-a']);
    const d = fingerprinted('TimeoutError', ['{{default}}', 'tenant-b']);
    for (const { envelope } of [a, b, c, d]) await server.send(envelope);

    const issueA = await issueOf(a.eventId);
    expect((await issueOf(b.eventId)).id).toBe(issueA.id);
    expect(issueA.count).toBe(2);
    expect(issueA.grouping).toEqual(['fingerprint:database-unavailable']);
    const issueC = await issueOf(c.eventId);
    expect(issueC.id).not.toBe((await issueOf(d.eventId)).id);
    expect(issueC.grouping).toEqual([
      'type:TimeoutError',
      'frame:checkout:chargeCart',
      'fingerprint:tenant-a',
    ]);
  });

  it('groups message events by their template', async () => {
    const message = (formatted: string) => {
      const eventId = hexId(32);
      const payload = {
        event_id: eventId,
        platform: 'python',
        logentry: { message: 'user %s locked out', formatted },
      };
      return {
        eventId,
        envelope: itemEnvelope([{ headers: { type: 'event' }, payload }], { event_id: eventId }),
      };
    };
    const a = message('user 1 locked out');
    const b = message('user 2 locked out');
    await server.send(a.envelope);
    await server.send(b.envelope);
    const issue = await issueOf(a.eventId);
    expect((await issueOf(b.eventId)).id).toBe(issue.id);
    expect(issue.title).toBe('user 2 locked out');
    expect(issue.level).toBe('error');
  });

  it('filters and sorts the issue list', async () => {
    const all = await server.api('/api/issues');
    expect(all.total).toBeGreaterThanOrEqual(5);
    const byUser = await server.api('/api/issues?user=bob@example.com');
    expect(byUser.issues.map((issue: { title: string }) => issue.title)).toEqual([
      'PaymentError: card processor timeout',
    ]);
    const byRelease = await server.api('/api/issues?release=shop@1.1.0');
    expect(byRelease.issues).toHaveLength(1);
    const byText = await server.api('/api/issues?query=StockError');
    expect(byText.issues).toHaveLength(1);
    const byCount = await server.api('/api/issues?sort=count');
    expect(byCount.issues[0].count).toBeGreaterThanOrEqual(byCount.issues[1].count);
    const bad = await fetch(`${server.url}/api/issues?sort=nonsense`);
    expect(bad.status).toBe(400);
  });
});
