/** PROTOCOL.md §3.5 checks for `session` items, shared by the browser tests. */
import { expect } from 'vitest';

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/;

/** PROTOCOL.md §3.5: the fields and value ranges of a `session` item. */
export function expectValidSession(session: Record<string, unknown>, release: string): void {
  expect(session.sid).toMatch(UUID);
  expect(['ok', 'exited', 'crashed', 'abnormal']).toContain(session.status);
  expect(typeof session.init).toBe('boolean');
  expect(Number.isInteger(session.seq) && (session.seq as number) >= 0).toBe(true);
  expect(Number.isInteger(session.errors) && (session.errors as number) >= 0).toBe(true);
  expect(typeof session.duration === 'number' && (session.duration as number) >= 0).toBe(true);
  for (const key of ['started', 'timestamp']) {
    expect(Number.isNaN(Date.parse(session[key] as string)), key).toBe(false);
  }
  expect(Date.parse(session.timestamp as string)).toBeGreaterThanOrEqual(
    Date.parse(session.started as string),
  );
  expect(session.attrs).toMatchObject({ release, user_agent: expect.stringMatching(/Chrome/) });
}
