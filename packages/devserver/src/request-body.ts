/**
 * Reads a request body within the size limit and undoes its `Content-Encoding` (PROTOCOL.md §1.3: gzip,
 * x-gzip, deflate, br; zstd where this Node has it). Decompression is bounded too, so a small "zip bomb"
 * gets a 413 instead of filling memory.
 */
import type { IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import { IngestError } from './ingest-error';

type Decompress = (input: Buffer, options: zlib.ZlibOptions & zlib.BrotliOptions) => Promise<Buffer>;

const inflate = promisify(zlib.inflate) as Decompress;
const inflateRaw = promisify(zlib.inflateRaw) as Decompress;
const zstd = (zlib as unknown as { zstdDecompress?: typeof zlib.gunzip }).zstdDecompress;

const DECODERS: Record<string, Decompress> = {
  gzip: promisify(zlib.gunzip) as Decompress,
  'x-gzip': promisify(zlib.gunzip) as Decompress,
  br: promisify(zlib.brotliDecompress) as Decompress,
  // Sentry's "deflate" is zlib-wrapped; some clients send raw deflate under the same name.
  deflate: (input, options) =>
    inflate(input, options).catch((error: { code?: string }) => {
      if (error.code === 'ERR_BUFFER_TOO_LARGE') throw error;
      return inflateRaw(input, options);
    }),
  ...(zstd ? { zstd: promisify(zstd) as Decompress } : {}),
};

/** Beyond this much declared body the connection is refused at once instead of being drained. */
const DRAIN_FACTOR = 4;

export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Uint8Array> {
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  const decode = encoding === 'identity' || encoding === '' ? undefined : DECODERS[encoding];
  if (encoding !== 'identity' && encoding !== '' && !decode) {
    throw new IngestError(415, `unsupported content encoding "${encoding}"`);
  }
  const declared = Number(req.headers['content-length'] ?? Number.NaN);
  if (declared > maxBytes * DRAIN_FACTOR) {
    throw new IngestError(413, `request body of ${declared} bytes is over the ${maxBytes}-byte limit`);
  }
  const raw = await readRaw(req, maxBytes);
  if (!decode) return raw;
  try {
    return await decode(raw, { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new IngestError(413, `decompressed body is over the ${maxBytes}-byte limit`);
    }
    throw new IngestError(400, `cannot decode ${encoding} body: ${(error as Error).message}`);
  }
}

/** Keeps reading past the limit (discarding) so the client gets the 413 instead of a reset connection. */
function readRaw(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
      else if (size > maxBytes * DRAIN_FACTOR) {
        reject(new IngestError(413, `request body is over the ${maxBytes}-byte limit`));
        req.destroy();
      }
    });
    req.on('end', () =>
      size > maxBytes
        ? reject(new IngestError(413, `request body of ${size} bytes is over the ${maxBytes}-byte limit`))
        : resolve(Buffer.concat(chunks, size)),
    );
    req.on('error', reject);
    req.on('close', () => {
      if (!req.complete) reject(new IngestError(400, 'the request body was cut off'));
    });
  });
}
