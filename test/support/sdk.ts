/** Starting and resetting the SDK between tests, exactly as a user would call it. */

import type { Breadcrumb, Event, Options } from '@faultline/core';
import {
  type Client,
  close,
  getCurrentScope,
  getGlobalScope,
  getIsolationScope,
  init,
} from '@faultline/core';

/** Inits core with its default (global fetch) transport against a test ingest, on clean scopes. */
export function initForTest(options: Options): Client {
  resetScopes();
  return init({ sendClientReports: true, ...options });
}

export async function shutdown(): Promise<void> {
  await close(2000);
  resetScopes();
  getCurrentScope().setClient(undefined);
}

function resetScopes(): void {
  getGlobalScope().clear();
  getIsolationScope().clear();
  getCurrentScope().clear();
}

/** Breadcrumbs of an event as the ingest received it (`{ values: [...] }` on the wire). */
export function breadcrumbsOf(event: Event): Breadcrumb[] {
  return (event.breadcrumbs as unknown as { values?: Breadcrumb[] } | undefined)?.values ?? [];
}
