/**
 * The JSON of envelope payloads, written by core's transport through this function. Every event and
 * transaction repeats the same `sdk` object and machine contexts (os, runtime, device, app, culture,
 * cloud_resource): ~40% of serialising a transaction (bench/results/2026-11-27-instructions.md).
 * Every error event repeats the app's `modules` too. Their JSON is written once and reused for as
 * long as the value in the payload still holds exactly what that JSON says. Processors, `beforeSend`
 * and hooks may edit or replace them: a part that differs is serialised as it is, so the output
 * always reads as `JSON.stringify(payload)` would.
 *
 * On Node 22 and 24, JSON.stringify meeting a dictionary-mode object (one given more than ~20 keys
 * one by one, as `modules` was) or a two-byte string starts its call again from the beginning on
 * its slow path: twice the time of an error event (bench/results/2026-11-28-error-event-json.md).
 */

/** Contexts the SDK adds to every event, the same until the memory figures change (once a second). */
const MACHINE_CONTEXTS = new Set(['os', 'runtime', 'device', 'app', 'culture', 'cloud_resource']);
/** A part that keeps missing is refreshed only now and then: a value changed per event never hits. */
const REFRESH_AFTER_MISSES = 100;

interface ReusedJson {
  json: string;
  /**
   * A copy of the value the JSON was written from, to compare later values with. It shares their
   * strings, so comparing them is a pointer comparison.
   */
  data: unknown;
  hits: number;
  misses: number;
}

/**
 * The members written in calls of their own, outside the payload's: the reused parts, and the large
 * parts, whose JSON is written apart so that a slow-path restart (see above) writes again only the
 * member it met its cause in. Request headers past ~20 are such a cause, and would otherwise have
 * every span of a transaction written twice; a message with text beyond Latin-1 is another.
 */
interface SeparateMembers {
  exception?: unknown;
  breadcrumbs?: unknown;
  spans?: unknown;
  contexts?: unknown;
  modules?: unknown;
  sdk?: unknown;
}

export type PayloadStringifier = (payload: object) => string;

export function createPayloadStringifier(): PayloadStringifier {
  const reused = new Map<string, ReusedJson>();

  /** The JSON for `value` when it still holds the reused part's data; refreshes the part now and then. */
  function reusedJson(name: string, value: unknown): string | undefined {
    const entry = reused.get(name);
    if (entry && sameData(value, entry.data)) {
      entry.hits++;
      return entry.json;
    }
    if (!isPlainObject(value)) return undefined;
    if (entry && entry.hits === 0 && ++entry.misses % REFRESH_AFTER_MISSES !== 0) return undefined;
    // First: it throws on a cycle, which copyOfData would follow until the stack runs out.
    const json = JSON.stringify(value);
    const data = copyOfData(value);
    // A part that is not plain data is kept too, as an entry nothing matches: it is retried only now
    // and then, not serialised twice for every event.
    reused.set(name, { json, data, hits: 0, misses: 0 });
    return data === NOT_DATA ? undefined : json;
  }

  return (payload) => {
    if (!isPlainObject(payload) || hasToJson(payload)) return JSON.stringify(payload);
    const event = payload as SeparateMembers;
    // Named, not looped over: this runs for every transaction, and constant names keep the loads fast.
    const { exception, breadcrumbs, spans, contexts, modules, sdk } = event;
    const exceptionJson = largeMemberJson(exception);
    const breadcrumbsJson = largeMemberJson(breadcrumbs);
    const spansJson = largeMemberJson(spans);
    const contextsJson = isPlainObject(contexts) ? contextsWithReusedParts(contexts, reusedJson) : undefined;
    const modulesJson = modules === undefined ? undefined : reusedJson('modules', modules);
    const sdkJson = sdk === undefined ? undefined : reusedJson('sdk', sdk);
    const members =
      member('exception', exceptionJson) +
      member('breadcrumbs', breadcrumbsJson) +
      member('spans', spansJson) +
      member('contexts', contextsJson) +
      member('modules', modulesJson) +
      member('sdk', sdkJson);
    if (!members) return JSON.stringify(payload);
    // Left out for the one call, put back before anything else runs: the payload is the envelope's
    // own copy of the event, and JSON leaves undefined keys out. `delete` would make it a slow object.
    if (exceptionJson !== undefined) event.exception = undefined;
    if (breadcrumbsJson !== undefined) event.breadcrumbs = undefined;
    if (spansJson !== undefined) event.spans = undefined;
    if (contextsJson !== undefined) event.contexts = undefined;
    if (modulesJson !== undefined) event.modules = undefined;
    if (sdkJson !== undefined) event.sdk = undefined;
    let json: string;
    try {
      json = JSON.stringify(payload);
    } finally {
      // Only what was taken out: a payload without a member is not given the key.
      if (exceptionJson !== undefined) event.exception = exception;
      if (breadcrumbsJson !== undefined) event.breadcrumbs = breadcrumbs;
      if (spansJson !== undefined) event.spans = spans;
      if (contextsJson !== undefined) event.contexts = contexts;
      if (modulesJson !== undefined) event.modules = modules;
      if (sdkJson !== undefined) event.sdk = sdk;
    }
    return withMembers(json, members);
  };
}

