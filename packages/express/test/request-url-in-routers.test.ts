/**
 * An event captured while a mounted router handles the request carries the URL the client sent:
 * Express rewrites `req.url` to the path below the mount while the router runs, so the SDK keeps the
 * request as it arrived.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIngest, type TestIngest } from '../../../test/ingest';
import { captureException, close, flush, init, setupExpressErrorHandler } from '../src/index';
import { EXPRESS_VERSIONS, listen } from './express-apps';

let ingest: TestIngest;

beforeAll(async () => {
  ingest = await startIngest();
  init({ dsn: ingest.dsn, tracesSampleRate: 1 });
});
afterAll(async () => {
  await close(2000);
  await ingest.close();
});

describe.each(EXPRESS_VERSIONS)('Express $major request URL under mounted routers', ({ express }) => {
  it('is the URL the client sent, for an event and for the transaction', async () => {
    ingest.reset();
    const app = express();
    const items = express.Router();
    items.get('/:id', (req, res) => {
      captureException(new Error(`handled in a router, req.url ${req.url}`));
      res.send('ok');
    });
    const api = express.Router();
    api.use('/items', items);
    app.use('/api/v1', api);
    setupExpressErrorHandler(app);
    const server = await listen(app);
    try {
      expect((await fetch(`${server.base}/api/v1/items/7?color=red`)).status).toBe(200);
      await flush(3000);
      await ingest.waitFor(() => ingest.events().length >= 1 && ingest.transactions().length >= 1);
      const [event] = ingest.events();
      // The handler itself saw the rewritten URL: the router really did rewrite it.
      expect(event?.exception?.values?.[0]?.value).toBe('handled in a router, req.url /7?color=red');
      const sentUrl = `${server.base}/api/v1/items/7`;
      expect(event?.request).toMatchObject({ url: sentUrl, method: 'GET', query_string: 'color=red' });
      const [transaction] = ingest.transactions();
      expect(transaction?.transaction).toBe('GET /api/v1/items/:id');
      expect(transaction?.request).toMatchObject({ url: sentUrl, query_string: 'color=red' });
      expect(ingest.schemaErrors()).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
