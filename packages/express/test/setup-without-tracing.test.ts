/**
 * Tracing unset, `sendDefaultPii` on, and the Express integration removed: `setupExpressErrorHandler`
 * alone instruments the app (as for a bundled app, where express is not in the module cache).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIngest, type TestIngest } from '../../../test/ingest';
import { close, flush, getDefaultIntegrations, init } from '../src/index';
import { buildShopApp, EXPRESS_VERSIONS, listen } from './express-apps';

const LEFT_OUT = new Set(['OnUncaughtException', 'OnUnhandledRejection', 'ProcessExitFlush', 'Express']);
let ingest: TestIngest;

beforeAll(async () => {
  ingest = await startIngest();
  init({
    dsn: ingest.dsn,
    sendDefaultPii: true,
    tracePropagationTargets: [],
    defaultIntegrations: getDefaultIntegrations().filter((i) => !LEFT_OUT.has(i.name)),
  });
});
afterAll(async () => {
  await close(2000);
  await ingest.close();
});

describe.each(EXPRESS_VERSIONS)('Express $major without tracing', ({ major, express }) => {
  it('still names the error after the route, with a trace context and the user from req.user', async () => {
    ingest.reset();
    const app = await listen(buildShopApp(major, express));
    try {
      await fetch(`${app.base}/api/v1/orgs/acme/fail/7`, { headers: { 'x-authenticated': 'alice' } });
      await fetch(`${app.base}/users/8`);
      await flush(3000);
      await ingest.waitFor(() => ingest.events().length === 2);
      const [nested, plain] = ingest.events();
      expect(nested!.transaction).toBe('GET /api/v1/orgs/:orgId/fail/:userId');
      expect(nested!.user).toEqual({ id: 'alice', email: 'alice@example.com' });
      expect(plain!.transaction).toBe('GET /users/:id');
      expect(plain!.user).toBeUndefined();
      for (const event of [nested!, plain!]) {
        expect(event.contexts!.trace!.trace_id).toMatch(/^[0-9a-f]{32}$/);
        expect(event.contexts!.trace!.span_id).toMatch(/^[0-9a-f]{16}$/);
        expect(event.exception!.values!.at(-1)!.mechanism).toMatchObject({
          type: 'auto.middleware.express',
          handled: false,
        });
      }
      expect(nested!.contexts!.trace!.trace_id).not.toBe(plain!.contexts!.trace!.trace_id);
      expect(ingest.transactions()).toEqual([]);
      expect(ingest.schemaErrors()).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