/**
 * The JSON of a large member written apart, or undefined to leave it in the payload's call: an
 * empty array gains nothing apart, and an own toJSON would be called with another key than there.
 */
function largeMemberJson(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || hasToJson(value)) return undefined;
  return Array.isArray(value) && value.length === 0 ? undefined : JSON.stringify(value);
}

/** `,"name":json`, or nothing when the member stays in the payload's JSON. */
function member(name: string, json: string | undefined): string {
  return json === undefined ? '' : `,"${name}":${json}`;
}

/** An object's JSON with more members at its end; `members` is one or more `,"key":value`. */
function withMembers(objectJson: string, members: string): string {
  return objectJson === '{}' ? `{${members.slice(1)}}` : `${objectJson.slice(0, -1)}${members}}`;
}

/** `contexts` as JSON with the machine contexts' reused parts, or undefined when none could be reused. */
function contextsWithReusedParts(
  contexts: Record<string, unknown>,
  reusedJson: (name: string, value: unknown) => string | undefined,
): string | undefined {
  let reusedParts = '';
  const rest: Record<string, unknown> = {};
  for (const name of Object.keys(contexts)) {
    const value = contexts[name];
    const json = MACHINE_CONTEXTS.has(name) ? reusedJson(name, value) : undefined;
    // The names come from MACHINE_CONTEXTS: nothing in them needs escaping.
    if (json !== undefined) reusedParts += `,"${name}":${json}`;
    else rest[name] = value;
  }
  return reusedParts ? withMembers(JSON.stringify(rest), reusedParts) : undefined;
}

const NOT_DATA = Symbol('not data');

/**
 * A deep copy of `value` when it is plain data, which JSON writes as it is: plain objects and arrays
 * of strings, finite numbers, booleans and null. NOT_DATA for anything else (undefined, a toJSON, a
 * class instance, NaN), whose JSON is not reused.
 */
function copyOfData(value: unknown): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : NOT_DATA;
  if (Array.isArray(value)) {
    if (hasToJson(value)) return NOT_DATA;
    const copy: unknown[] = [];
    for (const item of value) {
      const itemCopy = copyOfData(item);
      if (itemCopy === NOT_DATA) return NOT_DATA;
      copy.push(itemCopy);
    }
    return copy;
  }
  if (!isPlainObject(value) || hasToJson(value)) return NOT_DATA;
  const entries: Array<[string, unknown]> = [];
  for (const key of Object.keys(value)) {
    const valueCopy = copyOfData(value[key]);
    if (valueCopy === NOT_DATA) return NOT_DATA;
    entries.push([key, valueCopy]);
  }
  // From entries: built key by key, a copy of more than ~20 keys (the modules) would be a
  // dictionary, which sameData walks several times slower.
  return Object.fromEntries(entries);
}

/**
 * Whether `value` serialises to the same JSON as `data` (plain data, see copyOfData): equal
 * primitives, arrays of the same length and items, plain objects with the same keys and values. A
 * `toJSON`, a class instance or a key JSON would leave out (undefined, a function) counts as different.
 */
function sameData(value: unknown, data: unknown): boolean {
  if (value === data) return true;
  if (typeof data !== 'object' || data === null || typeof value !== 'object' || value === null) return false;
  if (Array.isArray(data)) {
    if (!Array.isArray(value) || value.length !== data.length || hasToJson(value)) return false;
    for (let index = 0; index < data.length; index++) if (!sameData(value[index], data[index])) return false;
    return true;
  }
  if (!isPlainObject(value)) return false;
  const expected = data as Record<string, unknown>;
  let keys = 0;
  for (const key in value) {
    if (!sameData(value[key], expected[key])) return false;
    keys++;
  }
  for (const _ in expected) keys--;
  return keys === 0;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function hasToJson(value: object): boolean {
  return typeof (value as { toJSON?: unknown }).toJSON === 'function';
}
