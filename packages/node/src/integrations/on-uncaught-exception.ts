/**
 * Captures uncaught exceptions as fatal, unhandled errors. Registering a listener stops Node from
 * crashing, so when the application has no `uncaughtException` listener of its own the SDK crashes
 * the process itself, as Node would, after flushing. When the application has one, that listener
 * keeps control and the SDK only captures.
 */
import type { Integration } from '@faultline/core';
import { captureFatal, exitAfterFlush, flushTimeout, isExiting } from './fatal-exit';
import { appListeners, markOwnListener } from './process-listeners';

export interface OnUncaughtExceptionOptions {
  /** Exit after capturing even when the application has its own listeners (default false). */
  exitEvenIfOtherHandlersAreRegistered?: boolean;
  /** Milliseconds to wait for the event to be sent before exiting (default: `shutdownTimeout`, else 2000). */
  timeout?: number;
}

export const UNCAUGHT_EXCEPTION_MECHANISM = 'auto.node.onuncaughtexception';
export const UNHANDLED_REJECTION_MECHANISM = 'auto.node.onunhandledrejection';

let installed = false;

/** Whether unhandled rejections raised as uncaught exceptions (`strict` mode) are captured here. */
export function capturesUncaughtExceptions(): boolean {
  return installed;
}

export function onUncaughtExceptionIntegration(options: OnUncaughtExceptionOptions = {}): Integration {
  return {
    name: 'OnUncaughtException',
    setupOnce() {
      installed = true;
      process.on(
        'uncaughtException',
        markOwnListener((error: unknown, origin?: string) => handleUncaughtException(error, origin, options)),
      );
    },
  };
}

function handleUncaughtException(
  error: unknown,
  origin: string | undefined,
  options: OnUncaughtExceptionOptions,
): void {
  if (isExiting()) return;
  const fromRejection = origin === 'unhandledRejection';
  captureFatal(error, fromRejection ? UNHANDLED_REJECTION_MECHANISM : UNCAUGHT_EXCEPTION_MECHANISM);
  const appKeepsControl = appListeners('uncaughtException').length > 0;
  if (appKeepsControl && !options.exitEvenIfOtherHandlersAreRegistered) return;
  exitAfterFlush(error, flushTimeout(options.timeout));
}
