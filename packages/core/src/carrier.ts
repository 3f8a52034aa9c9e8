/**
 * Process-wide SDK state on `globalThis`, so that every copy of core loaded in one process (the ESM
 * and CJS builds, or two versions side by side in node_modules) shares one global scope, one client
 * binding and one async context strategy — the same trick `@opentelemetry/api` uses.
 */
import { type AsyncContextStrategy, createStackStrategy } from './async-context';
import { Scope } from './scope';

const CARRIER_KEY = Symbol.for('faultline.sdk.carrier.v0');

interface Carrier {
  globalScope: Scope;
  /** The root current and isolation scopes; runtime strategies start from these. */
  defaultScopes: { scope: Scope; isolationScope: Scope };
  defaultStrategy: AsyncContextStrategy;
  strategy?: AsyncContextStrategy;
}

export function getCarrier(): Carrier {
  const holder = globalThis as unknown as Record<symbol, Carrier | undefined>;
  let carrier = holder[CARRIER_KEY];
  if (!carrier) {
    const defaultScopes = { scope: new Scope(), isolationScope: new Scope() };
    carrier = {
      globalScope: new Scope(),
      defaultScopes,
      defaultStrategy: createStackStrategy(defaultScopes),
    };
    holder[CARRIER_KEY] = carrier;
  }
  return carrier;
}

export function setAsyncContextStrategy(strategy: AsyncContextStrategy | undefined): void {
  getCarrier().strategy = strategy;
}

export function getAsyncContextStrategy(): AsyncContextStrategy {
  const carrier = getCarrier();
  return carrier.strategy ?? carrier.defaultStrategy;
}
