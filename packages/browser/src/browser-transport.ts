/**
 * The browser transport: core's queue, rate limits and client reports over `fetch`, with a bounded
 * number of requests in flight, `keepalive` within the browser's limits, and an immediate send of
 * everything queued once the page is hidden, so the last events of a closing page arrive.
 */
import { createTransport, type Transport, type TransportOptions, utf8ByteLength } from '@faultline/core';
import { originalFetch } from './instrument/fetch';
import { makeKeepaliveBudget } from './keepalive-budget';
import { onPageChange } from './page-lifecycle';

export interface BrowserTransportOptions extends TransportOptions {
  /** Requests in flight at once; later envelopes wait in the queue (default 4). */
  maxConcurrentRequests?: number;
  /** Milliseconds before a request is aborted (default 30 s; never for requests of a hidden page). */
  timeout?: number;
  fetchImpl?: typeof fetch;
}

const UNLOAD_GRACE_MS = 100;

export function makeBrowserTransport(options: BrowserTransportOptions): Transport {
  const fetchImpl = options.fetchImpl ?? originalFetch();
  const maxConcurrent = Math.max(1, options.maxConcurrentRequests ?? 4);
  const budget = makeKeepaliveBudget();
  /** Requests waiting for a turn; each takes its place in flight when called. */
  const waiting: Array<() => void> = [];
  let inFlight = 0;
  let hidden = false;

  onPageChange((change) => {
    hidden = change === 'pagehide' || change === 'hidden';
    if (hidden) for (const start of waiting.splice(0)) start();
  });

  return createTransport(options, async ({ body }) => {
    if (!fetchImpl) throw new Error('fetch is not available');
    if (inFlight < maxConcurrent || hidden) inFlight++;
    else
      await new Promise<void>((resolve) =>
        waiting.push(() => {
          inFlight++;
          resolve();
        }),
      );
    const size = typeof body === 'string' ? utf8ByteLength(body) : body.length;
    const keepalive = budget.reserve(size);
    try {
      const response = await fetchImpl(options.url, {
        method: 'POST',
        body: body as BodyInit,
        keepalive,
        referrerPolicy: 'strict-origin',
        // No Content-Type: a text/plain POST is a simple request, with no CORS preflight to wait for.
        headers: options.headers,
        signal: hidden ? undefined : AbortSignal.timeout?.(options.timeout ?? 30_000),
      });
      const header = (name: string) => response.headers.get(name);
      return {
        statusCode: response.status,
        headers: {
          'x-sentry-rate-limits': header('x-sentry-rate-limits'),
          'retry-after': header('retry-after'),
        },
      };
    } catch (error) {
      // A page being left rejects its keepalive requests, which the browser delivers all the same:
      // wait for the `pagehide` that follows before reporting them lost (it usually never runs).
      if (!keepalive) throw error;
      await new Promise((resolve) => setTimeout(resolve, UNLOAD_GRACE_MS));
      if (hidden) return {};
      throw error;
    } finally {
      if (keepalive) budget.release(size);
      inFlight--;
      if (inFlight < maxConcurrent) waiting.shift()?.();
    }
  });
}
