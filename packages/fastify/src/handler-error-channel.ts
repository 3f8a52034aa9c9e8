/**
 * Fastify 5 publishes route handler (and preHandler) errors on the tracing channel
 * `fastify.request.handler`: `{ request, reply, error, async, route }`, in the async context of the
 * throw. It is the only signal for an error thrown after the reply was sent (Fastify then runs no
 * `onError` hook). The subscription is process-wide; requests of apps without the plugin are ignored.
 * Fastify 4 never publishes on it, so there the `onError` hook alone sees errors.
 */
import { subscribe } from 'node:diagnostics_channel';
import { debug } from '@faultline/node';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyIntegrationOptions } from './options';
import { noteRequestError } from './request-errors';

const HANDLER_ERROR_CHANNEL = 'tracing:fastify.request.handler:error';

/** Set on the instance the plugin was registered on; encapsulated child instances inherit it. */
export const PLUGIN_OPTIONS = Symbol.for('faultline.fastify.options');

type InstrumentedInstance = FastifyInstance & { [PLUGIN_OPTIONS]?: FastifyIntegrationOptions };

interface HandlerErrorMessage {
  request?: FastifyRequest;
  reply?: FastifyReply;
  error?: unknown;
}

let subscribed = false;

export function subscribeToHandlerErrors(): void {
  if (subscribed) return;
  subscribed = true;
  subscribe(HANDLER_ERROR_CHANNEL, (message) => {
    const { request, reply, error } = message as HandlerErrorMessage;
    const options = request && (request.server as InstrumentedInstance | undefined)?.[PLUGIN_OPTIONS];
    if (!options || !reply) return;
    try {
      noteRequestError(request, reply, error, options);
    } catch (failure) {
      // A failure here must not change how Fastify handles the error.
      debug.warnOnce('@faultline/fastify: could not note a handler error.', failure);
    }
  });
}
