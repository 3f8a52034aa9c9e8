/** `event.modules`: the app's declared dependencies with the versions actually installed. */
import { dirname, join } from 'node:path';
import type { Event, Integration } from '@faultline/core';
import { fsPromises } from '../lazy-builtins';

export interface ModulesOptions {
  /** Folder of the app's package.json; default the working directory. */
  appRoot?: string;
}

const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies'] as const;
/** Keeps the one-time lookup cheap for apps that declare an unusual number of packages. */
const MAX_MODULES = 500;
/** How many parent folders may hold a hoisted `node_modules` (workspaces, monorepos). */
const MAX_PARENT_LEVELS = 8;

async function readJson(path: string): Promise<Record<string, unknown> | undefined> {
  try {
    const value: unknown = JSON.parse(await fsPromises().readFile(path, 'utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function declaredDependencies(manifest: Record<string, unknown>): string[] {
  const names = new Set<string>();
  for (const field of DEPENDENCY_FIELDS) {
    const dependencies = manifest[field];
    if (typeof dependencies === 'object' && dependencies !== null) {
      for (const name of Object.keys(dependencies)) names.add(name);
    }
  }
  return [...names].slice(0, MAX_MODULES);
}

/** Node's lookup order: `node_modules` of the app folder, then of each parent. */
async function installedVersion(appRoot: string, name: string): Promise<string | undefined> {
  let folder = appRoot;
  for (let level = 0; level <= MAX_PARENT_LEVELS; level++) {
    const manifest = await readJson(join(folder, 'node_modules', name, 'package.json'));
    if (typeof manifest?.version === 'string') return manifest.version;
    const parent = dirname(folder);
    if (parent === folder) break;
    folder = parent;
  }
  return undefined;
}

async function collectModules(root: string | undefined): Promise<Array<[string, string]>> {
  const appRoot = root ?? process.cwd();
  const manifest = await readJson(join(appRoot, 'package.json'));
  if (!manifest) return [];
  const names = declaredDependencies(manifest);
  const versions = await Promise.all(names.map((name) => installedVersion(appRoot, name)));
  const installed: Array<[string, string]> = [];
  names.forEach((name, index) => {
    const version = versions[index];
    if (version) installed.push([name, version]);
  });
  return installed;
}

/**
 * Adds the app's dependencies (from its package.json) with their installed versions to error events.
 * Read once, asynchronously, on the first event; packages that are not installed are left out.
 * Transactions do not carry the list, to keep them small.
 */
export function modulesIntegration(options: ModulesOptions = {}): Integration {
  let modules: Promise<Record<string, string> | null> | undefined;
  /** Undefined until read; null when the app has none. */
  let installed: Record<string, string> | null | undefined;
  return {
    name: 'Modules',
    // Not async: once the list is read, events (and every transaction) pass without a promise.
    processEvent(event) {
      if (event.type === 'transaction') return event;
      if (installed !== undefined) return withModules(event, installed);
      modules ??= collectModules(options.appRoot).then(listOfModules, () => null);
      return modules.then((collected) => {
        installed = collected;
        return withModules(event, collected);
      });
    },
  };
}

/**
 * The list every event copies. Built from entries, which keeps it a fast-properties object: built
 * key by key, an object of more than ~20 keys is a dictionary in V8, which costs every event a slow
 * copy, and on Node 22 and 24 a JSON.stringify of the whole event on its slow path.
 */
function listOfModules(installed: Array<[string, string]>): Record<string, string> | null {
  return installed.length ? Object.fromEntries(installed) : null;
}

/** A copy per event, so processors that edit it cannot change the list: of a fast object, ~0.1 µs. */
function withModules(event: Event, installed: Record<string, string> | null): Event {
  if (!installed) return event;
  const modules = { ...installed };
  event.modules = event.modules ? Object.assign(modules, event.modules) : modules;
  return event;
}
