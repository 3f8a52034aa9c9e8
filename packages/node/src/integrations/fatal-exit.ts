/**
 * Ending the process after a fatal error the way Node would — the error printed to stderr, exit code
 * 1 — but only once the SDK has had a bounded chance to send what it captured. Runs once: an error
 * raised while flushing (Node would already be dead) cannot start a second shutdown or a loop.
 */
import { captureException, flush, getClient, type Mechanism } from '@faultline/core';
import { util } from '../lazy-builtins';

const DEFAULT_FLUSH_TIMEOUT_MS = 2000;
/** Time past the flush timeout before exiting anyway, should the flush itself never settle. */
const EXIT_GRACE_MS = 200;

let exiting = false;

/** True once a fatal error started shutting the process down. */
export function isExiting(): boolean {
  return exiting;
}

/** The flush budget: the integration's own, else the client's `shutdownTimeout`, else 2000 ms. */
export function flushTimeout(configured: number | undefined): number {
  return configured ?? getClient()?.getOptions().shutdownTimeout ?? DEFAULT_FLUSH_TIMEOUT_MS;
}

/** Captures `error` as a fatal, unhandled error. */
export function captureFatal(error: unknown, mechanismType: string): void {
  const mechanism: Mechanism = { type: mechanismType, handled: false };
  captureException(error, { mechanism, captureContext: { level: 'fatal' } });
}

/** Prints `error` like Node's fatal exception handler, flushes within `timeout` ms, exits with code 1. */
export function exitAfterFlush(error: unknown, timeout: number): void {
  if (exiting) return;
  exiting = true;
  // Should the event loop run dry while flushing, the process still ends as a crash.
  process.exitCode = 1;
  try {
    process.stderr.write(`${describeFatal(error)}\n\nNode.js ${process.version}\n`);
  } catch {
    // stderr closed: nothing more to tell.
  }
  const exit = () => process.exit(1);
  // Referenced on purpose: the process must live until the flush has had its chance.
  setTimeout(exit, timeout + EXIT_GRACE_MS);
  flush(timeout).then(exit, exit);
}

function describeFatal(error: unknown): string {
  if (error instanceof Error) return util().inspect(error);
  return `Uncaught ${util().inspect(error)}`;
}
