import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(() => server.stop());

describe('a real @sentry/node client', () => {
  it.each([
    // Classic transaction events carry server_name, so spans and errors share one service.
    ['static', 'transaction', ['sentry-node-service']],
    // Span v2 items carry no server name: their service falls back to the release.
    ['stream', 'span', ['sentry-node-app@1.0.0', 'sentry-node-service']],
  ])(
    'with traceLifecycle %s, sends an exception and its spans (%s items) that appear through the JSON API',
    async (lifecycle, itemType, services) => {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [join(packageDir, 'test/fixtures/sentry-node-client.mjs')],
        {
          cwd: packageDir,
          env: {
            ...process.env,
            TRACE_LIFECYCLE: lifecycle,
            SENTRY_DSN: `http://publickey@127.0.0.1:${server.port}/1`,
          },
          timeout: 30_000,
        },
      );
      expect(stdout).toContain('"flushed":true');

      expect((await server.api('/api/stats')).itemsReceived[itemType]).toBeGreaterThanOrEqual(1);
      const { issues } = await server.api(`/api/issues?query=${lifecycle})`);
      expect(issues).toHaveLength(1);
      const issue = await server.api(`/api/issues/${issues[0].id}`);
      expect(issue).toMatchObject({
        title: `RangeError: sentry-node interop failure (${lifecycle})`,
        count: 1,
        userCount: 1,
        releases: ['sentry-node-app@1.0.0'],
        services: ['sentry-node-service'],
      });
      const event = issue.latestEvent;
      expect(event.event.sdk.name).toBe('sentry.javascript.node');
      expect(event.exceptions[0].frames.some((frame: { in_app?: boolean }) => frame.in_app)).toBe(true);
      expect(event.traceId).toMatch(/^[0-9a-f]{32}$/);

      const trace = await server.api(`/api/traces/${event.traceId}`);
      expect(trace.rootName).toBe('GET /interop');
      expect(trace.services).toEqual(services);
      const db = trace.spans.find((span: { description: string }) => span.description === 'SELECT 1');
      expect(db).toMatchObject({ op: 'db.query', depth: 1, error: true });
      expect(db.errors[0].issueId).toBe(issue.id);
    },
  );
});
