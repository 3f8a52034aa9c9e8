/**
 * How scopes follow the flow of execution. Core ships a plain stack, right for browsers where code
 * runs one task at a time; @faultline/node plugs in AsyncLocalStorage so concurrent requests never
 * see each other's scopes.
 */
import { isThenable } from './is-thenable';
import type { Scope } from './scope';

export interface AsyncContextStrategy {
  getCurrentScope(): Scope;
  getIsolationScope(): Scope;
  /** Runs callback with a fork of the current scope. */
  withScope<T>(callback: (scope: Scope) => T): T;
  /** Runs callback with the given scope as the current scope. */
  withSetScope<T>(scope: Scope, callback: (scope: Scope) => T): T;
  /** Runs callback with forks of the isolation scope and of the current scope. */
  withIsolationScope<T>(callback: (isolationScope: Scope) => T): T;
  /** Runs callback with the given isolation scope and a fork of the current scope. */
  withSetIsolationScope<T>(isolationScope: Scope, callback: (isolationScope: Scope) => T): T;
}

interface ScopeLayer {
  scope: Scope;
  isolationScope: Scope;
}

/** The default strategy: a stack of layers, popped when the callback (or its promise) finishes. */
export function createStackStrategy(root: ScopeLayer): AsyncContextStrategy {
  const stack: ScopeLayer[] = [root];
  const top = (): ScopeLayer => stack[stack.length - 1]!;

  function run<T>(layer: ScopeLayer, callback: () => T): T {
    stack.push(layer);
    const pop = () => {
      const index = stack.lastIndexOf(layer);
      if (index > 0) stack.splice(index, 1);
    };
    let result: T;
    try {
      result = callback();
    } catch (error) {
      pop();
      throw error;
    }
    if (isThenable(result)) {
      result.then(pop, pop);
    } else {
      pop();
    }
    return result;
  }

  const withSetScope = <T>(scope: Scope, callback: (scope: Scope) => T): T =>
    run({ scope, isolationScope: top().isolationScope }, () => callback(scope));
  const withSetIsolationScope = <T>(isolationScope: Scope, callback: (isolationScope: Scope) => T): T =>
    run({ scope: top().scope.clone(), isolationScope }, () => callback(isolationScope));

  return {
    getCurrentScope: () => top().scope,
    getIsolationScope: () => top().isolationScope,
    withScope: (callback) => withSetScope(top().scope.clone(), callback),
    withSetScope,
    withIsolationScope: (callback) => withSetIsolationScope(top().isolationScope.clone(), callback),
    withSetIsolationScope,
  };
}
