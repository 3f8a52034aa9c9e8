/**
 * Turns any value into a JSON-safe copy bounded in depth and breadth. Used for `extra`, contexts and
 * serialised non-error exceptions: user data can be cyclic, hostile (throwing getters, Proxies) or huge,
 * and none of that may break event delivery or throw into user code.
 */

const CIRCULAR = '[Circular ~]';
const MAX_PROPERTIES = '[MaxProperties ~]';
const DEFAULT_MAX_BYTES = 100 * 1024;

type Ancestors = WeakSet<object>;

/**
 * `depth` counts expanded object levels: `normalize({ a: {} }, 1)` gives `{ a: '[Object]' }`.
 * `maxBreadth` caps entries per object/array/Map/Set; the cut is marked with `'[MaxProperties ~]'`.
 * Never throws; the result always survives `JSON.stringify`.
 */
export function normalize(input: unknown, depth = 3, maxBreadth = 1000): unknown {
  return visit(input, depth, maxBreadth, new WeakSet(), false);
}

/** Normalises with decreasing depth until the JSON form fits in `maxBytes` (UTF-8) or depth reaches 0. */
export function normalizeToSize(input: unknown, depth = 3, maxBytes = DEFAULT_MAX_BYTES): unknown {
  let currentDepth = Math.max(0, depth);
  let normalized = normalize(input, currentDepth);
  while (currentDepth > 0 && jsonByteLength(normalized) > maxBytes) {
    currentDepth -= 1;
    normalized = normalize(input, currentDepth);
  }
  return normalized;
}

/** UTF-8 byte length of the JSON text of an already normalised value. */
export function jsonByteLength(normalized: unknown): number {
  const json = JSON.stringify(normalized) ?? '';
  let bytes = 0;
  for (let i = 0; i < json.length; i++) {
    const code = json.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < json.length) {
      bytes += 4;
      i += 1;
    } else bytes += 3;
  }
  return bytes;
}

/** Describes a thrown value without ever throwing itself. */
export function describeThrown(error: unknown): string {
  try {
    if (error instanceof Error) return error.message;
    return String(error);
  } catch {
    return 'unknown error';
  }
}

function nonSerializable(error: unknown): string {
  return `**non-serializable** (${describeThrown(error)})`;
}

function visit(value: unknown, depth: number, maxBreadth: number, ancestors: Ancestors, fromToJSON: boolean) {
  try {
    return visitUnguarded(value, depth, maxBreadth, ancestors, fromToJSON);
  } catch (error) {
    return nonSerializable(error);
  }
}

function visitUnguarded(
  value: unknown,
  depth: number,
  maxBreadth: number,
  ancestors: Ancestors,
  fromToJSON: boolean,
): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return normalizeNumber(value);
  if (value === undefined) return '[undefined]';
  if (typeof value === 'bigint') return `[BigInt: ${value.toString()}]`;
  if (typeof value === 'symbol') return `[${value.toString()}]`;
  if (typeof value === 'function') return `[Function: ${functionName(value) || '<anonymous>'}]`;

  const object = value as object;
  const leaf = describeLeafObject(object);
  if (leaf !== undefined) return leaf;
  if (ancestors.has(object)) return CIRCULAR;

  if (!fromToJSON) {
    const toJSON = readToJSON(object);
    if (toJSON) {
      try {
        return visit(toJSON.call(object), depth, maxBreadth, ancestors, true);
      } catch {
        // A failing toJSON falls back to walking the object's own properties.
      }
    }
  }

  if (depth <= 0) return depthPlaceholder(object);

  ancestors.add(object);
  try {
    return expand(object, depth - 1, maxBreadth, ancestors);
  } finally {
    ancestors.delete(object);
  }
}

function normalizeNumber(value: number): number | string {
  if (Number.isNaN(value)) return '[NaN]';
  if (value === Number.POSITIVE_INFINITY) return '[Infinity]';
  if (value === Number.NEGATIVE_INFINITY) return '[-Infinity]';
  return value;
}

function functionName(fn: Function): string {
  const name: unknown = fn.name;
  return typeof name === 'string' ? name : '';
}

function safeTag(object: object): string {
  try {
    return Object.prototype.toString.call(object);
  } catch {
    return '';
  }
}

