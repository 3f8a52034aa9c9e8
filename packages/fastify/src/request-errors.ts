/**
 * Errors raised while Fastify handles a request, reported once with the status code of the response
 * they led to. Fastify runs `onError` hooks (and publishes its handler error channel) before the
 * app's error handler picks the status, so an error is only noted then and judged when the response
 * has gone out (`finish`, or `close` for one cut short); an error thrown after the reply was sent is
 * judged by its own status code. Noting the same error from two sources (the diagnostics channel and
 * `onError`) keeps one entry, so it is captured once, strings included.
 *
 * The response listeners are added by the first error of a request, not by an `onSend` or
 * `onResponse` hook: each hook makes Fastify run its hook machinery on every request, errors or not.
 */
import { AsyncResource } from 'node:async_hooks';
import {
  captureRequestError,
  debug,
  extractUserFromRequest,
  getClient,
  setUser,
  statusCodeOfError,
} from '@faultline/node';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { FASTIFY_MECHANISM, type FastifyIntegrationOptions } from './options';

/** The request decorator holding errors seen but not yet judged. */
export const PENDING_ERRORS = Symbol('faultline.fastify.pendingErrors');

type RequestWithErrors = FastifyRequest & { [PENDING_ERRORS]?: unknown[] | null; user?: unknown };

export function noteRequestError(
  request: FastifyRequest,
  reply: FastifyReply,
  error: unknown,
  options: FastifyIntegrationOptions,
): void {
  if (reply.sent) {
    captureError(request, reply, error, statusCodeOfError(error), options);
    return;
  }
  const target = request as RequestWithErrors;
  const pending = target[PENDING_ERRORS];
  if (pending) {
    if (!pending.includes(error)) pending.push(error);
    return;
  }
  target[PENDING_ERRORS] = [error];
  // Run in the request's async context: the events must carry its scopes, whatever context the
  // response stream emits in. `AsyncResource.bind` would cost ~35 µs (Node 20 builds two deprecation
  // wrappers per call); a resource and `runInAsyncScope` cost well under 1 µs.
  const context = new AsyncResource('faultline.fastify.requestErrors');
  const report = () => context.runInAsyncScope(reportPendingErrors, undefined, request, reply, options);
  reply.raw.once('finish', report);
  reply.raw.once('close', report);
}

function reportPendingErrors(
  request: FastifyRequest,
  reply: FastifyReply,
  options: FastifyIntegrationOptions,
): void {
  const target = request as RequestWithErrors;
  const pending = target[PENDING_ERRORS];
  if (!pending?.length) return;
  target[PENDING_ERRORS] = null;
  try {
    for (const error of pending) captureError(request, reply, error, reply.statusCode, options);
  } catch (failure) {
    debug.warnOnce('@faultline/fastify: could not report a request error.', failure);
  }
}

/** `request.user` (set by auth plugins) as the event user, only with `sendDefaultPii`. */
export function applyRequestUser(request: FastifyRequest): void {
  const sendDefaultPii = getClient()?.getOptions().sendDefaultPii;
  if (!sendDefaultPii) return;
  const user = extractUserFromRequest((request as RequestWithErrors).user, { sendDefaultPii });
  if (user) setUser(user);
}

function captureError(
  request: FastifyRequest,
  reply: FastifyReply,
  error: unknown,
  statusCode: number,
  options: FastifyIntegrationOptions,
): void {
  applyRequestUser(request);
  const { shouldHandleError } = options;
  captureRequestError(error, FASTIFY_MECHANISM, statusCode, {
    shouldHandleError: shouldHandleError && ((e, status) => shouldHandleError(e, status, request, reply)),
  });
}
