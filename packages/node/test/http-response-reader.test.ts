/** The ingest connection's response reader, fed the way sockets deliver bytes: whole or split anywhere. */
import { describe, expect, it } from 'vitest';
import { HttpResponseReader, type IngestResponse } from '../src/http-response-reader';

/** Feeds `text` in pieces of `size` bytes; returns the response and the piece it completed on. */
function feed(text: string, size = text.length): { response?: IngestResponse; at: number; pieces: number } {
  const reader = new HttpResponseReader();
  const bytes = Buffer.from(text, 'latin1');
  let pieces = 0;
  for (let offset = 0; offset < bytes.length; offset += size) {
    pieces += 1;
    const response = reader.push(bytes.subarray(offset, offset + size));
    if (response) return { response, at: offset + size, pieces };
  }
  return { at: -1, pieces };
}

const chunked =
  'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-Sentry-Rate-Limits: 60:transaction:key\r\n\r\n' +
  '2\r\n{}\r\n1a;ext=1\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nX-Trailer: yes\r\n\r\n';

describe('HttpResponseReader', () => {
  it('reads a Content-Length response, whatever the split', () => {
    const text =
      'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 41\r\n\r\n{"id":"e3c3b9a1a4b64e77b1a9e2f2f0b8c1d2"}';
    for (const size of [1, 2, 7, 16, text.length]) {
      const { response, at } = feed(text, size);
      expect(response).toEqual({ statusCode: 200, rateLimits: null, retryAfter: null, keepAlive: true });
      expect(Math.min(at, text.length)).toBe(text.length);
    }
  });

  it('reads chunked bodies with extensions and trailers, split anywhere', () => {
    for (let size = 1; size <= chunked.length; size++) {
      const { response } = feed(chunked, size);
      expect(response, `pieces of ${size}`).toEqual({
        statusCode: 200,
        rateLimits: '60:transaction:key',
        retryAfter: null,
        keepAlive: true,
      });
    }
  });

  it('is not complete before the last byte of the body', () => {
    const reader = new HttpResponseReader();
    expect(
      reader.push(
        Buffer.from('HTTP/1.1 429 Too Many Requests\r\nRetry-After: 60\r\nContent-Length: 4\r\n\r\nab'),
      ),
    ).toBeUndefined();
    expect(reader.received).toBe(true);
    expect(reader.push(Buffer.from('cd'))).toEqual({
      statusCode: 429,
      rateLimits: null,
      retryAfter: '60',
      keepAlive: true,
    });
  });

  it('skips 1xx responses and reads the final one', () => {
    const { response } = feed(
      'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 413 Payload Too Large\r\nContent-Length: 0\r\n\r\n',
      5,
    );
    expect(response?.statusCode).toBe(413);
  });

  it('has no body for 204 and 304', () => {
    expect(feed('HTTP/1.1 204 No Content\r\n\r\n').response?.statusCode).toBe(204);
    expect(feed('HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n').response?.statusCode).toBe(304);
  });

  it('follows Connection and the HTTP version for reuse', () => {
    expect(
      feed('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n').response?.keepAlive,
    ).toBe(false);
    expect(feed('HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n').response?.keepAlive).toBe(false);
    expect(
      feed('HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n').response?.keepAlive,
    ).toBe(true);
  });

  it('reads a body without length up to the end of the connection, and never reuses it', () => {
    const reader = new HttpResponseReader();
    expect(reader.push(Buffer.from('HTTP/1.1 200 OK\r\n\r\n{"id":"1"}'))).toBeUndefined();
    expect(reader.end()).toEqual({ statusCode: 200, rateLimits: null, retryAfter: null, keepAlive: false });
  });

  it('does not trust a connection that sent more than the response', () => {
    expect(
      feed('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}HTTP/1.1 200 OK\r\n').response?.keepAlive,
    ).toBe(false);
  });

  it('keeps the first of repeated rate-limit headers', () => {
    const { response } = feed(
      'HTTP/1.1 200 OK\r\nx-sentry-rate-limits: 10::organization\r\nX-Sentry-Rate-Limits: 20:error\r\nContent-Length: 0\r\n\r\n',
    );
    expect(response?.rateLimits).toBe('10::organization');
  });

  it('reads the fields it acts on in any case, around other fields of the same name length', () => {
    const { response } = feed(
      'HTTP/1.1 429 Too Many Requests\r\nKeep-Alive: timeout=5\r\nCONNECTION: close\r\n' +
        'Retry-Aftex: 1\r\nrEtRy-AfTeR: 30\r\nContent-Lengtx: 9\r\nContent-Length : 3\r\n' +
        'x-sentry-rate-limitz: 1::organization\r\nX-SENTRY-RATE-LIMITS: 30:transaction:key\r\n\r\n{}!',
    );
    expect(response).toEqual({
      statusCode: 429,
      rateLimits: '30:transaction:key',
      retryAfter: '30',
      keepAlive: false,
    });
  });

  it('rejects what is not HTTP/1.x or is malformed', () => {
    expect(() => feed('SSH-2.0-OpenSSH_9.2\r\n\r\n')).toThrow(/other than HTTP\/1\.x/);
    expect(() => feed('HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n')).toThrow(/invalid Content-Length/);
    expect(() => feed('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n')).toThrow(
      /malformed chunk size/,
    );
    expect(() => feed('HTTP/1.1 101 Switching Protocols\r\n\r\n')).toThrow(/switch protocols/);
    expect(() => feed(`HTTP/1.1 200 OK\r\n${'X-Long: y\r\n'.repeat(8000)}`)).toThrow(
      /oversized response head/,
    );
  });

  it('starts over after reset', () => {
    const reader = new HttpResponseReader();
    expect(reader.push(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'))?.statusCode).toBe(200);
    reader.reset();
    expect(reader.received).toBe(false);
    expect(
      reader.push(Buffer.from('HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n'))?.statusCode,
    ).toBe(500);
  });
});
