/** Request body `Content-Encoding` handling as Relay does it (PROTOCOL.md §1.3). */
import * as zlib from 'node:zlib';

export class BodyDecodingError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

type Decoder = (body: Buffer) => Buffer;

/** `zstd` only exists in newer Node versions; without it zstd bodies get 415 like an unknown encoding. */
const zstdDecompress = (zlib as { zstdDecompressSync?: Decoder }).zstdDecompressSync;

const DECODERS: ReadonlyMap<string, Decoder> = new Map<string, Decoder>([
  ['gzip', zlib.gunzipSync],
  ['x-gzip', zlib.gunzipSync],
  // Relay's `deflate` is the zlib format (RFC 1950), not raw deflate.
  ['deflate', zlib.inflateSync],
  ['br', zlib.brotliDecompressSync],
  ...(zstdDecompress ? ([['zstd', zstdDecompress]] as const) : []),
]);

/** Undoes every listed encoding, last applied first. */
export function decodeBody(raw: Buffer, contentEncoding: string | undefined): Buffer {
  const encodings = (contentEncoding ?? '')
    .split(',')
    .map((encoding) => encoding.trim().toLowerCase())
    .filter((encoding) => encoding && encoding !== 'identity');
  let body = raw;
  for (const encoding of encodings.reverse()) {
    const decode = DECODERS.get(encoding);
    if (!decode) throw new BodyDecodingError(415, `unsupported content encoding "${encoding}"`);
    try {
      body = decode(body);
    } catch (error) {
      throw new BodyDecodingError(400, `failed to decode ${encoding} body: ${(error as Error).message}`);
    }
  }
  return body;
}
