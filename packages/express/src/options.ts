/** What `setupExpressErrorHandler(app, options)` and `expressErrorHandler(options)` accept. */
import type { RequestErrorOptions } from '@faultline/node';

export interface ExpressHandlerOptions extends RequestErrorOptions {
  /**
   * Which errors to report, given the status they lead to (the error's `status`/`statusCode`, else
   * 500). Default: status ≥ 500, so `next(createError(404))` is not reported.
   */
  shouldHandleError?: (error: unknown, statusCode: number) => boolean;
  /**
   * Add a `Server-Timing` header with `sentry-trace` and `baggage` to every response of the app, so
   * a browser page can continue the backend's trace. Default: false (responses carry no trace data).
   */
  serverTiming?: boolean;
  /**
   * Record a span per middleware (`middleware.express`), router (`router.express`) and request
   * handler (`request_handler.express`) when the request is traced. Default: false; see the README
   * for the measured cost.
   */
  middlewareSpans?: boolean;
}

/** Where the error handler keeps its options, read once per app by the layer instrumentation. */
export const HANDLER_OPTIONS = Symbol.for('faultline.express.handlerOptions');
