/** Ids and random numbers. Uses Web Crypto where the runtime has it (Node ≥ 19, browsers, workers, edge). */

interface CryptoLike {
  getRandomValues<T extends Uint8Array>(array: T): T;
  randomUUID?(): string;
}

const crypto = (globalThis as { crypto?: CryptoLike }).crypto;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
// One getRandomValues call per id costs about a microsecond in Node; a pool refilled 4 KiB at a time
// makes an id a few array reads on the hot path of every span.
const POOL_SIZE = 4096;
const pool = new Uint8Array(POOL_SIZE);
let poolOffset = POOL_SIZE;

function refillPool(): void {
  if (crypto) crypto.getRandomValues(pool);
  else for (let i = 0; i < POOL_SIZE; i++) pool[i] = (Math.random() * 256) | 0;
  poolOffset = 0;
}

function randomHex(byteCount: number): string {
  if (poolOffset + byteCount > POOL_SIZE) refillPool();
  let out = '';
  let zero = true;
  for (let i = 0; i < byteCount; i++) {
    const byte = pool[poolOffset++]!;
    if (byte !== 0) zero = false;
    out += HEX[byte];
  }
  // The ingest rejects all-zero ids; the chance is negligible, but cheap to rule out.
  return zero ? randomHex(byteCount) : out;
}

/** 32 lowercase hex characters, a version-4 UUID without dashes (event ids). */
export function uuid4(): string {
  const hex = randomHex(16);
  const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 12)}4${hex.slice(13, 16)}${variant}${hex.slice(17)}`;
}

/** 32 hex trace id, never all zero. */
export function generateTraceId(): string {
  return randomHex(16);
}

/** 16 hex span id, never all zero. */
export function generateSpanId(): string {
  return randomHex(8);
}

/**
 * A number in [0, 1) with at most 6 decimals, the `sample_rand` of a new trace. Quantised up front so
 * that the 6-decimal string sent in baggage is exactly the number the decision was made with.
 */
export function generateSampleRand(): number {
  return Math.floor(Math.random() * 1e6) / 1e6;
}
