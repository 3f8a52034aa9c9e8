/**
 * Opt-in `hook.fastify` and `request_handler.fastify` spans. Hooks added after the plugin (through
 * `addHook` on its instance or any child) and route-level hooks and handlers (through `onRoute`)
 * are wrapped; each wrapper keeps the hook's arity and async-ness, so Fastify validates and calls it
 * exactly as the original. Without a recording active span (tracing off, or a request not sampled)
 * the wrapper only calls through: a span under a non-recording parent would record nothing, and
 * would still cost a scope and an id per hook.
 */
import {
  getActiveSpan,
  recordsChildren,
  type Span,
  startSpan,
  startSpanManual,
  withActiveSpan,
} from '@faultline/node';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { FASTIFY_ORIGIN } from './options';

const TRACED_HOOKS = [
  'onRequest',
  'preParsing',
  'preValidation',
  'preHandler',
  'preSerialization',
  'onSend',
  'onError',
  'onTimeout',
] as const;

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;
type AddHook = (this: FastifyInstance, name: string, hook: unknown) => FastifyInstance;

export function traceLifecycle(instance: FastifyInstance): void {
  const originalAddHook = instance.addHook as unknown as AddHook;
  originalAddHook.call(instance, 'onRoute', (routeOptions: RouteOptions) => {
    const route = routeOptions as unknown as Record<string, unknown>;
    for (const name of TRACED_HOOKS) {
      const hooks = route[name];
      if (typeof hooks === 'function') route[name] = traceHook(name, hooks as AnyFunction);
      else if (Array.isArray(hooks)) route[name] = hooks.map((hook) => traceHook(name, hook));
    }
    routeOptions.handler = traceHandler(routeOptions.handler as unknown as AnyFunction) as never;
  });
  const addHook: AddHook = function addHook(name, hook) {
    const traced = (TRACED_HOOKS as readonly string[]).includes(name) && typeof hook === 'function';
    return originalAddHook.call(this, name, traced ? traceHook(name, hook as AnyFunction) : hook);
  };
  (instance as unknown as { addHook: AddHook }).addHook = addHook;
}

function traceHook(hookName: string, hook: AnyFunction): AnyFunction {
  const spanOptions = {
    name: `${hookName} - ${hook.name || 'anonymous'}`,
    op: 'hook.fastify',
    origin: FASTIFY_ORIGIN,
    attributes: { 'hook.name': hookName, 'fastify.type': 'hook' },
  };
  const run = function (this: unknown, args: unknown[]): unknown {
    const parent = getActiveSpan();
    if (!parent || !recordsChildren(parent)) return hook.apply(this, args);
    return startSpanManual(spanOptions, (span) => callHook(this, hook, span, parent, args));
  };
  const wrapped =
    hook.constructor.name === 'AsyncFunction'
      ? async function (this: unknown, ...args: unknown[]) {
          return run.call(this, args);
        }
      : function (this: unknown, ...args: unknown[]) {
          return run.call(this, args);
        };
  return keepSignature(wrapped, hook);
}

/**
 * Ends the span when the hook calls `done`, or when its promise settles. `done` runs the rest of the
 * lifecycle, so it runs under the parent again: later hooks and the handler are not the hook's children.
 */
function callHook(self: unknown, hook: AnyFunction, span: Span, parent: Span, args: unknown[]): unknown {
  const last = args.length - 1;
  const done = args[last];
  if (typeof done === 'function') {
    args[last] = function (this: unknown, ...doneArgs: unknown[]) {
      span.end();
      return withActiveSpan(parent, () => done.apply(this, doneArgs));
    };
  }
  try {
    const result = hook.apply(self, args);
    if (typeof (result as PromiseLike<unknown> | undefined)?.then === 'function') {
      (result as PromiseLike<unknown>).then(
        () => span.end(),
        () => span.end(),
      );
    }
    return result;
  } catch (error) {
    span.end();
    throw error;
  }
}

function traceHandler(handler: AnyFunction): AnyFunction {
  const spanOptions = {
    name: `handler - ${handler.name || 'anonymous'}`,
    op: 'request_handler.fastify',
    origin: FASTIFY_ORIGIN,
    attributes: { 'fastify.type': 'request-handler' },
  };
  const wrapped = function (this: unknown, ...args: unknown[]) {
    const parent = getActiveSpan();
    if (!parent || !recordsChildren(parent)) return handler.apply(this, args);
    return startSpan(spanOptions, () => handler.apply(this, args));
  };
  return keepSignature(wrapped, handler);
}

function keepSignature(wrapped: AnyFunction, original: AnyFunction): AnyFunction {
  Object.defineProperty(wrapped, 'length', { value: original.length });
  Object.defineProperty(wrapped, 'name', { value: original.name });
  return wrapped;
}
