/**
 * An error the SDK caught in a wrapped callback is captured there and rethrown; the browser then
 * reports it again to the global `error` handlers, which skip it while this says so. Error objects
 * are also recognised by core's captured-once mark; this covers thrown primitives.
 */
let pending = 0;

export function ignoreNextOnError(): void {
  pending++;
  setTimeout(() => {
    pending--;
  });
}

export function shouldIgnoreOnError(): boolean {
  return pending > 0;
}
