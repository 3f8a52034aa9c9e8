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

type Listener = (event: Event) => unknown;

export function browserApiErrorsIntegration(options: BrowserApiErrorsOptions = {}): Integration {
  return {
    name: 'BrowserApiErrors',
    setupOnce() {
      const scope = globalThis as unknown as Record<string, unknown>;
      for (const api of ['setTimeout', 'setInterval', 'requestAnimationFrame'] as const) {
        if (options[api] !== false) wrapFirstArgument(scope, api);
      }
      if (options.eventTarget !== false && typeof EventTarget === 'function') wrapEventTarget();
    },
  };
}

function wrapFirstArgument(target: Record<string, unknown>, api: string): void {
  const original = target[api];
  if (typeof original !== 'function') return;
  target[api] = function (this: unknown, callback: unknown, ...rest: unknown[]) {
    const wrapped = typeof callback === 'function' ? wrap(callback as Listener, api) : callback;
    return original.call(this, wrapped, ...rest);
  };
}

function wrapEventTarget(): void {
  const proto = EventTarget.prototype;
  const { addEventListener, removeEventListener } = proto;
  // Per listener and event type, the wrapper handed to the browser, so removal finds it.
  const wrappers = new WeakMap<Listener, Map<string, Listener>>();
  proto.addEventListener = function (this: EventTarget, type, listener, options) {
    if (typeof listener !== 'function') return addEventListener.call(this, type, listener, options);
    const byType = wrappers.get(listener) ?? new Map<string, Listener>();
    wrappers.set(listener, byType);
    const wrapped = byType.get(type) ?? wrap(listener, 'addEventListener');
    byType.set(type, wrapped);
    return addEventListener.call(this, type, wrapped, options);
  };
  proto.removeEventListener = function (this: EventTarget, type, listener, options) {
    const wrapped = typeof listener === 'function' ? wrappers.get(listener)?.get(type) : undefined;
    // A listener added before the SDK started was never wrapped: remove it as given, too.
    if (wrapped) removeEventListener.call(this, type, wrapped, options);
    return removeEventListener.call(this, type, listener, options);
  };
}
