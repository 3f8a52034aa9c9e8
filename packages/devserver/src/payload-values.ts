/** Defensive readers for untrusted event JSON: any SDK in any language may send any shape. */

export type JsonObject = Record<string, unknown>;

export function asObject(value: unknown): JsonObject | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as JsonObject)
    : undefined;
}

/** A non-empty string, or a finite number as a string (ids and tags are often numeric). */
export function asText(value: unknown): string | undefined {
  if (typeof value === 'string') return value.length > 0 ? value : undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** Sentry accepts `{values: [...]}` or a bare array for exceptions and breadcrumbs. */
export function valuesList(value: unknown): JsonObject[] {
  return objectsOf(Array.isArray(value) ? value : asObject(value)?.values);
}

/** The objects of a list, skipping anything else (nulls, strings…); empty when it is not a list. */
export function objectsOf(list: unknown): JsonObject[] {
  return Array.isArray(list)
    ? list.filter((entry): entry is JsonObject => asObject(entry) !== undefined)
    : [];
}

/** Tags as an object of strings; Sentry also accepts a list of `[key, value]` pairs. */
export function tagsOf(value: unknown): Record<string, string> {
  const tags: Record<string, string> = {};
  const entries = Array.isArray(value) ? value : Object.entries(asObject(value) ?? {});
  for (const entry of entries) {
    if (!Array.isArray(entry)) continue;
    const key = asText(entry[0]);
    const tagValue = typeof entry[1] === 'boolean' ? String(entry[1]) : asText(entry[1]);
    if (key && tagValue !== undefined) tags[key] = tagValue;
  }
  return tags;
}

/** Unix seconds from a number or an RFC 3339 string (both are valid event timestamps). */
export function toSeconds(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const millis = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(value) ? value : `${value}Z`);
  return Number.isNaN(millis) ? undefined : millis / 1000;
}

export function firstLine(text: string, maxLength = 200): string {
  const line = text.split('\n', 1)[0]!.trim();
  return line.length > maxLength ? `${line.slice(0, maxLength - 1)}…` : line;
}

/** Event and span ids are compared lowercase without dashes, the form Relay normalises to. */
export function normalizeId(value: unknown): string | undefined {
  return typeof value === 'string' ? value.replaceAll('-', '').toLowerCase() : undefined;
}
