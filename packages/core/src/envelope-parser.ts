/**
 * Strict envelope parsing with Relay's framing rules (PROTOCOL.md §2.1; relay-server/src/envelope/mod.rs
 * `Envelope::parse_bytes`, item.rs `Item::parse`). Serialising lives in envelope.ts.
 */
import { parseDsn } from './dsn';
import type { Envelope, EnvelopeHeaders, EnvelopeItem, EnvelopeItemHeaders } from './types/envelope';
import { utf8Encoder } from './utf8-byte-length';

export type EnvelopeParseErrorCode =
  | 'MissingHeader'
  | 'InvalidHeader'
  | 'MissingNewline'
  | 'InvalidItemHeader'
  | 'UnexpectedEof'
  | 'InternalItemType';

export class EnvelopeParseError extends Error {
  override readonly name = 'EnvelopeParseError';

  constructor(
    readonly code: EnvelopeParseErrorCode,
    message: string,
    /** Byte offset in the envelope where the problem was found. */
    readonly offset: number,
    /** Index of the item at fault; undefined for the envelope header. */
    readonly itemIndex?: number,
  ) {
    super(
      `${code}: ${itemIndex === undefined ? 'envelope header' : `item ${itemIndex}`} at byte ${offset}: ${message}`,
    );
  }
}

export interface ParsedEnvelopeItem extends EnvelopeItem {
  payload: Uint8Array;
}

export interface ParsedEnvelope extends Envelope {
  items: ParsedEnvelopeItem[];
}

