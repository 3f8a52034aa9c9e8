/** The Express apps the tests run, built the same way for Express 4 and 5, on 127.0.0.1 port 0. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type express from 'express';
import express4 from 'express4';
import express5 from 'express5';
import { type ExpressHandlerOptions, setUser, setupExpressErrorHandler } from '../src/index';

export type ExpressModule = typeof express;

export const EXPRESS_VERSIONS: Array<{ major: 4 | 5; express: ExpressModule }> = [
  { major: 4, express: express4 },
  { major: 5, express: express5 },
];

export interface Running {
  base: string;
  close(): Promise<void>;
}

export async function listen(handler: http.RequestListener): Promise<Running> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export class HttpError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

function ok(_req: express.Request, res: express.Response): void {
  res.send('ok');
}

/** The shop: routes that throw, fail and succeed, nested routers, mounts, arrays, regexes, a sub-app. */
export function buildShopApp(
  major: 4 | 5,
  express: ExpressModule,
  { downstream, handlerOptions }: { downstream?: string; handlerOptions?: ExpressHandlerOptions } = {},
): express.Express {
  const app = express();
  app.use(function identifyUser(req, _res, next) {
    const userId = req.header('x-user');
    if (userId) setUser({ id: userId });
    const authenticated = req.header('x-authenticated');
    if (authenticated)
      (req as { user?: unknown }).user = { id: authenticated, email: `${authenticated}@example.com` };
    next();
  });

  app.get('/users/:id', function explodeUser(req) {
    throw new Error(`user ${req.params.id} exploded`);
  });
  app.get('/next-error/:id', function passError(req, _res, next) {
    next(new Error(`next(err) for ${req.params.id}`));
  });
  app.get('/async-next/:id', async function awaitThenPass(req, _res, next) {
    try {
      await new Promise((resolve) => setTimeout(resolve, 1));
      throw new Error(`async ${req.params.id} failed`);
    } catch (error) {
      next(error);
    }
  });
  if (major === 5) {
    app.get('/async-reject/:id', async function rejectAsync(req) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      throw new Error(`rejected ${req.params.id}`);
    });
  }
  app.get('/missing/:id', (req, _res, next) => next(new HttpError(`no item ${req.params.id}`, 404)));
  app.get('/bad-request', (_req, res) => {
    res.status(400).send('bad');
  });
  app.get('/ok/:id', ok);
  app.get('/whoami/:id', function failForUser(req) {
    throw new Error(`whoami ${req.params.id}`);
  });

  const orgs = express.Router({ mergeParams: true });
  orgs.get('/users/:userId', ok);
  orgs.get('/fail/:userId', () => {
    throw new Error('nested failure');
  });
  const v1 = express.Router();
  v1.use('/orgs/:orgId', orgs);
  const api = express.Router();
  api.use('/v1', v1);
  api.get('/', ok);
  app.use('/api', api);

  app.get(['/multi-a/:id', '/multi-b/:id'], ok);
  app.get(/^\/regex\/\d+$/, ok);

  const admin = express();
  admin.get('/stats/:day', ok);
  app.use('/admin', admin);

  app.get('/proxy', async function callDownstream(_req, res, next) {
    try {
      const viaFetch = await fetch(`${downstream}/downstream/fetch`);
      await viaFetch.text();
      await new Promise<void>((resolve, reject) => {
        http
          .get(`${downstream}/downstream/http`, (response) => response.resume().on('end', resolve))
          .on('error', reject);
      });
      res.send('proxied');
    } catch (error) {
      next(error);
    }
  });

  setupExpressErrorHandler(app, handlerOptions);
  app.use(function answerError(
    error: unknown,
    _req: express.Request,
    res: express.Response,
    next: express.NextFunction,
  ) {
    if (res.headersSent) return next(error);
    res.status(error instanceof HttpError ? error.status : 500).send('failed');
  });
  return app;
}
