/**
 * The Fastify plugin: names each request's transaction and errors after its route, reports route
 * and hook errors once with the status code they led to, and (opt-in) adds lifecycle spans and a
 * Server-Timing trace header. Wrapped with `fastify-plugin` so its hooks apply to the whole app,
 * not only to an encapsulated child.
 */
import {
  debug,
  getClient,
  getServerSpan,
  nameRequestAfterRoute,
  setServerTimingTraceHeader,
  withActiveSpan,
} from '@faultline/node';
import type { FastifyInstance, FastifyPluginCallback, FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import { PLUGIN_OPTIONS, subscribeToHandlerErrors } from './handler-error-channel';
import { traceLifecycle } from './lifecycle-spans';
import type { FastifyIntegrationOptions } from './options';
import { applyRequestUser, noteRequestError, PENDING_ERRORS } from './request-errors';
import { makeRouteReader } from './route-name';

const plugin: FastifyPluginCallback<FastifyIntegrationOptions> = (fastify, pluginOptions, done) => {
  const options: FastifyIntegrationOptions = { ...pluginOptions };
  (fastify as unknown as Record<symbol, unknown>)[PLUGIN_OPTIONS] = options;
  subscribeToHandlerErrors();
  if (!fastify.hasRequestDecorator(PENDING_ERRORS as unknown as string)) {
    fastify.decorateRequest(PENDING_ERRORS as unknown as string, null);
  }
  // Each hook makes Fastify run its hook machinery on every request: only `onRequest` runs for all
  // of them by default; the others are added when an option asks for what they do.
  const routeOf = makeRouteReader();
  fastify.addHook('onRequest', (request, reply, next) => {
    try {
      const route = routeOf(request);
      if (route) nameRequestAfterRoute(reply.raw, request.method, route);
      if (options.serverTiming) setServerTimingOnRoot(reply);
    } catch (error) {
      warnHookFailed(error);
    }
    next();
  });
  if (mayNeedRequestUser()) {
    fastify.addHook('preHandler', (request, _reply, next) => {
      try {
        applyRequestUser(request);
      } catch (error) {
        warnHookFailed(error);
      }
      next();
    });
  }
  fastify.addHook('onError', (request, reply, error, next) => {
    try {
      noteRequestError(request, reply, error, options);
    } catch (failure) {
      warnHookFailed(failure);
    }
    next();
  });
  if (options.serverTiming) {
    fastify.addHook('onSend', (_request, reply, payload, next) => {
      try {
        keepAppServerTiming(reply);
      } catch (error) {
        warnHookFailed(error);
      }
      next(null, payload);
    });
  }
  if (options.lifecycleSpans) traceLifecycle(fastify);
  done();
};

/**
 * `request.user` becomes the user of events captured in route handlers only with `sendDefaultPii`;
 * without a client yet (`init` after registering) the hook is kept and checks per request. Errors
 * the plugin reports apply the user themselves.
 */
function mayNeedRequestUser(): boolean {
  const client = getClient();
  return !client || client.getOptions().sendDefaultPii === true;
}

/** A failure of the SDK must never turn into an error response. */
function warnHookFailed(error: unknown): void {
  debug.warnOnce('@faultline/fastify: a request hook failed; the request goes on without it.', error);
}

/** The header carries the root span (not a hook span) so the browser's page load becomes its child. */
function setServerTimingOnRoot(reply: FastifyReply): void {
  const root = getServerSpan(reply.raw);
  if (root) withActiveSpan(root, () => setServerTimingTraceHeader(reply.raw));
  else setServerTimingTraceHeader(reply.raw);
}

/** Fastify writes its own headers over the raw response's: merge an app-set Server-Timing with ours. */
function keepAppServerTiming(reply: FastifyReply): void {
  const ours = reply.raw.getHeader('server-timing');
  const apps = reply.getHeader('server-timing');
  if (ours !== undefined && apps !== undefined && !String(apps).includes('sentry-trace;')) {
    reply.header('server-timing', `${String(apps)}, ${String(ours)}`);
  }
}

/**
 * Register it once, before the routes, right after creating the app:
 * `await app.register(faultlineFastify, { shouldHandleError, lifecycleSpans, serverTiming })`.
 */
export const faultlineFastify = fp(plugin, { fastify: '4.x || 5.x', name: '@faultline/fastify' });

/** The same as registering `faultlineFastify`, named like Sentry's setup function. */
export function setupFastifyErrorHandler(
  app: FastifyInstance,
  options: FastifyIntegrationOptions = {},
): void {
  void app.register(faultlineFastify, options);
}
