/** Building and serialising envelopes (PROTOCOL.md §2). Parsing lives in envelope-parser.ts. */
import type { Envelope, EnvelopeHeaders, EnvelopeItem } from './types/envelope';

const encoder = new TextEncoder();

export function createEnvelope(headers: EnvelopeHeaders, items: EnvelopeItem[] = []): Envelope {
  return { headers, items };
}

export function addItemToEnvelope(envelope: Envelope, item: EnvelopeItem): Envelope {
  return { headers: envelope.headers, items: [...envelope.items, item] };
}

/**
 * Serialises an envelope. Returns a string when every payload is text, bytes when an item carries
 * binary data. Item `length` is always the UTF-8 byte length of the payload.
 */
export function serializeEnvelope(envelope: Envelope): string | Uint8Array {
  const parts: Array<string | Uint8Array> = [JSON.stringify(envelope.headers)];
  let binary = false;
  for (const item of envelope.items) {
    const payload = payloadToWire(item.payload);
    const length = typeof payload === 'string' ? utf8ByteLength(payload) : payload.length;
    parts.push(`\n${JSON.stringify({ ...item.headers, length })}\n`, payload);
    if (typeof payload !== 'string') binary = true;
  }
  if (!binary) return parts.join('');
  const chunks = parts.map((part) => (typeof part === 'string' ? encoder.encode(part) : part));
  const out = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

function payloadToWire(payload: unknown): string | Uint8Array {
  if (payload instanceof Uint8Array || typeof payload === 'string') return payload;
  return JSON.stringify(payload);
}

/** UTF-8 byte length without encoding: every envelope item needs it, and most payloads are large JSON. */
export function utf8ByteLength(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) continue;
    if (code < 0x800) bytes += 1;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        // A surrogate pair: 2 UTF-16 units, 4 bytes.
        bytes += 2;
        i++;
      } else bytes += 2;
    } else bytes += 2;
  }
  return bytes;
}
