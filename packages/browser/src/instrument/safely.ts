/**
 * Runs one handler of the SDK's instrumentation. One that throws is skipped (and its result is
 * `undefined`): what the SDK observes must never break the page's console, requests or navigation.
 */
export function safely<A extends unknown[], R>(handler: (...args: A) => R, ...args: A): R | undefined {
  try {
    return handler(...args);
  } catch {
    return undefined;
  }
}
