/**
 * Reading values that may be hostile (throwing getters, Proxies, odd prototypes) without ever
 * throwing: what normalisation, exception building and stack parsing do with user data.
 */

/** `fn()`, or `fallback` when it throws: for reads on values that may be hostile (getters, Proxies). */
export function attempt<T>(fn: () => T, fallback?: T): T | undefined {
  try {
    return fn();
  } catch {
    return fallback;
  }
}

/**
 * `target[key]`, or undefined when reading it throws (or `target` is not an object). No closure: it
 * runs for every object normalisation visits.
 */
export function readProperty(target: unknown, key: string | number): unknown {
  try {
    return (target as Record<string | number, unknown>)[key];
  } catch {
    return undefined;
  }
}

/** `value` when it is a non-empty string, else undefined: for `name`, `message` and friends read off user objects. */
export const nonEmptyString = (value: unknown): string | undefined =>
  typeof value === 'string' && value ? value : undefined;

/** The `Tag` of `[object Tag]` for a value, '' when a Proxy trap throws. No closure, as above. */
export function typeTag(value: unknown): string {
  try {
    return Object.prototype.toString.call(value).slice(8, -1);
  } catch {
    return '';
  }
}

/** The constructor name of an object's prototype, or '' when unavailable (null prototype, hostile Proxy). */
export const constructorName = (object: object): string =>
  attempt(() => nonEmptyString(Object.getPrototypeOf(object)?.constructor?.name)) || '';
