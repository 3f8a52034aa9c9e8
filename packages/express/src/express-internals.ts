/**
 * The parts of Express's router internals the SDK reads, for Express 4 (`express/lib/router`) and
 * Express 5 (the `router` package, 2.x). Typed structurally: express is a peer, never imported.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export type RoutePath = string | RegExp | Array<string | RegExp>;

export type LayerHandle = ((...args: unknown[]) => unknown) & { stack?: unknown };

export interface ExpressLayer {
  handle: LayerHandle;
  name?: string;
  /** Set on the router layer that dispatches to a route (`app.get(path, ...)`). */
  route?: { path: RoutePath };
  /** Present (maybe undefined) on the layers inside a route: the request handlers. */
  method?: string;
  /** The path as registered; router ≥ 2.3 (Express 5) only. */
  rawPath?: RoutePath;
  /** Express 4 and router < 2.3: what the last match stored on the layer. */
  path?: string;
  params?: Record<string, string>;
  regexp?: RegExp & { fast_slash?: boolean; fast_star?: boolean };
  /** Router 2.x: a `use('/')` layer that matches every path. */
  slash?: boolean;
}

/** The router's `next` of the router invocation handling the request (`req.next`). */
export type RouterNext = ((error?: unknown) => void) & Record<symbol, unknown>;

export type ExpressRequest = IncomingMessage &
  Record<symbol, unknown> & {
    app?: ExpressApp;
    next?: RouterNext;
    user?: unknown;
  };

export type ExpressResponse = ServerResponse;

export type ExpressNext = (error?: unknown) => void;

export interface ExpressRouter {
  stack: ExpressLayer[];
}

/** An Express app (4: lazily created `_router`; 5: `router` getter) or a Router. */
export type ExpressApp = {
  use: (...handlers: unknown[]) => unknown;
  _router?: ExpressRouter;
  router?: ExpressRouter;
  stack?: ExpressLayer[];
} & Record<symbol, unknown>;

/** The router stack of an app (or the stack of a Router passed in its place). */
export function routerStackOf(app: ExpressApp): ExpressLayer[] | undefined {
  if (Array.isArray(app.stack)) return app.stack;
  const router = app._router ?? app.router;
  return Array.isArray(router?.stack) ? router.stack : undefined;
}
