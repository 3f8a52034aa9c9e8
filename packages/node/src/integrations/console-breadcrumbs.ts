/**
 * Console breadcrumbs. Node has no diagnostics channel for the console, so its methods are wrapped once
 * per process; each client that installs the integration records through that single wrapper.
 */
import {
  addBreadcrumb,
  type Client,
  getClient,
  type Integration,
  type SeverityLevel,
  truncate,
} from '@faultline/core';
import { util } from '../lazy-builtins';

const BREADCRUMB_LEVELS = {
  debug: 'debug',
  info: 'info',
  log: 'info',
  warn: 'warning',
  error: 'error',
  trace: 'debug',
} as const satisfies Record<string, SeverityLevel>;

type ConsoleMethod = keyof typeof BREADCRUMB_LEVELS;
type ConsoleFunction = (...args: unknown[]) => void;

/** Lines printed by core's debug logger start with this; they describe the SDK, not the app. */
const SDK_LOG_PREFIX = 'Faultline Logger [';
/** Relay's limit for messages; a huge `util.format` result would only be cut server-side. */
const MAX_MESSAGE_LENGTH = 8192;

const recordingClients = new WeakSet<Client>();
let consoleWrapped = false;
/** Set while a breadcrumb is being recorded, so console calls made meanwhile (hooks, SDK logs) are not. */
let recording = false;

function isSdkLog(args: unknown[]): boolean {
  return typeof args[0] === 'string' && args[0].startsWith(SDK_LOG_PREFIX);
}

function recordConsoleCall(method: ConsoleMethod, args: unknown[]): void {
  if (recording || isSdkLog(args)) return;
  const client = getClient();
  if (!client || !recordingClients.has(client)) return;
  recording = true;
  try {
    addBreadcrumb(
      {
        category: 'console',
        level: BREADCRUMB_LEVELS[method],
        message: truncate(util().format(...args), MAX_MESSAGE_LENGTH),
      },
      { input: args, level: method },
    );
  } catch {
    // Formatting a hostile argument must never break the app's logging.
  } finally {
    recording = false;
  }
}

function wrapConsoleOnce(): void {
  if (consoleWrapped) return;
  consoleWrapped = true;
  const target = console as unknown as Record<ConsoleMethod, ConsoleFunction>;
  for (const method of Object.keys(BREADCRUMB_LEVELS) as ConsoleMethod[]) {
    const original = target[method];
    if (typeof original !== 'function') continue;
    target[method] = function consoleWithBreadcrumbs(this: unknown, ...args: unknown[]): void {
      recordConsoleCall(method, args);
      original.apply(this, args);
    };
  }
}

/** Records `console.log/info/warn/error/debug/trace` calls as breadcrumbs (category `console`). */
export function consoleIntegration(): Integration {
  return {
    name: 'Console',
    setup(client) {
      recordingClients.add(client);
      wrapConsoleOnce();
    },
  };
}
