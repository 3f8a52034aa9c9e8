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

/** `target[key]`, or undefined when reading it throws (or `target` is not an object). */
export const readProperty = (target: unknown, key: string | number): unknown =>
  attempt(() => (target as Record<string | number, unknown>)[key]);

/** `value` when it is a non-empty string, else undefined: for `name`, `message` and friends read off user objects. */
export const nonEmptyString = (value: unknown): string | undefined =>
  typeof value === 'string' && value ? value : undefined;

/** The `Tag` of `[object Tag]` for a value, '' when a Proxy trap throws. */
export const typeTag = (value: unknown): string =>
  attempt(() => Object.prototype.toString.call(value).slice(8, -1), '')!;

/** The constructor name of an object's prototype, or '' when unavailable (null prototype, hostile Proxy). */
export const constructorName = (object: object): string =>
  attempt(() => nonEmptyString(Object.getPrototypeOf(object)?.constructor?.name)) || '';
