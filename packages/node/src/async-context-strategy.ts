/**
 * Scopes that follow async execution: one AsyncLocalStorage for the whole SDK, holding one small
 * `{ scope, isolationScope }` layer per `withScope`/`withIsolationScope` call. Outside any layer the
 * carrier's default scopes apply, so a client bound before the strategy was installed is still found.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { EventEmitter } from 'node:events';
import { type AsyncContextStrategy, getCarrier, type Scope, setAsyncContextStrategy } from '@faultline/core';

interface ScopeLayer {
  scope: Scope;
  isolationScope: Scope;
}

/** Marks the strategy so that a second copy of this package (ESM and CJS builds) reuses it. */
const STRATEGY_MARKER = Symbol.for('faultline.node.asyncLocalStorageStrategy');

/** The strategy's own emitter binding, found on whichever copy of this package installed it. */
const EMITTER_BINDING = Symbol.for('faultline.node.emitterBinding');

interface EmitterBinding {
  currentLayer(): ScopeLayer | undefined;
  emitInCurrentLayerWhenIn(emitter: EventEmitter, arrival: ScopeLayer | undefined): void;
}

type MarkedStrategy = AsyncContextStrategy & { [STRATEGY_MARKER]?: true; [EMITTER_BINDING]?: EmitterBinding };

let strategy: MarkedStrategy | undefined;

/** What `emitInLayer` needs of one emitter, kept on the emitter under the strategy's own key. */
interface EmitBinding {
  emit: EventEmitter['emit'];
  arrival: ScopeLayer | undefined;
  layer: ScopeLayer;
}

type BoundEmitter = EventEmitter & { [key: symbol]: EmitBinding | undefined };

function createAsyncLocalStorageStrategy(): MarkedStrategy {
  const storage = new AsyncLocalStorage<ScopeLayer>();
  const root: ScopeLayer = getCarrier().defaultScopes;
  const current = (): ScopeLayer => storage.getStore() ?? root;
  const bindingKey = Symbol('faultline.emitBinding');

  // One function for every emitter, its state on the emitter. With a closure of its own stored as
  // each request's `emit`, Node 22 and 24 kept every request's objects through two scavenges and
  // copied them into the old generation (~1–1.4 KB a request, none without the SDK), which only a
  // full GC frees. Which V8 reference kept them was not found; a shared function leaves none.
  function emitInLayer(this: BoundEmitter, event: string | symbol): boolean {
    // biome-ignore lint/complexity/noArguments: forwards any event's arguments without copying them
    const args = arguments;
    const binding = this[bindingKey] as EmitBinding;
    // Most of a request's events (`readable`, `end`, `close` of a GET) have no listener to move.
    if (storage.getStore() !== binding.arrival || this.listenerCount(event) === 0) {
      return Reflect.apply(binding.emit, this, args);
    }
    return storage.run(binding.layer, () => Reflect.apply(binding.emit, this, args));
  }

  return {
    [STRATEGY_MARKER]: true,
    [EMITTER_BINDING]: {
      currentLayer: () => storage.getStore(),
      emitInCurrentLayerWhenIn(emitter, arrival) {
        const layer = storage.getStore();
        const target = emitter as BoundEmitter;
        if (!layer || layer === arrival) return;
        const bound = target[bindingKey];
        // A request handed on to another server's handling (`server.emit('request', …)` in a
        // handler): its events move on into the inner request's scopes.
        if (bound !== undefined) {
          if (bound.layer === arrival) bound.layer = layer;
          return;
        }
        target[bindingKey] = { emit: emitter.emit, arrival, layer };
        emitter.emit = emitInLayer as EventEmitter['emit'];
      },
    },
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

/** The current scope layer, an opaque token for `emitInCurrentScopesWhenIn`. */
export function currentScopeLayer(): unknown {
  return binding()?.currentLayer();
}

/**
 * Node emits an incoming request's stream events (`data`, `end`, `close`) from socket reads, which
 * run in the async context of the connection the request arrived on, not in the request's. From then
 * on, what `emitter` emits from that context (`arrival`, a `currentScopeLayer()` taken before the
 * request's scopes were entered) runs in the scopes current now; emits from anywhere else (a nested
 * `withScope` in a handler) keep theirs. OpenTelemetry binds incoming requests to their context the
 * same way (`context.bind`).
 */
export function emitInCurrentScopesWhenIn(emitter: EventEmitter, arrival: unknown): void {
  binding()?.emitInCurrentLayerWhenIn(emitter, arrival as ScopeLayer | undefined);
}

function binding(): EmitterBinding | undefined {
  return (getCarrier().strategy as MarkedStrategy | undefined)?.[EMITTER_BINDING];
}
