/** Resolving and installing integrations (PROTOCOL.md §8). */
import type { Client } from './client';
import { debug } from './debug-logger';
import type { Integration } from './types/integration';
import type { Options } from './types/options';

const installedOnce = new Set<string>();

/**
 * Defaults plus the user's, deduplicated by name with the user's winning. `integrations` may be a
 * function, the documented way to remove a default: `integrations: (defaults) => defaults.filter(...)`.
 */
export function resolveIntegrations(
  defaults: Integration[],
  options: Pick<Options, 'integrations' | 'defaultIntegrations'>,
): Integration[] {
  const base = options.defaultIntegrations === false ? [] : (options.defaultIntegrations ?? defaults);
  const user = options.integrations;
  const list = typeof user === 'function' ? user([...base]) : [...base, ...(user ?? [])];
  const byName = new Map<string, Integration>();
  for (const integration of Array.isArray(list) ? list : []) {
    if (integration && typeof integration.name === 'string') {
      byName.delete(integration.name);
      byName.set(integration.name, integration);
    }
  }
  return [...byName.values()];
}

/** Runs setupOnce (once per process) and setup (per client), catching integration failures. */
export function setupIntegration(client: Client, integration: Integration): void {
  try {
    if (integration.setupOnce && !installedOnce.has(integration.name)) {
      installedOnce.add(integration.name);
      integration.setupOnce();
    }
    integration.setup?.(client);
  } catch (error) {
    debug.errorOnce(`Integration ${integration.name} failed to set up: ${String(error)}`);
  }
}
