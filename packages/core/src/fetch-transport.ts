/**
 * A transport over the runtime's global `fetch`: the default wherever no runtime package supplies a
 * better one (edge runtimes, workers, Deno, Bun). Node and browsers replace it with their own.
 */
import { createTransport } from './base-transport';
import type { Transport, TransportOptions } from './types/transport';

interface FetchResponseLike {
  status: number;
  headers: { get(name: string): string | null };
  body?: { cancel(): Promise<void> } | null;
}
type FetchLike = (url: string, init: Record<string, unknown>) => Promise<FetchResponseLike>;

export interface FetchTransportOptions extends TransportOptions {
  fetchImpl?: FetchLike;
  /** Milliseconds before a request is aborted (default 30 s). */
  timeout?: number;
}

export function makeFetchTransport(options: FetchTransportOptions): Transport {
  const fetchImpl = options.fetchImpl ?? (globalThis as { fetch?: FetchLike }).fetch;
  return createTransport(options, async ({ body }) => {
    if (!fetchImpl) throw new Error('No fetch implementation is available in this runtime.');
    const signal = (globalThis as { AbortSignal?: { timeout?(ms: number): unknown } }).AbortSignal?.timeout?.(
      options.timeout ?? 30_000,
    );
    const response = await fetchImpl(options.url, {
      method: 'POST',
      body,
      headers: { 'Content-Type': 'application/x-sentry-envelope', ...options.headers },
      ...(signal ? { signal } : {}),
    });
    // An unread body pins the connection until garbage collection.
    void response.body?.cancel().catch(() => undefined);
    return {
      statusCode: response.status,
      headers: {
        'x-sentry-rate-limits': response.headers.get('X-Sentry-Rate-Limits'),
        'retry-after': response.headers.get('Retry-After'),
      },
    };
  });
}
