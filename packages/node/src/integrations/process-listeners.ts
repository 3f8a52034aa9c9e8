/**
 * Telling the SDK's own process listeners from the application's. Node changes behaviour when any
 * `uncaughtException`, `unhandledRejection` or signal listener exists, so the SDK decides what to do
 * by whether the application registered listeners of its own. The mark is a global symbol, shared by
 * the ESM and CJS builds of this package.
 */

const OWN_LISTENER = Symbol.for('faultline.node.processListener');

type Listener = (...args: any[]) => void;

/** Listeners Node's `domain` module installs; they are not the application taking control. */
const NODE_INTERNAL_LISTENERS = new Set(['domainUncaughtExceptionClear']);

export function markOwnListener<T extends Listener>(listener: T): T {
  (listener as T & { [OWN_LISTENER]?: true })[OWN_LISTENER] = true;
  return listener;
}

/** The application's listeners for `event`: everything except the SDK's and Node's internal ones. */
export function appListeners(event: string): Listener[] {
  return (process.listeners(event as 'exit') as Listener[]).filter(
    (listener) =>
      !(listener as Listener & { [OWN_LISTENER]?: true })[OWN_LISTENER] &&
      !NODE_INTERNAL_LISTENERS.has(listener.name),
  );
}
