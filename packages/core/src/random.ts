/** Ids and random numbers. Uses Web Crypto where the runtime has it (Node ≥ 19, browsers, workers, edge). */

interface CryptoLike {
  getRandomValues<T extends Uint8Array>(array: T): T;
  randomUUID?(): string;
}

const crypto = (globalThis as { crypto?: CryptoLike }).crypto;
// One getRandomValues call per id costs about a microsecond in Node; a pool refilled 4 KiB at a time
// makes an id a few array reads on the hot path of every span.
const POOL_SIZE = 4096;
const pool = new Uint8Array(POOL_SIZE);
let poolOffset = POOL_SIZE;
/**
 * The character codes of the id being built, one reused array per id length. One
 * String.fromCharCode call makes the id a single flat string: concatenating two-digit pieces made a
 * rope of 16–32 parts (~330 B per trace + span id, and slower).
 */
const codesByLength: Record<number, number[]> = {};

function refillPool(): void {
  if (crypto) crypto.getRandomValues(pool);
  else for (let i = 0; i < POOL_SIZE; i++) pool[i] = (Math.random() * 256) | 0;
  poolOffset = 0;
}

/** The code of one lowercase hex digit: '0'–'9' are 48–57, 'a'–'f' 97–102. */
const hexDigitCode = (nibble: number): number => nibble + (nibble < 10 ? 48 : 87);

function randomHexCodes(byteCount: number): number[] {
  if (poolOffset + byteCount > POOL_SIZE) refillPool();
  codesByLength[byteCount] ??= [];
  const codes = codesByLength[byteCount];
  let zero = true;
  for (let i = 0; i < byteCount; i++) {
    const byte = pool[poolOffset++]!;
    if (byte !== 0) zero = false;
    codes[2 * i] = hexDigitCode(byte >> 4);
    codes[2 * i + 1] = hexDigitCode(byte & 15);
  }
  // The ingest rejects all-zero ids; the chance is negligible, but cheap to rule out.
  return zero ? randomHexCodes(byteCount) : codes;
}

const randomHex = (byteCount: number): string => String.fromCharCode.apply(null, randomHexCodes(byteCount));

/** 32 lowercase hex characters, a version-4 UUID without dashes (event ids). */
export function uuid4(): string {
  const codes = randomHexCodes(16);
  codes[12] = 52; // '4', the version
  // The variant: the top two bits of the 17th digit (the high half of the 9th byte just read) are 10.
  codes[16] = hexDigitCode(((pool[poolOffset - 8]! >> 4) & 0x3) | 0x8);
  return String.fromCharCode.apply(null, codes);
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
