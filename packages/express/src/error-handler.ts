/**
 * The error-handling middleware: reports errors passed to `next(err)`, thrown in handlers, or (on
 * Express 5) rejected by async handlers, with mechanism `auto.middleware.express` and
 * `handled: false`, then passes them on unchanged to the app's own error handlers.
 */
import { captureRequestError, debug, statusCodeOfError } from '@faultline/node';
import type { ExpressApp, ExpressNext, ExpressRequest, ExpressResponse } from './express-internals';
import { instrumentAppLayers } from './layer-instrumentation';
import { type ExpressHandlerOptions, HANDLER_OPTIONS } from './options';
import { setUserFromRequest } from './request-user';
import { markErrorHandlerSetUp } from './setup-checks';

export const EXPRESS_MECHANISM = 'auto.middleware.express';

type ExpressErrorMiddleware = (
  error: unknown,
  req: ExpressRequest,
  res: ExpressResponse,
  next: ExpressNext,
) => void;

/** The middleware itself, for `app.use(expressErrorHandler())`; prefer `setupExpressErrorHandler`. */
export function expressErrorHandler(options: ExpressHandlerOptions = {}): ExpressErrorMiddleware {
  markErrorHandlerSetUp();
  const handler: ExpressErrorMiddleware = function faultlineErrorHandler(error, req, _res, next) {
    try {
      setUserFromRequest(req);
      captureRequestError(error, EXPRESS_MECHANISM, statusCodeOfError(error), options);
    } catch (sdkError) {
      debug.errorOnce('Faultline: failed to report an Express error', sdkError);
    }
    next(error);
  };
  Object.defineProperty(handler, HANDLER_OPTIONS, { value: options });
  return handler;
}

/**
 * Call after all routes and middleware, before the app's own error handlers:
 * `setupExpressErrorHandler(app)`. Adds the error middleware and instruments the Express copy the
 * app was built with, so every request is named after its route.
 */
export function setupExpressErrorHandler(app: unknown, options: ExpressHandlerOptions = {}): void {
  const expressApp = app as ExpressApp;
  expressApp.use(expressErrorHandler(options));
  try {
    if (!instrumentAppLayers(expressApp)) {
      debug.warnOnce('Faultline: setupExpressErrorHandler(app) did not recognise an Express app or router.');
    }
  } catch (sdkError) {
    debug.errorOnce('Faultline: failed to instrument Express', sdkError);
  }
}
