/**
 * The W3C `baggage` header and the Sentry entries in it (PROTOCOL.md §4.3). Parsing is tolerant and never
 * throws (whitespace of any kind around members, keys and values is ignored, not only the spec's
 * space and tab: `trim()` costs a fifth of a regular expression, and incoming headers are parsed
 * on every request); writing keeps the header within the W3C limits.
 */
import type { DynamicSamplingContext } from './types/envelope';
import { utf8ByteLength } from './utf8-byte-length';

export const SENTRY_BAGGAGE_PREFIX = 'sentry-';
export const MAX_BAGGAGE_BYTES = 8192;
export const MAX_BAGGAGE_MEMBERS = 180;

export interface ParsedBaggage {
  /** Sentry entries, prefix stripped and values percent-decoded. A later duplicate key wins. */
  sentry: Record<string, string>;
  /** Every other well-formed member as received (trimmed). Never copied into a DSC. */
  thirdParty: string[];
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export function parseBaggage(header: string | string[] | undefined): ParsedBaggage {
  const parsed: ParsedBaggage = { sentry: {}, thirdParty: [] };
  for (const member of splitMembers(header, true)) {
    const equals = member.indexOf('=');
    if (equals === -1) continue;
    const key = memberKey(member, equals);
    if (!TOKEN.test(key)) continue;
    const semicolon = member.indexOf(';', equals);
    let value = member.slice(equals + 1, semicolon === -1 ? undefined : semicolon).trim();
    // Only a value with escapes needs decoding (most are ids, numbers and names).
    if (value.includes('%'))
      try {
        value = decodeURIComponent(value);
      } catch {
        continue;
      }
    if (!key.startsWith(SENTRY_BAGGAGE_PREFIX)) parsed.thirdParty.push(member);
    else if (key !== SENTRY_BAGGAGE_PREFIX) parsed.sentry[key.slice(SENTRY_BAGGAGE_PREFIX.length)] = value;
  }
  return parsed;
}

/** `sentry-k=v` entries joined by `,`; undefined when the DSC has nothing to send. */
export function dscToBaggage(dsc: Partial<DynamicSamplingContext> | undefined): string | undefined {
  return mergeBaggage(undefined, dsc);
}

/**
 * Appends our Sentry entries to an outgoing baggage header after removing the Sentry entries it already
 * has (another SDK's, or a stale copy of ours). Members that are not ours are kept verbatim, even when they
 * alone exceed the limits: they are not ours to drop. Our entries that would push the header over
 * 8192 bytes or 180 members are left out whole.
 */
export function mergeBaggage(
  existing: string | string[] | undefined,
  dsc: Partial<DynamicSamplingContext> | undefined,
): string | undefined {
  const members = splitMembers(existing).filter((m) => !memberKey(m).startsWith(SENTRY_BAGGAGE_PREFIX));
  // Bytes of the header so far, -1 while empty: the next entry adds a `,` plus its length either way.
  let bytes = utf8ByteLength(members.join()) || -1;
  // Object.keys, not Object.entries: no array per entry (~1 µs less for a full DSC).
  for (const key of Object.keys(dsc ?? {})) {
    const value = dsc![key as keyof DynamicSamplingContext];
    // Keys are W3C tokens, written as they are: encoding one (`#` → `%23`) would name another key.
    if (value === undefined || !TOKEN.test(key)) continue;
    let entry: string;
    try {
      entry = `${SENTRY_BAGGAGE_PREFIX}${key}=${encodeURIComponent(value)}`;
    } catch {
      // encodeURIComponent throws on lone surrogates (e.g. a truncated transaction name): skip that entry.
      continue;
    }
    // A token key and a percent-encoded value: one byte per character.
    if (members.length < MAX_BAGGAGE_MEMBERS && bytes + entry.length < MAX_BAGGAGE_BYTES) {
      members.push(entry);
      bytes += entry.length + 1;
    }
  }
  return members.length > 0 ? members.join() : undefined;
}

/**
 * The trimmed non-empty members of the header(s). `bounded` (incoming headers): only those within the
 * first 8192 bytes and 180 members; the walk stops there, so a huge value costs no more than reading past
 * the limit once.
 */
function splitMembers(header: string | string[] | undefined, bounded?: boolean): string[] {
  const joined =
    typeof header === 'string'
      ? header
      : Array.isArray(header)
        ? header.filter((h) => typeof h === 'string').join()
        : '';
  // A header within the byte limit needs no count per member (the usual case: one measurement).
  const limitBytes =
    bounded && (joined.length > MAX_BAGGAGE_BYTES || utf8ByteLength(joined) > MAX_BAGGAGE_BYTES);
  const members: string[] = [];
  let bytes = 0;
  for (let start = 0, end = 0; start < joined.length; start = end + 1) {
    end = joined.indexOf(',', start);
    if (end === -1) end = joined.length;
    if (bounded && members.length >= MAX_BAGGAGE_MEMBERS) break;
    if (limitBytes) {
      // UTF-8 never takes fewer bytes than UTF-16 code units, so a long slice is rejected without encoding it.
      if (bytes + (end - start) > MAX_BAGGAGE_BYTES) break;
      bytes += utf8ByteLength(joined.slice(start, end)) + 1;
      if (bytes - 1 > MAX_BAGGAGE_BYTES) break;
    }
    const member = joined.slice(start, end).trim();
    if (member) members.push(member);
  }
  return members;
}

/** The key of a member: what precedes its first `=` (all of it without one), trimmed. */
function memberKey(member: string, equals = member.indexOf('=')): string {
  return (equals === -1 ? member : member.slice(0, equals)).trim();
}
