/**
 * Sends what is still queued when the process is about to end, without changing how it ends:
 * - `beforeExit` (the event loop ran dry): flushes, which also sends pending client reports. Only
 *   when something was captured since the last such flush, so a flush cannot keep a process alive
 *   forever by re-arming itself;
 * - `SIGTERM`/`SIGINT`: listening to a signal replaces Node's default (terminate), so when the
 *   application has no listener of its own the SDK flushes (bounded), removes its listener and raises
 *   the signal again: the process still dies by that signal. When the application listens, it keeps
 *   control and the SDK only flushes in the background.
 */
import { type Client, flush, type Integration } from '@faultline/core';
import { flushTimeout } from './fatal-exit';
import { appListeners, markOwnListener } from './process-listeners';

export interface ProcessExitFlushOptions {
  /** Milliseconds a flush may take (default: `shutdownTimeout`, else 2000). */
  timeout?: number;
  /** Signals to flush on (default SIGTERM and SIGINT). */
  signals?: NodeJS.Signals[];
}

const DEFAULT_SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];
/** Time past the flush timeout before re-raising anyway, should the flush itself never settle. */
const RERAISE_GRACE_MS = 200;

let capturedSinceFlush = false;
/** Signals being re-raised once the flush ends, with the function that re-raises them now. */
const pendingTerminations = new Map<NodeJS.Signals, () => void>();

export function processExitFlushIntegration(options: ProcessExitFlushOptions = {}): Integration {
  return {
    name: 'ProcessExitFlush',
    setupOnce() {
      process.on(
        'beforeExit',
        markOwnListener(() => {
          if (!capturedSinceFlush) return;
          capturedSinceFlush = false;
          void flush(flushTimeout(options.timeout));
        }),
      );
      for (const signal of options.signals ?? DEFAULT_SIGNALS) {
        const onSignal = markOwnListener(() => {
          const timeout = flushTimeout(options.timeout);
          if (appListeners(signal).length > 0) {
            void flush(timeout);
            return;
          }
          // A second signal while flushing: the user insists, terminate now.
          const pending = pendingTerminations.get(signal);
          if (pending) pending();
          else terminateAfterFlush(signal, onSignal, timeout);
        });
        process.on(signal, onSignal);
      }
    },
    setup(client: Client) {
      client.on('preprocessEvent', () => {
        capturedSinceFlush = true;
      });
    },
  };
}

function terminateAfterFlush(signal: NodeJS.Signals, listener: () => void, timeout: number): void {
  let done = false;
  const terminate = () => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    pendingTerminations.delete(signal);
    // Without any listener left, Node restores the default action: the signal ends the process.
    process.removeListener(signal, listener);
    process.kill(process.pid, signal);
  };
  // Referenced on purpose: the process must live until the flush has had its chance.
  const timer = setTimeout(terminate, timeout + RERAISE_GRACE_MS);
  pendingTerminations.set(signal, terminate);
  flush(timeout).then(terminate, terminate);
}
