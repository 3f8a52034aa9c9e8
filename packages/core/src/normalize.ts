/**
 * Turns any value into a JSON-safe copy bounded in depth and breadth. Used for `extra`, contexts and
 * serialised non-error exceptions: user data can be cyclic, hostile (throwing getters, Proxies) or huge,
 * and none of that may break event delivery or throw into user code.
 */
import { attempt, constructorName, nonEmptyString, readProperty, typeTag } from './safe-read';
import { jsonByteLength } from './utf8-byte-length';

const MAX_PROPERTIES = '[MaxProperties ~]';

/**
 * `depth` counts expanded object levels: `normalize({ a: {} }, 1)` gives `{ a: '[Object]' }`.
 * `maxBreadth` caps entries per object/array/Map/Set; the cut is marked with `'[MaxProperties ~]'`.
 * Never throws; the result always survives `JSON.stringify`.
 */
export function normalize(input: unknown, depth = 3, maxBreadth = 1000): unknown {
  return visit(input, depth, maxBreadth, []);
}

/** Normalises with decreasing depth until the JSON form fits in `maxBytes` (UTF-8) or depth reaches 0. */
export function normalizeToSize(input: unknown, depth = 3, maxBytes = 100 * 1024): unknown {
  let currentDepth = Math.max(0, depth);
  let normalized = normalize(input, currentDepth);
  while (currentDepth > 0 && jsonByteLength(normalized) > maxBytes)
    normalized = normalize(input, --currentDepth);
  return normalized;
}

/** The placeholder for a value that could not be read or converted; describing the error never throws. */
const nonSerializable = (error: unknown): string =>
  `**non-serializable** (${attempt(() => (error instanceof Error ? error.message : String(error)), 'unknown error')})`;

/**
 * Normalises one value. `fromToJSON` marks a value a `toJSON` returned, whose own `toJSON` is not
 * called again. Runs for every value of every event: no closure or iterator per value. `ancestors`
 * is the path from the root, as deep as the depth limit: a scan of it costs less than a WeakSet
 * per call (several per event).
 */
function visit(
  value: unknown,
  depth: number,
  maxBreadth: number,
  ancestors: object[],
  fromToJSON?: boolean,
): unknown {
  try {
    const type = typeof value;
    if (
      value === null ||
      type === 'string' ||
      type === 'boolean' ||
      (type === 'number' && Number.isFinite(value))
    )
      return value;
    // '[NaN]', '[-Infinity]', '[undefined]', '[Symbol(tag)]', '[BigInt: 1]', '[Function: name]'.
    if (type !== 'object')
      return `[${
        type === 'function'
          ? `Function: ${nonEmptyString((value as Function).name) || '<anonymous>'}`
          : (type === 'bigint' ? 'BigInt: ' : '') + String(value)
      }]`;

    const object = value as object;
    // Plain objects and arrays, most of what events carry, are never summarised: no tag or leaf checks.
    const plain = Array.isArray(object) || Object.getPrototypeOf(object) === Object.prototype;
    const tag = plain ? '' : typeTag(object);
    const leaf = plain ? undefined : describeLeafObject(object, tag);
    if (leaf !== undefined) return leaf;
    if (ancestors.includes(object)) return '[Circular ~]';

    if (!fromToJSON) {
      const toJSON = readProperty(object, 'toJSON');
      if (typeof toJSON === 'function') {
        try {
          const json = toJSON.call(object);
          return visit(json, depth, maxBreadth, ancestors, true);
        } catch {
          // A failing toJSON falls back to walking the object's own properties.
        }
      }
    }

    if (depth <= 0) return `[${Array.isArray(object) ? 'Array' : constructorName(object) || 'Object'}]`;

    ancestors.push(object);
    try {
      return expand(object, tag, depth - 1, maxBreadth, ancestors);
    } finally {
      ancestors.pop();
    }
  } catch (error) {
    return nonSerializable(error);
  }
}

/** Values that are summarised as one string at any depth rather than walked. */
function describeLeafObject(object: object, tag: string): string | undefined {
  // toISOString throws a RangeError for an invalid date.
  if (object instanceof Date) return attempt(() => object.toISOString(), '[Invalid Date]');
  if (object instanceof RegExp) return String(object);
  if (ArrayBuffer.isView(object) || tag === 'ArrayBuffer' || tag === 'SharedArrayBuffer') {
    // Typed arrays by element count, DataView and (Shared)ArrayBuffer by size.
    const length = (object as { length?: unknown }).length;
    return `[${constructorName(object) || tag}(${typeof length === 'number' ? length : `${(object as ArrayBuffer).byteLength} bytes`})]`;
  }
  for (const type of OPAQUE_TYPES) if (object instanceof type) return `[${type.name}]`;
  return undefined;
}

const OPAQUE_TYPES = [WeakMap, WeakSet, Promise];

/**
 * A copy of the object's entries normalised at `depth`, in the order JS iterates them (index, item,
 * key): at most `maxBreadth`, then one `'[MaxProperties ~]'` entry. Arrays and Sets become arrays.
 */
function expand(
  object: object,
  tag: string,
  depth: number,
  maxBreadth: number,
  ancestors: object[],
): unknown[] | Record<string, unknown> {
  if (Array.isArray(object) || object instanceof Set) {
    const out: unknown[] = [];
    const items = Array.isArray(object) ? object : [...object];
    for (let i = 0; i < items.length; i++) {
      if (i === maxBreadth) {
        out.push(MAX_PROPERTIES);
        break;
      }
      out.push(visitProperty(items, i, depth, maxBreadth, ancestors));
    }
    return out;
  }
  const out: Record<string, unknown> = {};
  let keys: unknown[];
  if (object instanceof Map) keys = [...object.keys()];
  else {
    keys = Object.keys(object);
    // Errors lead with name, message, stack (and cause), which are not enumerable own properties.
    if (object instanceof Error || tag === 'Error')
      keys = [...new Set(['name', 'message', 'stack', ...('cause' in object ? ['cause'] : []), ...keys])];
  }
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const name = object instanceof Map ? String(visit(key, 0, 0, [], true)) : (key as string);
    const value =
      i === maxBreadth
        ? MAX_PROPERTIES
        : object instanceof Map
          ? visit(object.get(key), depth, maxBreadth, ancestors)
          : visitProperty(object, name, depth, maxBreadth, ancestors);
    // Defined, not assigned, so a key named `__proto__` stays plain data.
    if (name === '__proto__')
      Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
    else out[name] = value;
    if (i === maxBreadth) break;
  }
  return out;
}

/** `target[key]` normalised; a throwing getter turns only this entry into a placeholder. */
function visitProperty(
  target: object,
  key: string | number,
  depth: number,
  maxBreadth: number,
  ancestors: object[],
): unknown {
  let value: unknown;
  try {
    value = (target as Record<string | number, unknown>)[key];
  } catch (error) {
    return nonSerializable(error);
  }
  return visit(value, depth, maxBreadth, ancestors);
}
