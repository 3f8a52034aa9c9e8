/**
 * Captures unhandled promise rejections (`handled: false`) and keeps Node's outcome for the mode set
 * with `--unhandled-rejections` (command line or NODE_OPTIONS). Registering a listener changes what
 * Node does, so the SDK reproduces the rest:
 * - `throw` (the default): without application listeners Node raises the rejection as an uncaught
 *   exception: captured as fatal, then handed to the application's `uncaughtException` listeners if
 *   it has some, else printed, flushed and exit code 1;
 * - `strict`: Node raises it as an uncaught exception before this listener runs, so the
 *   uncaught-exception integration already captured it; only Node's warning is reproduced;
 * - `warn-with-error-code`: captured; without application listeners a warning and exit code 1;
 * - `warn` (Node warns whatever the listeners) and `none`: captured, nothing else.
 */
import { captureException, type Integration } from '@faultline/core';
import { util } from '../lazy-builtins';
import { captureFatal, exitAfterFlush, flushTimeout, isExiting } from './fatal-exit';
import { capturesUncaughtExceptions, UNHANDLED_REJECTION_MECHANISM } from './on-uncaught-exception';
import { appListeners, markOwnListener } from './process-listeners';
import { type UnhandledRejectionsMode, unhandledRejectionsMode } from './unhandled-rejections-mode';

export interface OnUnhandledRejectionOptions {
  /** Overrides the mode read from Node's flags. */
  mode?: UnhandledRejectionsMode;
  /** Milliseconds to wait for the event to be sent before exiting in `throw` mode (default: `shutdownTimeout`, else 2000). */
  timeout?: number;
}

let rejectionId = 0;

export function onUnhandledRejectionIntegration(options: OnUnhandledRejectionOptions = {}): Integration {
  return {
    name: 'OnUnhandledRejection',
    setupOnce() {
      const mode = options.mode ?? unhandledRejectionsMode();
      process.on(
        'unhandledRejection',
        markOwnListener((reason: unknown) => handleRejection(reason, mode, options.timeout)),
      );
    },
  };
}

function handleRejection(reason: unknown, mode: UnhandledRejectionsMode, timeout: number | undefined): void {
  if (isExiting()) return;
  const appHandles = appListeners('unhandledRejection').length > 0;
  if (mode === 'strict') {
    if (!capturesUncaughtExceptions()) captureRejection(reason);
    if (!appHandles) warnLikeNode(reason);
    return;
  }
  if (mode === 'throw' && !appHandles) {
    raiseAsUncaught(reason, timeout);
    return;
  }
  captureRejection(reason);
  if (mode === 'warn-with-error-code' && !appHandles) {
    warnLikeNode(reason);
    process.exitCode = 1;
  }
}

function captureRejection(reason: unknown): void {
  captureException(reason, { mechanism: { type: UNHANDLED_REJECTION_MECHANISM, handled: false } });
}

/** What Node does in `throw` mode when nothing handles the rejection. */
function raiseAsUncaught(reason: unknown, timeout: number | undefined): void {
  const error = reason instanceof Error ? reason : new UnhandledPromiseRejection(reason);
  captureFatal(reason, UNHANDLED_REJECTION_MECHANISM);
  try {
    for (const monitor of process.listeners('uncaughtExceptionMonitor')) {
      monitor.call(process, error, 'unhandledRejection');
    }
    const listeners = appListeners('uncaughtException');
    if (listeners.length === 0) {
      exitAfterFlush(error, flushTimeout(timeout));
      return;
    }
    for (const listener of listeners) listener.call(process, error, 'unhandledRejection');
  } catch (listenerError) {
    // A throwing exception listener is fatal in Node too.
    exitAfterFlush(listenerError, flushTimeout(timeout));
  }
}

/** The error Node raises for a rejection with a non-Error reason. */
class UnhandledPromiseRejection extends Error {
  readonly code = 'ERR_UNHANDLED_REJECTION';

  constructor(reason: unknown) {
    super(
      'This error originated either by throwing inside of an async function without a catch block, ' +
        'or by rejecting a promise which was not handled with .catch(). The promise rejected with the ' +
        `reason "${describeReason(reason)}".`,
    );
    this.name = 'UnhandledPromiseRejection';
  }
}

function warnLikeNode(reason: unknown): void {
  rejectionId += 1;
  const described = reason instanceof Error ? (reason.stack ?? String(reason)) : describeReason(reason);
  process.emitWarning(described, 'UnhandledPromiseRejectionWarning');
  process.emitWarning(
    'Unhandled promise rejection. This error originated either by throwing inside of an async ' +
      'function without a catch block, or by rejecting a promise which was not handled with .catch(). ' +
      'To terminate the node process on unhandled promise rejection, use the CLI flag ' +
      '`--unhandled-rejections=strict` (see https://nodejs.org/api/cli.html#cli_unhandled_rejections_mode). ' +
      `(rejection id: ${rejectionId})`,
    'UnhandledPromiseRejectionWarning',
  );
}

function describeReason(reason: unknown): string {
  try {
    return typeof reason === 'string' ? reason : util().inspect(reason);
  } catch {
    return '[unprintable value]';
  }
}
