/** Rate-limit bookkeeping from `X-Sentry-Rate-Limits`, `Retry-After` and 429s (PROTOCOL.md §5). */
import { isItemCategory } from './data-category';
import type { DataCategory } from './types/data-category';
import type { TransportResponse } from './types/transport';

/** Deadline (ms since epoch) per category; `all` limits every category except `internal`. */
export type RateLimits = Partial<Record<DataCategory | 'all', number>>;

const DEFAULT_RETRY_AFTER_MS = 60_000;

const SECONDS_PATTERN = /^\d+(\.\d+)?$/;

/** Delay in ms from a `Retry-After` value: seconds (integer or float) or an HTTP-date; 60 s when unreadable. */
export function parseRetryAfterHeader(header: string, now: number = Date.now()): number {
  const value = header.trim();
  if (SECONDS_PATTERN.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  if (!Number.isNaN(date)) return Math.max(0, date - now);
  return DEFAULT_RETRY_AFTER_MS;
}

/**
 * Returns new limits after a response. `X-Sentry-Rate-Limits` is read on every status; only when it is
 * absent does a 429 fall back to `Retry-After`, then to 60 s, for all categories.
 */
export function updateRateLimits(
  limits: RateLimits,
  { statusCode, headers }: TransportResponse,
  now: number = Date.now(),
): RateLimits {
  const updated: RateLimits = { ...limits };
  const extend = (category: keyof RateLimits, deadline: number): void => {
    updated[category] = Math.max(updated[category] ?? 0, deadline);
  };

  const rateLimitsHeader = headers?.['x-sentry-rate-limits'];
  if (rateLimitsHeader) {
    // String(): a custom transport may hand over any value; a header must never make `send` reject.
    for (const quotaLimit of String(rateLimitsHeader).split(',')) {
      const [retryAfter = '', categories = '', , , namespaces] = quotaLimit
        .split(':')
        .map((part) => part.trim());
      const seconds = SECONDS_PATTERN.test(retryAfter) ? Number(retryAfter) : 60;
      const deadline = now + seconds * 1000;
      if (categories === '') {
        extend('all', deadline);
        continue;
      }
      for (const category of categories.split(';')) {
        // A limit on a category none of our items has would never be consulted: not stored.
        if (!isItemCategory(category)) continue;
        if (category === 'metric_bucket' && namespaces && !namespaces.split(';').includes('custom')) continue;
        extend(category, deadline);
      }
    }
    return updated;
  }

  if (statusCode === 429) {
    const retryAfterHeader = headers?.['retry-after'];
    const delay = retryAfterHeader ? parseRetryAfterHeader(retryAfterHeader, now) : DEFAULT_RETRY_AFTER_MS;
    extend('all', now + delay);
  }
  return updated;
}

/** The deadline that applies to `category` (its own or the `all` one, whichever is later); 0 if none. */
export function disabledUntil(limits: RateLimits, category: DataCategory): number {
  if (category === 'internal') return 0;
  return Math.max(limits[category] ?? 0, limits.all ?? 0);
}

export function isRateLimited(limits: RateLimits, category: DataCategory, now: number = Date.now()): boolean {
  return disabledUntil(limits, category) > now;
}
