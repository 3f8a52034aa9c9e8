/** Building and serialising envelopes (PROTOCOL.md §2). Parsing lives in envelope-parser.ts. */
import type { Envelope, EnvelopeHeaders, EnvelopeItem } from './types/envelope';
import { utf8ByteLength, utf8Encoder } from './utf8-byte-length';

export function createEnvelope(headers: EnvelopeHeaders, items: EnvelopeItem[] = []): Envelope {
  return { headers, items };
}

export function addItemToEnvelope(envelope: Envelope, item: EnvelopeItem): Envelope {
  return { headers: envelope.headers, items: [...envelope.items, item] };
}

/**
 * Serialises an envelope. Returns a string when every payload is text, bytes when an item carries
 * binary data. Item `length` is always the UTF-8 byte length of the payload. `stringify` writes the
 * JSON of object payloads: a runtime may supply one that reuses the JSON of parts every event repeats.
 */
export function serializeEnvelope(
  envelope: Envelope,
  stringify?: (payload: object) => string,
): string | Uint8Array {
  const parts = envelopeParts(envelope, stringify);
  if (parts.every((part) => typeof part === 'string')) return parts.join('');
  const chunks = parts.map((part) => (typeof part === 'string' ? utf8Encoder.encode(part) : part));
  const out = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/**
 * The envelope as the pieces `serializeEnvelope` joins, in order: header lines as text, payloads as
 * text or bytes. A runtime that encodes them itself skips the joined copy of the whole envelope.
 */
export function envelopeParts(
  envelope: Envelope,
  stringify: (payload: object) => string = JSON.stringify,
): Array<string | Uint8Array> {
  const parts: Array<string | Uint8Array> = [JSON.stringify(envelope.headers)];
  for (const item of envelope.items) {
    const payload =
      item.payload instanceof Uint8Array || typeof item.payload === 'string'
        ? item.payload
        : stringify(item.payload as object);
    const length = typeof payload === 'string' ? utf8ByteLength(payload) : payload.length;
    // Object.assign, not `{ ...headers, length }`: V8 adds to a spread-built object on a slow path.
    parts.push(`\n${JSON.stringify(Object.assign({}, item.headers, { length }))}\n`, payload);
  }
  return parts;
}
