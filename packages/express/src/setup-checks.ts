/**
 * Warnings for setups that lose errors, printed once whatever `debug` says: the error handler was
 * never set up although errors reach Express's own error handling, or it sits before routes or
 * middleware registered after it (Express only passes errors forward).
 */
import { debug, statusCodeOfError } from '@faultline/node';
import type { ExpressApp, ExpressLayer, ExpressNext } from './express-internals';
import { routerStackOf } from './express-internals';
import { HANDLER_OPTIONS } from './options';

let errorHandlerSetUp = false;
let warnedNotSetUp = false;

export function markErrorHandlerSetUp(): void {
  errorHandlerSetUp = true;
}

export function isOurErrorHandler(layer: ExpressLayer): boolean {
  return typeof layer.handle === 'function' && HANDLER_OPTIONS in layer.handle;
}

/** While no app has the error handler, watches `next(error)` calls for an error we would report. */
export function watchForUnreportedErrors(next: ExpressNext): ExpressNext {
  if (errorHandlerSetUp || warnedNotSetUp) return next;
  return function nextWatchingErrors(error?: unknown) {
    if (!errorHandlerSetUp && !warnedNotSetUp && isServerError(error)) {
      warnedNotSetUp = true;
      debug.warnOnce(
        'Faultline: an Express route passed an error to next() but setupExpressErrorHandler(app) was never called, so it was not reported. Call Faultline.setupExpressErrorHandler(app) after your routes and before your own error handlers.',
      );
    }
    next(error);
  };
}

function isServerError(error: unknown): boolean {
  return error !== undefined && error !== null && error !== 'route' && error !== 'router'
    ? statusCodeOfError(error) >= 500
    : false;
}

/** Checked on the app's first request, when every route is registered. */
export function checkErrorHandlerPosition(app: ExpressApp): void {
  const stack = routerStackOf(app);
  if (!stack) return;
  const position = stack.findIndex(isOurErrorHandler);
  if (position === -1) return;
  const after = stack.slice(position + 1).filter((layer) => layer.handle.length < 4);
  if (after.length === 0) return;
  const names = after.map((layer) => (layer.route ? formatLayerRoute(layer) : layer.name || '<anonymous>'));
  debug.warnOnce(
    `Faultline: setupExpressErrorHandler(app) was called before ${after.length} route(s) or middleware (${names.slice(0, 5).join(', ')}) were registered; errors raised there are NOT reported. Call it after all routes and before your own error handlers.`,
  );
}

function formatLayerRoute(layer: ExpressLayer): string {
  const path = layer.route?.path;
  return Array.isArray(path) ? path.map(String).join(',') : String(path);
}
