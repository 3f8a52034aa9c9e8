/**
 * Envelope bodies as UTF-8, encoded once. The transport needs a body's size before it writes it:
 * `Buffer.byteLength` and then the socket's own encoding of the string walked every body twice.
 * Small bodies are encoded into a shared slab, as Node's Buffer pool does, so that they cost no
 * allocation of their own; a slab lives for as long as a body cut from it is being written.
 */
const SLAB_BYTES = 64 * 1024;
/** A UTF-16 code unit never takes more than 3 bytes of UTF-8 (a surrogate pair: 2 units, 4 bytes). */
const MAX_BYTES_PER_UNIT = 3;

const encoder = new TextEncoder();
let slab = new Uint8Array(0);
let used = 0;

export function encodedBody(text: string): Uint8Array {
  const most = text.length * MAX_BYTES_PER_UNIT;
  if (most > SLAB_BYTES / 2) return encoder.encode(text);
  if (slab.length - used < most) {
    slab = new Uint8Array(SLAB_BYTES);
    used = 0;
  }
  const start = used;
  used += encoder.encodeInto(text, slab.subarray(start)).written;
  return slab.subarray(start, used);
}
