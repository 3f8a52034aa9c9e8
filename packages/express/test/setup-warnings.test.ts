/** Setups that would lose errors are reported once, on the console, whatever `debug` says. */
import type express from 'express';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startIngest, type TestIngest } from '../../../test/ingest';
import { close, flush, getDefaultIntegrations, init, setupExpressErrorHandler } from '../src/index';
import { EXPRESS_VERSIONS, listen } from './express-apps';

const PROCESS_HANDLERS = new Set(['OnUncaughtException', 'OnUnhandledRejection', 'ProcessExitFlush']);
let ingest: TestIngest;
const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
const faultlineWarnings = (about: string) =>
  warn.mock.calls.map((call) => String(call[0])).filter((message) => message.includes(about));

beforeAll(async () => {
  ingest = await startIngest();
  init({
    dsn: ingest.dsn,
    tracesSampleRate: 1,
    defaultIntegrations: getDefaultIntegrations().filter((i) => !PROCESS_HANDLERS.has(i.name)),
  });
});
afterAll(async () => {
  await close(2000);
  await ingest.close();
  warn.mockRestore();
});

function failingApp(express: (typeof EXPRESS_VERSIONS)[number]['express'], route: string): express.Express {
  const app = express();
  app.get(route, () => {
    throw new Error('lost');
  });
  return app;
}

// Order matters: the first test needs a process where no app has set the handler up yet.
describe('setup warnings', () => {
  it('warns once when errors reach Express but setupExpressErrorHandler was never called', async () => {
    for (const { express } of EXPRESS_VERSIONS) {
      const app = await listen(failingApp(express, '/boom'));
      expect((await fetch(`${app.base}/boom`)).status).toBe(500);
      expect((await fetch(`${app.base}/boom`)).status).toBe(500);
      await app.close();
    }
    const warnings = faultlineWarnings('setupExpressErrorHandler(app) was never called');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^Faultline Logger \[Warn\]: Faultline: an Express route passed an error/);
    await flush(2000);
    await ingest.waitFor(() => ingest.transactions().length === 4);
    expect(ingest.transactions().map((t) => t.transaction)).toEqual(Array(4).fill('GET /boom'));
    expect(ingest.events()).toEqual([]);
  });

  it.each(EXPRESS_VERSIONS)(
    'warns once per app when the handler is set up before routes (Express $major)',
    async ({ major, express }) => {
      const early = express();
      setupExpressErrorHandler(early);
      early.get(`/late${major}`, () => {
        throw new Error('registered after the handler');
      });
      const app = await listen(early);
      expect((await fetch(`${app.base}/late${major}`)).status).toBe(500);
      expect((await fetch(`${app.base}/late${major}`)).status).toBe(500);
      await app.close();
      const warnings = faultlineWarnings(`(/late${major}) were registered`);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain(
        'setupExpressErrorHandler(app) was called before 1 route(s) or middleware',
      );
    },
  );
});