/** The constructor name of an object's prototype, or '' when unavailable (null prototype, hostile Proxy). */
export function constructorName(object: object): string {
  try {
    const name: unknown = Object.getPrototypeOf(object)?.constructor?.name;
    return typeof name === 'string' ? name : '';
  } catch {
    return '';
  }
}

/** Values that are summarised as one string at any depth rather than walked. */
function describeLeafObject(object: object): string | undefined {
  if (object instanceof Date) {
    return Number.isNaN(object.getTime()) ? '[Invalid Date]' : object.toISOString();
  }
  if (object instanceof RegExp) return object.toString();
  if (ArrayBuffer.isView(object)) {
    const name = constructorName(object) || 'TypedArray';
    const length = (object as { length?: unknown }).length;
    return typeof length === 'number' ? `[${name}(${length})]` : `[${name}(${object.byteLength} bytes)]`;
  }
  const tag = safeTag(object);
  if (tag === '[object ArrayBuffer]' || tag === '[object SharedArrayBuffer]') {
    return `[${tag.slice(8, -1)}(${(object as ArrayBuffer).byteLength} bytes)]`;
  }
  if (object instanceof WeakMap) return '[WeakMap]';
  if (object instanceof WeakSet) return '[WeakSet]';
  if (object instanceof Promise) return '[Promise]';
  return undefined;
}

function readToJSON(object: object): Function | undefined {
  try {
    const toJSON: unknown = (object as { toJSON?: unknown }).toJSON;
    return typeof toJSON === 'function' ? toJSON : undefined;
  } catch {
    return undefined;
  }
}

function depthPlaceholder(object: object): string {
  if (Array.isArray(object)) return '[Array]';
  const name = constructorName(object);
  return name && name !== 'Object' ? `[${name}]` : '[Object]';
}

function isErrorObject(object: object): object is Error {
  return object instanceof Error || safeTag(object) === '[object Error]';
}

function expand(object: object, childDepth: number, maxBreadth: number, ancestors: Ancestors): unknown {
  const visitChild = (child: unknown) => visit(child, childDepth, maxBreadth, ancestors, false);

  if (Array.isArray(object)) {
    const items: unknown[] = [];
    const length = object.length;
    for (let i = 0; i < length; i++) {
      if (i >= maxBreadth) {
        items.push(MAX_PROPERTIES);
        break;
      }
      items.push(readAndVisit(object, i, visitChild));
    }
    return items;
  }

  if (object instanceof Set) {
    const items: unknown[] = [];
    for (const item of object) {
      if (items.length >= maxBreadth) {
        items.push(MAX_PROPERTIES);
        break;
      }
      items.push(visitChild(item));
    }
    return items;
  }

  const output: Record<string, unknown> = {};
  let added = 0;
  const add = (key: string, compute: () => unknown): boolean => {
    if (added >= maxBreadth) {
      setOwn(output, key, MAX_PROPERTIES);
      return false;
    }
    added += 1;
    setOwn(output, key, compute());
    return true;
  };

  if (object instanceof Map) {
    for (const [key, item] of object) {
      if (!add(mapKey(key), () => visitChild(item))) break;
    }
    return output;
  }

  let keys = Object.keys(object);
  if (isErrorObject(object)) {
    const errorKeys =
      'cause' in object ? ['name', 'message', 'stack', 'cause'] : ['name', 'message', 'stack'];
    keys = [...errorKeys, ...keys.filter((key) => !errorKeys.includes(key))];
  }
  for (const key of keys) {
    if (!add(key, () => readAndVisit(object, key, visitChild))) break;
  }
  return output;
}

function readAndVisit(
  object: object,
  key: string | number,
  visitChild: (child: unknown) => unknown,
): unknown {
  let child: unknown;
  try {
    child = (object as Record<string | number, unknown>)[key];
  } catch (error) {
    return nonSerializable(error);
  }
  return visitChild(child);
}

/** Assigns without invoking the `__proto__` setter, so a key named `__proto__` stays plain data. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

function mapKey(key: unknown): string {
  if (typeof key === 'string') return key;
  const described = visit(key, 0, 0, new WeakSet(), true);
  return typeof described === 'string' ? described : String(described);
}
