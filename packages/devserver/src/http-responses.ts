/** Small response helpers shared by the ingest, the API and the UI routes. */
import type { IncomingMessage, ServerResponse } from 'node:http';

export const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
  'access-control-expose-headers': 'x-sentry-error, x-sentry-rate-limits, retry-after',
  'access-control-max-age': '86400',
};

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...CORS_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

/** Sentry's error shape: `{"detail": …}` and the `X-Sentry-Error` header SDKs log. */
export function sendError(res: ServerResponse, status: number, detail: string): void {
  sendJson(res, status, { detail }, { 'x-sentry-error': detail.replace(/[^\x20-\x7e]/g, '?').slice(0, 500) });
}

/** CORS preflight: browsers ask before sending envelopes with `content-type` or auth headers. */
export function sendPreflight(req: IncomingMessage, res: ServerResponse): void {
  const requested = req.headers['access-control-request-headers'];
  res.writeHead(200, {
    ...CORS_HEADERS,
    'access-control-allow-headers':
      requested ?? 'content-type, x-sentry-auth, content-encoding, sentry-trace, baggage',
    'content-length': 0,
  });
  res.end();
}
