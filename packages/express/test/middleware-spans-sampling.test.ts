/**
 * Middleware spans (`middlewareSpans: true`) are only tracked for requests whose root span records:
 * an unsampled request pays nothing for them. Observed through what the tracking leaves on the
 * response (its `close` listener) and through the transactions sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIngest, type TestIngest } from '../../../test/ingest';
import { close, flush, init, setupExpressErrorHandler } from '../src/index';
import { EXPRESS_VERSIONS, listen } from './express-apps';

let ingest: TestIngest;

beforeAll(async () => {
  ingest = await startIngest();
  init({
    dsn: ingest.dsn,
    tracesSampler: ({ attributes }) => (String(attributes?.['url.path']).startsWith('/sampled') ? 1 : 0),
  });
});
afterAll(async () => {
  await close(2000);
  await ingest.close();
});

describe.each(EXPRESS_VERSIONS)('Express $major middleware spans and sampling', ({ express }) => {
  it('tracks layer spans for a sampled request only', async () => {
    ingest.reset();
    const app = express();
    app.use(function passThrough(_req, _res, next) {
      next();
    });
    app.get(['/sampled/listeners', '/unsampled/listeners'], (_req, res) => {
      res.json({ close: res.listenerCount('close') });
    });
    setupExpressErrorHandler(app, { middlewareSpans: true });
    const plain = express();
    plain.get(['/sampled/listeners', '/unsampled/listeners'], (_req, res) => {
      res.json({ close: res.listenerCount('close') });
    });
    setupExpressErrorHandler(plain);
    const [traced, untraced] = await Promise.all([listen(app), listen(plain)]);
    try {
      const closeListeners = async (base: string, path: string) =>
        ((await (await fetch(`${base}${path}`)).json()) as { close: number }).close;
      const baseline = await closeListeners(untraced.base, '/unsampled/listeners');
      expect(await closeListeners(traced.base, '/unsampled/listeners')).toBe(baseline);
      expect(await closeListeners(traced.base, '/sampled/listeners')).toBeGreaterThan(
        await closeListeners(untraced.base, '/sampled/listeners'),
      );
      await flush(3000);
      await ingest.waitFor(() => ingest.transactions().length >= 2);
      const transactions = ingest.transactions();
      expect(transactions.every((t) => t.transaction?.startsWith('GET /sampled'))).toBe(true);
      const withLayers = transactions.find((t) => t.spans?.some((span) => span.op === 'middleware.express'));
      expect(withLayers?.spans?.map((span) => span.description)).toContain('passThrough');
      expect(ingest.schemaErrors()).toEqual([]);
    } finally {
      await Promise.all([traced.close(), untraced.close()]);
    }
  });
});
