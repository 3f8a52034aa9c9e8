/**
 * An error object is reported once, however many handlers see it (a framework's error hook, then
 * the app's `next(err)`, then an unhandled-rejection handler). The mark is a non-enumerable symbol
 * property, so it neither shows in the app's logs nor changes JSON output.
 */
const CAPTURED = Symbol.for('faultline.captured');

/** True when `exception` was captured before; otherwise marks it and returns false. */
export function checkOrMarkCaptured(exception: unknown): boolean {
  if (typeof exception !== 'object' || exception === null) return false;
  try {
    if ((exception as Record<symbol, unknown>)[CAPTURED]) return true;
    Object.defineProperty(exception, CAPTURED, { value: true, enumerable: false, configurable: true });
  } catch {
    // Frozen objects and proxies cannot be marked; they may be reported twice, never lost.
  }
  return false;
}
