/**
 * Reads one HTTP/1.1 response at a time off an ingest connection, as its bytes arrive: the status,
 * the two headers the transport acts on (rate limits, Retry-After), whether the connection may be
 * reused, and where the body ends (Content-Length, chunked, or the connection closing). The body
 * itself (`{}` or an error text) is skipped; other headers are not kept.
 */
export interface IngestResponse {
  statusCode: number;
  rateLimits: string | null;
  retryAfter: string | null;
  keepAlive: boolean;
}

const MAX_HEAD_BYTES = 64 * 1024;
const MAX_LINE_BYTES = 4096;
const HEAD_END = Buffer.from('\r\n\r\n');
const STATUS_LINE = /^HTTP\/1\.([01]) (\d{3})(?: |$)/;

type BodyState =
  | { kind: 'length'; remaining: number }
  | { kind: 'chunked'; phase: 'size' | 'data' | 'data-end' | 'trailer'; line: string; remaining: number }
  | { kind: 'until-close' };

export class HttpResponseReader {
  /** Whether any byte of a response arrived since the last `reset`. */
  received = false;
  private head: Buffer | undefined;
  private response: IngestResponse | undefined;
  private body: BodyState | undefined;

  /** Ready for the response to the next request. */
  reset(): void {
    this.received = false;
    this.head = undefined;
    this.response = undefined;
    this.body = undefined;
  }

  /** Feeds bytes; returns the response once it is complete. Throws on bytes that are not HTTP/1.x. */
  push(chunk: Buffer): IngestResponse | undefined {
    if (chunk.length > 0) this.received = true;
    let rest: Buffer | undefined = chunk;
    while (rest && rest.length > 0) {
      if (!this.body) {
        rest = this.readHead(rest);
        continue;
      }
      const done = this.readBody(rest);
      if (done === undefined) return undefined;
      const response = this.response as IngestResponse;
      // Nothing is pipelined, so bytes past the response mean the connection cannot be trusted.
      if (done < rest.length) response.keepAlive = false;
      return response;
    }
    return this.body && this.isBodyComplete() ? this.response : undefined;
  }

  /** The connection ended: a response whose body runs until close is complete now. */
  end(): IngestResponse | undefined {
    return this.body?.kind === 'until-close' ? this.response : undefined;
  }

  private isBodyComplete(): boolean {
    const body = this.body;
    return body?.kind === 'length' && body.remaining === 0;
  }

  /** Consumes head bytes; returns what follows the head, or undefined when more is needed. */
  private readHead(chunk: Buffer): Buffer | undefined {
    const buffered = this.head ? Buffer.concat([this.head, chunk]) : chunk;
    const end = buffered.indexOf(HEAD_END);
    if (end === -1) {
      if (buffered.length > MAX_HEAD_BYTES) throw new Error('The ingest sent an oversized response head.');
      this.head = buffered;
      return undefined;
    }
    this.head = undefined;
    const rest = buffered.subarray(end + HEAD_END.length);
    const parsed = parseHead(buffered.toString('latin1', 0, end));
    // 1xx responses (100 Continue, 103 Early Hints) precede the real one.
    if (parsed.response.statusCode < 200) return rest;
    this.response = parsed.response;
    this.body = parsed.body;
    return rest;
  }

  /** Consumes body bytes; returns how many bytes the body took once it is complete. */
  private readBody(chunk: Buffer): number | undefined {
    const body = this.body as BodyState;
    if (body.kind === 'until-close') return undefined;
    if (body.kind === 'length') {
      const taken = Math.min(body.remaining, chunk.length);
      body.remaining -= taken;
      return body.remaining === 0 ? taken : undefined;
    }
    return readChunked(body, chunk);
  }
}

/**
 * The fields the transport acts on, by name length (each length names one): a line whose name has
 * none of these lengths is skipped without being sliced or lower-cased (most of an ingest's headers:
 * Date, Content-Type, …).
 */
const FIELD_BY_LENGTH: Record<number, string> = {
  10: 'connection',
  11: 'retry-after',
  14: 'content-length',
  17: 'transfer-encoding',
  20: 'x-sentry-rate-limits',
};

