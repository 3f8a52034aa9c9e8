/**
 * The SDK's own diagnostics. Silent unless `debug` is on; each distinct message is printed once, so a
 * failure on a hot path cannot flood the host application's console.
 */

const PREFIX = 'Faultline Logger';
let enabled = false;
const seen = new Set<string>();
const MAX_REMEMBERED = 1000;

/** As printed; the console method is its lowercase. */
type Level = 'Log' | 'Warn' | 'Error';

function print(level: Level, message: string, args: unknown[]): void {
  const console = (globalThis as { console?: Record<Lowercase<Level>, (...a: unknown[]) => void> }).console;
  try {
    console?.[level.toLowerCase() as Lowercase<Level>](`${PREFIX} [${level}]: ${message}`, ...args);
  } catch {
    // A broken console must not break the SDK.
  }
}

export const debug = {
  enable(): void {
    enabled = true;
  },
  disable(): void {
    enabled = false;
  },
  isEnabled(): boolean {
    return enabled;
  },
  log(message: string, ...args: unknown[]): void {
    if (enabled) print('Log', message, args);
  },
  warn(message: string, ...args: unknown[]): void {
    if (enabled) print('Warn', message, args);
  },
  error(message: string, ...args: unknown[]): void {
    if (enabled) print('Error', message, args);
  },
  /** Logs a problem once per distinct message, whatever `debug` says for warnings about bad config. */
  warnOnce(message: string, ...args: unknown[]): void {
    if (seen.has(message)) return;
    if (seen.size < MAX_REMEMBERED) seen.add(message);
    print('Warn', message, args);
  },
  /** Logs an internal error once per distinct message when debug is on. */
  errorOnce(message: string, ...args: unknown[]): void {
    if (!enabled || seen.has(message)) return;
    if (seen.size < MAX_REMEMBERED) seen.add(message);
    print('Error', message, args);
  },
};
