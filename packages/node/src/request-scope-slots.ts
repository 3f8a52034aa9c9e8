/**
 * V8 (Node 20: ~2 µs, against ~0.1 µs for a store) takes a slow path to add a property to an object
 * built by object spread, and `Scope.clone` spreads its parent's data. `transactionName` is the field
 * every request writes to its fork of the isolation scope; when the root isolation scope already
 * holds it (unset), every fork inherits the slot and the per-request write is a plain store.
 */
import { getIsolationScope } from '@faultline/core';

export function reserveRequestScopeSlots(): void {
  const root = getIsolationScope();
  if (!('transactionName' in root.getScopeData())) root.setTransactionName(undefined);
}
