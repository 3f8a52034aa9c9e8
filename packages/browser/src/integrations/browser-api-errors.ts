/**
 * Wraps the callbacks of `setTimeout`, `setInterval`, `requestAnimationFrame` and
 * `addEventListener` (see wrap.ts). Each is patched once per page, whatever the number of clients.
 */
import type { Integration } from '@faultline/core';
import { wrap } from '../wrap';

export interface BrowserApiErrorsOptions {
  setTimeout?: boolean;
  setInterval?: boolean;
  requestAnimationFrame?: boolean;
  eventTarget?: boolean;
}

/** Callbacks of any signature (timers, DOM listeners); `any` parameters so DOM listener types fit. */
type AnyFunction = (...args: any[]) => unknown;

export function browserApiErrorsIntegration(options: BrowserApiErrorsOptions = {}): Integration {
  return {
    name: 'BrowserApiErrors',
    setupOnce() {
      const scope = globalThis as unknown as Record<string, AnyFunction>;
      for (const api of ['setTimeout', 'setInterval', 'requestAnimationFrame'] as const) {
        const original = scope[api];
        if (options[api] === false || typeof original !== 'function') continue;
        scope[api] = function (this: unknown, callback: unknown, ...rest: unknown[]) {
          return original.call(
            this,
            typeof callback === 'function' ? wrap(callback as AnyFunction, api) : callback,
            ...rest,
          );
        };
      }
      if (options.eventTarget !== false && typeof EventTarget === 'function') wrapEventTarget();
    },
  };
}

function wrapEventTarget(): void {
  const proto = EventTarget.prototype;
  const { addEventListener, removeEventListener } = proto;
  // The wrapper handed to the browser per listener, so removal finds it. One serves every event
  // type: the browser keys registrations by type and callback, so each type is removed on its own.
  const wrappers = new WeakMap<AnyFunction, AnyFunction>();
  proto.addEventListener = function (this: EventTarget, type, listener, options) {
    if (typeof listener === 'function') {
      if (!wrappers.has(listener)) wrappers.set(listener, wrap(listener, 'addEventListener'));
      listener = wrappers.get(listener) as EventListener;
    }
    return addEventListener.call(this, type, listener, options);
  };
  proto.removeEventListener = function (this: EventTarget, type, listener, options) {
    const wrapped = typeof listener === 'function' && wrappers.get(listener);
    // A listener added before the SDK started was never wrapped: remove it as given, too.
    if (wrapped) removeEventListener.call(this, type, wrapped as EventListener, options);
    return removeEventListener.call(this, type, listener, options);
  };
}