const NEWLINE = 0x0a;
const MAX_U32 = 0xffff_ffff;
const UUID_PATTERN = /^(?:[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;
const RFC3339_PATTERN = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;
/** Relay-internal item type that clients must never send (`ItemType::is_internal`). */
const INTERNAL_ITEM_TYPE = 'integration';

const strictDecoder = /* @__PURE__ */ new TextDecoder('utf-8', { fatal: true });
const lenientDecoder = /* @__PURE__ */ new TextDecoder();

/** Parses an envelope, throwing `EnvelopeParseError` wherever Relay would reject it. */
export function parseEnvelope(input: Uint8Array | string): ParsedEnvelope {
  const bytes = typeof input === 'string' ? utf8Encoder.encode(input) : input;

  const header = readJsonObject(bytes, 0);
  if (header.kind === 'eof') throw new EnvelopeParseError('MissingHeader', 'the envelope is empty', 0);
  if (header.kind === 'invalid') throw new EnvelopeParseError('InvalidHeader', header.reason, header.offset);
  const headerProblem = envelopeHeaderProblem(header.value);
  if (headerProblem) throw new EnvelopeParseError('InvalidHeader', headerProblem, header.start);
  requireTermination(bytes, header.end, 'envelope header');

  const items: ParsedEnvelopeItem[] = [];
  let offset = header.end + 1;
  while (offset < bytes.length) {
    const { item, next } = parseItem(bytes, offset, items.length);
    items.push(item);
    offset = next;
  }
  return { headers: header.value as EnvelopeHeaders, items };
}

/** The payload as text (UTF-8). */
export function itemPayloadText(item: EnvelopeItem): string {
  if (item.payload instanceof Uint8Array) return lenientDecoder.decode(item.payload);
  if (typeof item.payload === 'string') return item.payload;
  return JSON.stringify(item.payload);
}

/** The payload parsed as JSON; throws a SyntaxError when it is not JSON. */
export function itemPayloadJson<T = unknown>(item: EnvelopeItem): T {
  if (item.payload instanceof Uint8Array || typeof item.payload === 'string') {
    return JSON.parse(itemPayloadText(item)) as T;
  }
  return item.payload as T;
}

function parseItem(
  bytes: Uint8Array,
  start: number,
  index: number,
): { item: ParsedEnvelopeItem; next: number } {
  const header = readJsonObject(bytes, start);
  if (header.kind === 'eof') {
    throw new EnvelopeParseError(
      'UnexpectedEof',
      'expected an item header, found only whitespace',
      start,
      index,
    );
  }
  if (header.kind === 'invalid') {
    throw new EnvelopeParseError('InvalidItemHeader', header.reason, header.offset, index);
  }
  const problem = itemHeaderProblem(header.value);
  if (problem) throw new EnvelopeParseError('InvalidItemHeader', problem, header.start, index);
  const headers = header.value as EnvelopeItemHeaders;
  if (headers.type === INTERNAL_ITEM_TYPE) {
    throw new EnvelopeParseError(
      'InternalItemType',
      `item type "${INTERNAL_ITEM_TYPE}" is internal to Relay`,
      header.start,
      index,
    );
  }
  requireTermination(bytes, header.end, 'item header', index);

  // The last header needs no trailing newline, so the payload may start at EOF.
  const payloadStart = Math.min(header.end + 1, bytes.length);
  let payloadEnd: number;
  if (typeof headers.length === 'number') {
    payloadEnd = payloadStart + headers.length;
    if (payloadEnd > bytes.length) {
      throw new EnvelopeParseError(
        'UnexpectedEof',
        `length ${headers.length} overruns the envelope (${bytes.length - payloadStart} bytes left)`,
        payloadStart,
        index,
      );
    }
    requireTermination(bytes, payloadEnd, 'payload', index);
  } else {
    const newline = bytes.indexOf(NEWLINE, payloadStart);
    payloadEnd = newline === -1 ? bytes.length : newline;
  }
  return { item: { headers, payload: bytes.slice(payloadStart, payloadEnd) }, next: payloadEnd + 1 };
}

function requireTermination(bytes: Uint8Array, offset: number, what: string, itemIndex?: number): void {
  if (offset >= bytes.length || bytes[offset] === NEWLINE) return;
  const found = `0x${bytes[offset]!.toString(16).padStart(2, '0')}`;
  throw new EnvelopeParseError(
    'MissingNewline',
    `expected a newline or EOF after the ${what}, found byte ${found}`,
    offset,
    itemIndex,
  );
}

function envelopeHeaderProblem(headers: Record<string, unknown>): string | undefined {
  const { event_id: eventId, sent_at: sentAt, dsn } = headers;
  if (eventId != null && (typeof eventId !== 'string' || !UUID_PATTERN.test(eventId))) {
    return `event_id ${JSON.stringify(eventId)} is not a UUID`;
  }
  if (sentAt != null && (typeof sentAt !== 'string' || !RFC3339_PATTERN.test(sentAt))) {
    return `sent_at ${JSON.stringify(sentAt)} is not an RFC 3339 timestamp`;
  }
  if (dsn != null && (typeof dsn !== 'string' || !parseDsn(dsn)))
    return `dsn ${JSON.stringify(dsn)} is not a valid DSN`;
  return undefined;
}

function itemHeaderProblem(headers: Record<string, unknown>): string | undefined {
  if (typeof headers.type !== 'string') return 'the item header needs a string "type"';
  for (const key of ['length', 'item_count']) {
    const value = headers[key];
    if (
      value != null &&
      !(Number.isInteger(value) && (value as number) >= 0 && (value as number) <= MAX_U32)
    ) {
      return `${key} ${JSON.stringify(value)} is not an unsigned 32-bit integer`;
    }
  }
  for (const key of ['content_type', 'filename', 'attachment_type', 'platform']) {
    if (headers[key] != null && typeof headers[key] !== 'string') return `${key} must be a string`;
  }
  return undefined;
}

type JsonObjectRead =
  | { kind: 'eof' }
  | { kind: 'invalid'; reason: string; offset: number }
  | { kind: 'ok'; value: Record<string, unknown>; start: number; end: number };

/**
 * Reads one JSON object the way serde_json's stream deserializer does: JSON whitespace before it is
 * skipped, and the returned `end` is the offset just past its closing brace. Duplicate top-level keys are
 * rejected (serde rejects duplicated typed fields such as `sent_at`).
 */
function readJsonObject(bytes: Uint8Array, from: number): JsonObjectRead {
  const start = skipWhitespace(bytes, from);
  if (start >= bytes.length) return { kind: 'eof' };
  if (bytes[start] !== 0x7b) return { kind: 'invalid', reason: 'expected a JSON object', offset: start };

  const keySpans: Array<[number, number]> = [];
  let depth = 0;
  let inString = false;
  let stringStart = 0;
  let expectKey = false;
  for (let i = start; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (inString) {
      if (byte === 0x5c) i++;
      else if (byte === 0x22) {
        inString = false;
        if (expectKey) keySpans.push([stringStart, i + 1]);
        expectKey = false;
      }
      continue;
    }
    if (byte === 0x22) {
      inString = true;
      stringStart = i;
      expectKey &&= depth === 1;
    } else if (byte === 0x7b || byte === 0x5b) {
      depth++;
      expectKey = depth === 1;
    } else if (byte === 0x7d || byte === 0x5d) {
      depth--;
      if (depth === 0) return decodeObject(bytes, start, i + 1, keySpans);
    } else if (byte === 0x2c && depth === 1) {
      expectKey = true;
    }
  }
  return { kind: 'invalid', reason: 'unterminated JSON object', offset: bytes.length };
}

function decodeObject(
  bytes: Uint8Array,
  start: number,
  end: number,
  keySpans: Array<[number, number]>,
): JsonObjectRead {
  let value: unknown;
  const keys = new Set<string>();
  try {
    value = JSON.parse(strictDecoder.decode(bytes.subarray(start, end)));
    for (const [keyStart, keyEnd] of keySpans) {
      const key = JSON.parse(strictDecoder.decode(bytes.subarray(keyStart, keyEnd))) as string;
      if (keys.has(key)) return { kind: 'invalid', reason: `duplicate key "${key}"`, offset: keyStart };
      keys.add(key);
    }
  } catch (error) {
    return { kind: 'invalid', reason: `not valid JSON (${(error as Error).message})`, offset: start };
  }
  return { kind: 'ok', value: value as Record<string, unknown>, start, end };
}

function skipWhitespace(bytes: Uint8Array, offset: number): number {
  while (offset < bytes.length) {
    const byte = bytes[offset];
    if (byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09) break;
    offset++;
  }
  return offset;
}
