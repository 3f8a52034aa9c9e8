/** Ids and random numbers. Uses Web Crypto where the runtime has it (Node ≥ 19, browsers, workers, edge). */

interface CryptoLike {
  getRandomValues<T extends Uint8Array>(array: T): T;
  randomUUID?(): string;
}

const crypto = (globalThis as { crypto?: CryptoLike }).crypto;
// One getRandomValues call per id costs about a microsecond in Node; a pool refilled 4 KiB at a time
// makes an id a slice of a string on the hot path of every request and span.
const POOL_SIZE = 4096;
const pool = new Uint8Array(POOL_SIZE);
/**
 * The pool as lowercase hex, written in bulk at each refill. An id is a slice of it, which V8 keeps as
 * a view of this string rather than a copy: 75–100 ns for a trace and a span id, against 550–750 ns
 * when each id was built from character codes (one retained id keeps its 8 KB pool string alive).
 */
let poolHex = '';
let poolOffset = POOL_SIZE;
const poolDigits = new Uint8Array(2 * POOL_SIZE);
const asciiDecoder = new TextDecoder();

/** The code of one lowercase hex digit: '0'–'9' are 48–57, 'a'–'f' 97–102. */
const hexDigitCode = (nibble: number): number => nibble + (nibble < 10 ? 48 : 87);

let encodePool = (): string => {
  for (let i = 0; i < POOL_SIZE; i++) {
    poolDigits[2 * i] = hexDigitCode(pool[i]! >> 4);
    poolDigits[2 * i + 1] = hexDigitCode(pool[i]! & 15);
  }
  return asciiDecoder.decode(poolDigits);
};

/**
 * Installs a runtime's native hex encoding for the pool (Node's `Buffer`): a refill runs too rarely
 * for V8 to optimise the loop over 4 KiB above, which, interpreted, cost more than the ids it serves.
 */
export function setHexEncoder(encode: (bytes: Uint8Array) => string): void {
  encodePool = () => encode(pool);
}

function refillPool(): void {
  if (crypto) crypto.getRandomValues(pool);
  // A Uint8Array keeps the integer part of what is stored.
  else for (let i = 0; i < POOL_SIZE; i++) pool[i] = Math.random() * 256;
  poolOffset = 0;
  poolHex = encodePool();
}

/** `byteCount` unused random bytes as hex; never all zero, which the ingest rejects. */
function randomHex(byteCount: number): string {
  for (;;) {
    if (poolOffset + byteCount > POOL_SIZE) refillPool();
    const start = poolOffset;
    poolOffset += byteCount;
    for (let i = start; i < poolOffset; i++) if (pool[i]) return poolHex.slice(2 * start, 2 * poolOffset);
  }
}

/** 32 lowercase hex characters, a version-4 UUID without dashes (event ids). */
export function uuid4(): string {
  const hex = randomHex(16);
  // The version digit is '4'. The variant digit (the 17th, the high half of the 9th byte just taken)
  // has its top two bits 10; its other two stay random.
  const variant = '89ab'[(pool[poolOffset - 8]! >> 4) & 3];
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
