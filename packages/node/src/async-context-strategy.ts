/**
 * Scopes that follow async execution: one AsyncLocalStorage for the whole SDK, holding one small
 * `{ scope, isolationScope }` layer per `withScope`/`withIsolationScope` call. Outside any layer the
 * carrier's default scopes apply, so a client bound before the strategy was installed is still found.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { type AsyncContextStrategy, getCarrier, type Scope, setAsyncContextStrategy } from '@faultline/core';

interface ScopeLayer {
  scope: Scope;
  isolationScope: Scope;
}

/** Marks the strategy so that a second copy of this package (ESM and CJS builds) reuses it. */
const STRATEGY_MARKER = Symbol.for('faultline.node.asyncLocalStorageStrategy');

type MarkedStrategy = AsyncContextStrategy & { [STRATEGY_MARKER]?: true };

let strategy: MarkedStrategy | undefined;

function createAsyncLocalStorageStrategy(): MarkedStrategy {
  const storage = new AsyncLocalStorage<ScopeLayer>();
  const root: ScopeLayer = getCarrier().defaultScopes;
  const current = (): ScopeLayer => storage.getStore() ?? root;

  return {
    [STRATEGY_MARKER]: true,
    getCurrentScope: () => current().scope,
    getIsolationScope: () => current().isolationScope,
    withScope(callback) {
      const { scope, isolationScope } = current();
      const fork = scope.clone();
      return storage.run({ scope: fork, isolationScope }, () => callback(fork));
    },
    withSetScope(scope, callback) {
      return storage.run({ scope, isolationScope: current().isolationScope }, () => callback(scope));
    },
    withIsolationScope(callback) {
      const { scope, isolationScope } = current();
      const isolationFork = isolationScope.clone();
      return storage.run({ scope: scope.clone(), isolationScope: isolationFork }, () =>
        callback(isolationFork),
      );
    },
    withSetIsolationScope(isolationScope, callback) {
      return storage.run({ scope: current().scope.clone(), isolationScope }, () => callback(isolationScope));
    },
  };
}

/** Installs the AsyncLocalStorage strategy unless one (from any copy of this package) already is. */
export function installAsyncContextStrategy(): void {
  const installed = getCarrier().strategy as MarkedStrategy | undefined;
  if (installed?.[STRATEGY_MARKER]) return;
  strategy ??= createAsyncLocalStorageStrategy();
  setAsyncContextStrategy(strategy);
}
