/**
 * The hub binds the client to the scopes of the current execution context. Every top-level API
 * call goes through these functions, which ask the registered async context strategy.
 */
import { getAsyncContextStrategy, getCarrier } from './carrier';
import type { Client } from './client';
import type { Scope } from './scope';

export function getGlobalScope(): Scope {
  return getCarrier().globalScope;
}

export function getIsolationScope(): Scope {
  return getAsyncContextStrategy().getIsolationScope();
}

export function getCurrentScope(): Scope {
  return getAsyncContextStrategy().getCurrentScope();
}

/** Runs callback with a fork of the current scope (or with `scope` as the current scope). */
export function withScope<T>(callback: (scope: Scope) => T): T;
export function withScope<T>(scope: Scope | undefined, callback: (scope: Scope) => T): T;
export function withScope<T>(...args: [(scope: Scope) => T] | [Scope | undefined, (scope: Scope) => T]): T {
  const strategy = getAsyncContextStrategy();
  if (args.length === 2) {
    const [scope, callback] = args;
    return scope ? strategy.withSetScope(scope, callback) : strategy.withScope(callback);
  }
  return strategy.withScope(args[0]);
}

/** Runs callback with a fork of the isolation scope: what a request or a background job should do. */
export function withIsolationScope<T>(callback: (isolationScope: Scope) => T): T;
export function withIsolationScope<T>(
  isolationScope: Scope | undefined,
  callback: (isolationScope: Scope) => T,
): T;
export function withIsolationScope<T>(
  ...args: [(scope: Scope) => T] | [Scope | undefined, (scope: Scope) => T]
): T {
  const strategy = getAsyncContextStrategy();
  if (args.length === 2) {
    const [scope, callback] = args;
    return scope ? strategy.withSetIsolationScope(scope, callback) : strategy.withIsolationScope(callback);
  }
  return strategy.withIsolationScope(args[0]);
}

/** The client bound to the nearest scope: current, then isolation, then global. */
export function getClient<C extends Client>(): C | undefined {
  return (getCurrentScope().getClient<C>() ??
    getIsolationScope().getClient<C>() ??
    getGlobalScope().getClient<C>()) as C | undefined;
}
