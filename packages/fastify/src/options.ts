import type { FastifyReply, FastifyRequest } from 'fastify';

/** Options of the Fastify plugin (`app.register(faultlineFastify, options)`). */
export interface FastifyIntegrationOptions {
  /**
   * Which errors to report, given the status code of the response they led to (after the app's
   * error handler ran); default: status ≥ 500. Errors thrown after the response was sent are judged
   * by their own `statusCode`/`status` (500 when they have none).
   */
  shouldHandleError?: (
    error: unknown,
    statusCode: number,
    request: FastifyRequest,
    reply: FastifyReply,
  ) => boolean;
  /**
   * `hook.fastify` spans for hooks and a `request_handler.fastify` span for the route handler, on
   * hooks and routes added after the plugin is registered. Default: false (see the README for the
   * measured cost).
   */
  lifecycleSpans?: boolean;
  /** Adds a `Server-Timing` header with the trace (sentry-trace, baggage) for a browser page to join. */
  serverTiming?: boolean;
}

/** Mechanism of errors captured by the plugin. */
export const FASTIFY_MECHANISM = 'auto.http.fastify';
/** Origin of the spans the plugin creates. */
export const FASTIFY_ORIGIN = 'auto.http.fastify';
