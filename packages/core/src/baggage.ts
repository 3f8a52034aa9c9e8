/**
 * The W3C `baggage` header and the Sentry entries in it (PROTOCOL.md §4.3). Parsing is tolerant and never
 * throws; writing keeps the header within the W3C limits.
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

const OWS = /^[ \t]+|[ \t]+$/g;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export function parseBaggage(header: string | string[] | undefined): ParsedBaggage {
  const parsed: ParsedBaggage = { sentry: {}, thirdParty: [] };
  for (const member of boundedMembers(joinHeaders(header))) {
    const entry = parseMember(member);
    if (!entry) continue;
    if (entry.key.startsWith(SENTRY_BAGGAGE_PREFIX)) {
      const key = entry.key.slice(SENTRY_BAGGAGE_PREFIX.length);
      if (key) parsed.sentry[key] = entry.value;
    } else {
      parsed.thirdParty.push(member);
    }
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
  const members = splitMembers(joinHeaders(existing)).filter(
    (m) => !memberKey(m).startsWith(SENTRY_BAGGAGE_PREFIX),
  );
  let bytes = members.reduce((sum, m) => sum + utf8ByteLength(m), 0) + Math.max(members.length - 1, 0);
  for (const entry of sentryEntries(dsc)) {
    const added = entry.length + (members.length > 0 ? 1 : 0);
    if (members.length >= MAX_BAGGAGE_MEMBERS || bytes + added > MAX_BAGGAGE_BYTES) continue;
    members.push(entry);
    bytes += added;
  }
  return members.length > 0 ? members.join(',') : undefined;
}

function sentryEntries(dsc: Partial<DynamicSamplingContext> | undefined): string[] {
  const entries: string[] = [];
  for (const [key, value] of Object.entries(dsc ?? {})) {
    if (value === undefined) continue;
    try {
      entries.push(`${SENTRY_BAGGAGE_PREFIX}${encodeURIComponent(key)}=${encodeURIComponent(value)}`);
    } catch {
      // encodeURIComponent throws on lone surrogates (e.g. a truncated transaction name): skip that entry.
    }
  }
  return entries;
}

function joinHeaders(header: string | string[] | undefined): string {
  if (typeof header === 'string') return header;
  return Array.isArray(header) ? header.filter((h) => typeof h === 'string').join(',') : '';
}

function splitMembers(header: string): string[] {
  return header
    .split(',')
    .map((m) => m.replace(OWS, ''))
    .filter((m) => m.length > 0);
}

/**
 * The non-empty members within the first 8192 bytes and 180 members; anything beyond is ignored. Walks the
 * header lazily so a huge value costs no more than reading past the limit once.
 */
function boundedMembers(header: string): string[] {
  const members: string[] = [];
  let bytes = 0;
  let start = 0;
  while (start < header.length && members.length < MAX_BAGGAGE_MEMBERS) {
    let end = header.indexOf(',', start);
    if (end === -1) end = header.length;
    // UTF-8 never takes fewer bytes than UTF-16 code units, so a long slice is rejected without encoding it.
    if (bytes + (end - start) > MAX_BAGGAGE_BYTES) break;
    const raw = header.slice(start, end);
    bytes += utf8ByteLength(raw) + 1;
    if (bytes - 1 > MAX_BAGGAGE_BYTES) break;
    start = end + 1;
    const member = raw.replace(OWS, '');
    if (member) members.push(member);
  }
  return members;
}

function memberKey(member: string): string {
  const equals = member.indexOf('=');
  return (equals === -1 ? member : member.slice(0, equals)).replace(OWS, '');
}

function parseMember(member: string): { key: string; value: string } | undefined {
  const equals = member.indexOf('=');
  if (equals === -1) return undefined;
  const key = member.slice(0, equals).replace(OWS, '');
  if (!TOKEN.test(key)) return undefined;
  const semicolon = member.indexOf(';', equals);
  const rawValue = (
    semicolon === -1 ? member.slice(equals + 1) : member.slice(equals + 1, semicolon)
  ).replace(OWS, '');
  try {
    return { key, value: decodeURIComponent(rawValue) };
  } catch {
    return undefined;
  }
}