function parseHead(text: string): { response: IngestResponse; body: BodyState } {
  const statusEnd = lineEnd(text, 0);
  const status = STATUS_LINE.exec(text.slice(0, statusEnd));
  if (!status)
    throw new Error(
      `The ingest answered with something other than HTTP/1.x: ${JSON.stringify(text.slice(0, Math.min(statusEnd, 64)))}`,
    );
  const statusCode = Number(status[2]);
  const response: IngestResponse = {
    statusCode,
    rateLimits: null,
    retryAfter: null,
    keepAlive: status[1] === '1',
  };
  let contentLength: number | undefined;
  let chunked = false;
  for (let start = statusEnd + 2; start < text.length; ) {
    const end = lineEnd(text, start);
    const colon = text.indexOf(':', start);
    const name = colon > start && colon < end ? fieldName(text, start, colon) : undefined;
    if (name !== undefined) {
      const value = text.slice(colon + 1, end).trim();
      if (name === 'content-length') contentLength = parseContentLength(value);
      else if (name === 'transfer-encoding') chunked = /(?:^|,)\s*chunked\s*$/i.test(value);
      else if (name === 'connection') applyConnectionHeader(response, value);
      else if (name === 'x-sentry-rate-limits') response.rateLimits ??= value;
      else response.retryAfter ??= value;
    }
    start = end + 2;
  }
  if (statusCode === 101) throw new Error('The ingest tried to switch protocols.');
  if (statusCode < 200 || statusCode === 204 || statusCode === 304)
    return { response, body: { kind: 'length', remaining: 0 } };
  if (chunked) return { response, body: { kind: 'chunked', phase: 'size', line: '', remaining: 0 } };
  if (contentLength !== undefined) return { response, body: { kind: 'length', remaining: contentLength } };
  response.keepAlive = false;
  return { response, body: { kind: 'until-close' } };
}

function lineEnd(text: string, from: number): number {
  const end = text.indexOf('\r\n', from);
  return end === -1 ? text.length : end;
}

/**
 * The field a header line names, lower-cased, when it is one the transport reads. Whitespace around
 * the name (which RFC 9112 forbids, but the reader has always tolerated) takes the slower path.
 */
function fieldName(text: string, start: number, colon: number): string | undefined {
  const padded = text.charCodeAt(start) <= 32 || text.charCodeAt(colon - 1) <= 32;
  if (!padded && FIELD_BY_LENGTH[colon - start] === undefined) return undefined;
  const raw = text.slice(start, colon);
  const name = (padded ? raw.trim() : raw).toLowerCase();
  return FIELD_BY_LENGTH[name.length] === name ? name : undefined;
}

function parseContentLength(value: string): number {
  if (!/^\d{1,15}$/.test(value))
    throw new Error(`The ingest sent an invalid Content-Length: ${JSON.stringify(value.slice(0, 32))}`);
  return Number(value);
}

function applyConnectionHeader(response: IngestResponse, value: string): void {
  for (const token of value.toLowerCase().split(',')) {
    const option = token.trim();
    if (option === 'close') response.keepAlive = false;
    else if (option === 'keep-alive') response.keepAlive = true;
  }
}

type ChunkedBody = Extract<BodyState, { kind: 'chunked' }>;

/** Walks chunk sizes, data and trailers (RFC 9112 §7.1); returns the bytes used once the body ends. */
function readChunked(body: ChunkedBody, chunk: Buffer): number | undefined {
  let offset = 0;
  while (offset < chunk.length) {
    if (body.phase === 'data') {
      const taken = Math.min(body.remaining, chunk.length - offset);
      body.remaining -= taken;
      offset += taken;
      if (body.remaining === 0) body.phase = 'data-end';
      continue;
    }
    const newline = chunk.indexOf(10, offset);
    const end = newline === -1 ? chunk.length : newline;
    body.line += chunk.toString('latin1', offset, end);
    offset = newline === -1 ? chunk.length : newline + 1;
    if (body.line.length > MAX_LINE_BYTES) throw new Error('The ingest sent an oversized chunk line.');
    if (newline === -1) return undefined;
    const line = body.line.endsWith('\r') ? body.line.slice(0, -1) : body.line;
    body.line = '';
    if (body.phase === 'data-end') {
      if (line !== '') throw new Error('The ingest sent a malformed chunked body.');
      body.phase = 'size';
    } else if (body.phase === 'size') {
      const size = /^([0-9a-fA-F]{1,8})(?:\s*;.*)?$/.exec(line);
      if (!size) throw new Error('The ingest sent a malformed chunk size.');
      body.remaining = Number.parseInt(size[1] as string, 16);
      body.phase = body.remaining === 0 ? 'trailer' : 'data';
    } else if (line === '') {
      return offset;
    }
  }
  return undefined;
}
