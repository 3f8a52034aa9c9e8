/**
 * Envelope bodies as UTF-8, encoded once, straight from the envelope's parts. The transport needs a
 * body's size before it writes it: `Buffer.byteLength` and then the socket's own encoding of the
 * string walked every body twice, and joining the parts into one string first copied the whole
 * envelope (~2.5 KB a transaction) only to encode it. Small bodies are written into a shared slab,
 * as Node's Buffer pool does, so that they cost no allocation of their own; a slab lives for as long
 * as a body cut from it is being written.
 */
const SLAB_BYTES = 64 * 1024;
/** A UTF-16 code unit never takes more than 3 bytes of UTF-8 (a surrogate pair: 2 units, 4 bytes). */
const MAX_BYTES_PER_UNIT = 3;

let slab = Buffer.allocUnsafeSlow(0);
let used = 0;

/** The parts (text as UTF-8, bytes as they are) one after the other. */
export function encodedBody(parts: ReadonlyArray<string | Uint8Array>): Uint8Array {
  let most = 0;
  for (const part of parts) most += typeof part === 'string' ? part.length * MAX_BYTES_PER_UNIT : part.length;
  if (most > SLAB_BYTES / 2)
    return Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part) : part)));
  if (slab.length - used < most) {
    slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
    used = 0;
  }
  const start = used;
  // Buffer#write encodes at an offset without a view of the slab per part.
  for (const part of parts) {
    if (typeof part === 'string') used += slab.write(part, used);
    else {
      slab.set(part, used);
      used += part.length;
    }
  }
  return slab.subarray(start, used);
}
