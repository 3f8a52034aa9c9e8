/** Rate-limit bookkeeping from `X-Sentry-Rate-Limits`, `Retry-After` and 429s (PROTOCOL.md §5). */
import type { DataCategory } from './types/data-category';
import type { TransportResponse } from './types/transport';

/** Deadline (ms since epoch) per category; `all` limits every category except `internal`. */
export type RateLimits = Partial<Record<DataCategory | 'all', number>>;

const DEFAULT_RETRY_AFTER_MS = 60_000;

/** Categories a server limit may name. `internal` (client reports) is never limited, `unknown` is ours only. */
const LIMITABLE_CATEGORIES: Record<Exclude<DataCategory, 'internal' | 'unknown'>, true> = {
  default: true,
  error: true,
  transaction: true,
  monitor: true,
  span: true,
  log_item: true,
  log_byte: true,
  security: true,
  attachment: true,
  session: true,
  profile: true,
  profile_chunk: true,
  replay: true,
  feedback: true,
  trace_metric: true,
  trace_metric_byte: true,
  metric_bucket: true,
};

function isLimitableCategory(category: string): category is keyof typeof LIMITABLE_CATEGORIES {
  return Object.hasOwn(LIMITABLE_CATEGORIES, category);
}

const SECONDS_PATTERN = /^\d+(\.\d+)?$/;

/** Delay in ms from a `Retry-After` value: seconds (integer or float) or an HTTP-date; 60 s when unreadable. */
export function parseRetryAfterHeader(header: string, now: number = Date.now()): number {
  const value = header.trim();
  if (SECONDS_PATTERN.test(value)) return Number.parseFloat(value) * 1000;
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
    for (const quotaLimit of rateLimitsHeader.split(',')) {
      const [retryAfter = '', categories = '', , , namespaces] = quotaLimit
        .split(':')
        .map((part) => part.trim());
      const seconds = SECONDS_PATTERN.test(retryAfter) ? Number.parseFloat(retryAfter) : 60;
      const deadline = now + seconds * 1000;
      if (categories === '') {
        extend('all', deadline);
        continue;
      }
      for (const category of categories.split(';')) {
        if (!isLimitableCategory(category)) continue;
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
