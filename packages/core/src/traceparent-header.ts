/**
 * W3C Trace Context: `traceparent` and `tracestate` (PROTOCOL.md §4.2, w3.org/TR/trace-context).
 *
 * Sampled flag mapping on input: `01` ⇒ sampled, `00` ⇒ undefined (deferred). W3C `00` means "not sampled
 * OR no decision recorded", and OpenTelemetry callers send `00` for both. Sentry's OpenTelemetry integration
 * (`getSamplingDecision` in @sentry/opentelemetry) reads a bare `00` the same way, as no decision, so a
 * service behind an OTel caller applies its own sampler instead of inheriting a negative decision that may
 * never have been made. On output a deferred decision is also written as `00`.
 */
import { matchTraceHeader, type TraceHeaderData, traceHeaderData } from './sentry-trace-header';

// Version, trace id, parent id, flags. Future versions may append fields (group 5 is then `-`): a parser of
// version 00 reads the first four and ignores the rest.
const TRACEPARENT = /^[ \t]*([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(?:[ \t]*$|(-))/;
const OWS = /^[ \t]+|[ \t]+$/g;

export function parseTraceparentHeader(value: unknown): TraceHeaderData | undefined {
  const match = matchTraceHeader(value, TRACEPARENT);
  // `00` with extra fields is malformed; `ff` is forbidden by the spec.
  if (!match || match[1] === 'ff' || (match[1] === '00' && match[5])) return undefined;
  return traceHeaderData(match[2]!, match[3]!, Number.parseInt(match[4]!, 16) & 1 ? true : undefined);
}

export function traceparentHeader(traceId: string, spanId: string, sampled?: boolean): string {
  return `00-${traceId}-${spanId}-${sampled ? '01' : '00'}`;
}

const MAX_TRACESTATE_MEMBERS = 32;
const MAX_TRACESTATE_LENGTH = 512;
/** Members longer than this go first when the header must shrink (W3C §3.3.1.1). */
const LONG_MEMBER_LENGTH = 128;
const TRACESTATE_MEMBER =
  /^(?:[a-z][a-z0-9_\-*/]{0,255}|[a-z0-9][a-z0-9_\-*/]{0,240}@[a-z][a-z0-9_\-*/]{0,13})=[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;
const LONGEST_VALID_MEMBER = 256 + 1 + 256;
/** A conforming header has at most 32 members; looking no further than this keeps hostile headers cheap. */
const MAX_TRACESTATE_POSITIONS = 64;

/**
 * The valid members of incoming `tracestate` header(s), leftmost (most recent) first, at most 32, from the
 * first 64 list positions. Invalid members and repeated keys are dropped. We forward them unchanged: the
 * Sentry protocol defines no `tracestate` member of its own; our state travels in `sentry-trace` and
 * `baggage`.
 */
export function parseTracestate(header: unknown): string[] {
  const joined = Array.isArray(header) ? header.filter((h) => typeof h === 'string').join(',') : header;
  if (typeof joined !== 'string') return [];
  const members: string[] = [];
  const keys = new Set<string>();
  let start = 0;
  for (let position = 0; position < MAX_TRACESTATE_POSITIONS && start <= joined.length; position++) {
    let end = joined.indexOf(',', start);
    if (end === -1) end = joined.length;
    const raw = joined.slice(start, end);
    start = end + 1;
    // Spaces around a member are allowed but never that many: reject before trimming a huge slice.
    if (raw.length > 2 * LONGEST_VALID_MEMBER) continue;
    const member = raw.replace(OWS, '');
    if (member.length > LONGEST_VALID_MEMBER || !TRACESTATE_MEMBER.test(member)) continue;
    const key = member.slice(0, member.indexOf('='));
    if (keys.has(key)) continue;
    keys.add(key);
    if (members.push(member) === MAX_TRACESTATE_MEMBERS) break;
  }
  return members;
}

/** Joins members into at most 512 characters, dropping members over 128 first, then from the right. */
export function tracestateHeader(members: readonly string[]): string | undefined {
  let kept = members.slice(0, MAX_TRACESTATE_MEMBERS);
  const length = (list: readonly string[]) => list.reduce((sum, m) => sum + m.length, 0) + list.length - 1;
  if (length(kept) > MAX_TRACESTATE_LENGTH) kept = kept.filter((m) => m.length <= LONG_MEMBER_LENGTH);
  while (kept.length > 0 && length(kept) > MAX_TRACESTATE_LENGTH) kept.pop();
  return kept.length > 0 ? kept.join(',') : undefined;
}
