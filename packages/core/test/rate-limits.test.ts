import { describe, expect, it } from 'vitest';
import {
  disabledUntil,
  isRateLimited,
  parseRetryAfterHeader,
  type RateLimits,
  updateRateLimits,
} from '../src/rate-limits';

const NOW = 1_000_000;

describe('parseRetryAfterHeader', () => {
  it('reads integer seconds (verified: "120" -> 120000 ms)', () => {
    expect(parseRetryAfterHeader('120', NOW)).toBe(120_000);
  });

  it('reads float seconds', () => {
    expect(parseRetryAfterHeader('1.5', NOW)).toBe(1500);
    expect(parseRetryAfterHeader(' 0.25 ', NOW)).toBe(250);
  });

  it('reads an HTTP-date relative to now', () => {
    const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');
    expect(parseRetryAfterHeader('Wed, 21 Oct 2015 07:28:30 GMT', now)).toBe(30_000);
  });

  it('never returns a negative delay for a date in the past', () => {
    const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');
    expect(parseRetryAfterHeader('Wed, 21 Oct 2015 07:27:00 GMT', now)).toBe(0);
  });

  it('defaults to 60 s when unreadable', () => {
    expect(parseRetryAfterHeader('soon', NOW)).toBe(60_000);
    expect(parseRetryAfterHeader('', NOW)).toBe(60_000);
  });
});

describe('updateRateLimits', () => {
  it('reproduces the verified @sentry/core result for a mixed header', () => {
    const limits = updateRateLimits(
      {},
      {
        statusCode: 200,
        headers: {
          'x-sentry-rate-limits':
            '60:transaction:key, 2700:default;error;security:organization, 10::organization, 30:metric_bucket:organization:quota_exceeded:custom',
        },
      },
      NOW,
    );
    expect(limits).toEqual({
      transaction: 1_060_000,
      default: 3_700_000,
      error: 3_700_000,
      security: 3_700_000,
      all: 1_010_000,
      metric_bucket: 1_030_000,
    });
  });

  it('reproduces the verified 429 without headers: all categories for 60 s', () => {
    expect(updateRateLimits({}, { statusCode: 429 }, NOW)).toEqual({ all: NOW + 60_000 });
    expect(updateRateLimits({}, { statusCode: 429, headers: {} }, NOW)).toEqual({ all: NOW + 60_000 });
  });

  it('parses the documented example headers', () => {
    expect(
      updateRateLimits(
        {},
        {
          statusCode: 429,
          headers: { 'x-sentry-rate-limits': '60:transaction:key, 2700:default;error;security:organization' },
        },
        NOW,
      ),
    ).toEqual({
      transaction: NOW + 60_000,
      default: NOW + 2_700_000,
      error: NOW + 2_700_000,
      security: NOW + 2_700_000,
    });
    expect(
      updateRateLimits(
        {},
        { headers: { 'x-sentry-rate-limits': '60::organization, 2700::organization' } },
        NOW,
      ),
    ).toEqual({ all: NOW + 2_700_000 });
  });

  it('applies metric_bucket limits only for the custom namespace or when no namespace is given', () => {
    const other = updateRateLimits(
      {},
      { headers: { 'x-sentry-rate-limits': '2700:metric_bucket:organization:quota_exceeded:transactions' } },
      NOW,
    );
    expect(other).toEqual({});
    const anyNamespace = updateRateLimits(
      {},
      { headers: { 'x-sentry-rate-limits': '2700:metric_bucket:organization:quota_exceeded:' } },
      NOW,
    );
    expect(anyNamespace).toEqual({ metric_bucket: NOW + 2_700_000 });
    const custom = updateRateLimits(
      {},
      { headers: { 'x-sentry-rate-limits': '2700:metric_bucket:organization:quota_exceeded:custom;spans' } },
      NOW,
    );
    expect(custom).toEqual({ metric_bucket: NOW + 2_700_000 });
  });

  it('ignores namespaces for categories other than metric_bucket', () => {
    const limits = updateRateLimits(
      {},
      { headers: { 'x-sentry-rate-limits': '30:error:organization:quota_exceeded:transactions' } },
      NOW,
    );
    expect(limits).toEqual({ error: NOW + 30_000 });
  });

  it('accepts float retry_after seconds', () => {
    const limits = updateRateLimits({}, { headers: { 'x-sentry-rate-limits': '2.5:error:key' } }, NOW);
    expect(limits).toEqual({ error: NOW + 2500 });
  });

  it('parses X-Sentry-Rate-Limits on a 200 response too', () => {
    const limits = updateRateLimits(
      {},
      { statusCode: 200, headers: { 'x-sentry-rate-limits': '5:session:key' } },
      NOW,
    );
    expect(limits).toEqual({ session: NOW + 5000 });
  });

  it('prefers X-Sentry-Rate-Limits over Retry-After on a 429', () => {
    const limits = updateRateLimits(
      {},
      { statusCode: 429, headers: { 'x-sentry-rate-limits': '5:error:key', 'retry-after': '100' } },
      NOW,
    );
    expect(limits).toEqual({ error: NOW + 5000 });
  });

  it('uses Retry-After for all categories on a 429 (seconds and HTTP-date)', () => {
    expect(updateRateLimits({}, { statusCode: 429, headers: { 'retry-after': '42' } }, NOW)).toEqual({
      all: NOW + 42_000,
    });
    const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');
    expect(
      updateRateLimits(
        {},
        { statusCode: 429, headers: { 'retry-after': 'Wed, 21 Oct 2015 07:30:00 GMT' } },
        now,
      ),
    ).toEqual({ all: now + 120_000 });
  });

  it('ignores Retry-After without a 429 and leaves limits alone on a plain success', () => {
    expect(updateRateLimits({}, { statusCode: 503, headers: { 'retry-after': '42' } }, NOW)).toEqual({});
    expect(updateRateLimits({ error: 5 }, { statusCode: 200, headers: {} }, NOW)).toEqual({ error: 5 });
  });

  it('ignores unknown categories, and a limit naming only unknown ones does not become "all"', () => {
    const limits = updateRateLimits(
      {},
      { headers: { 'x-sentry-rate-limits': '60:made_up;error:key, 90:another_unknown:organization' } },
      NOW,
    );
    expect(limits).toEqual({ error: NOW + 60_000 });
    expect(isRateLimited(limits, 'transaction', NOW)).toBe(false);
  });

  it('never stores a limit for the internal category', () => {
    const limits = updateRateLimits({}, { headers: { 'x-sentry-rate-limits': '60:internal:key' } }, NOW);
    expect(limits).toEqual({});
  });

  it('keeps the later deadline per category and does not mutate its input', () => {
    const before: RateLimits = { error: NOW + 100_000 };
    const after = updateRateLimits(
      before,
      { headers: { 'x-sentry-rate-limits': '10:error:key, 20:error:key' } },
      NOW,
    );
    expect(after).toEqual({ error: NOW + 100_000 });
    expect(before).toEqual({ error: NOW + 100_000 });
    const extended = updateRateLimits(before, { headers: { 'x-sentry-rate-limits': '500:error:key' } }, NOW);
    expect(extended).toEqual({ error: NOW + 500_000 });
  });

  it('defaults an unreadable retry_after to 60 s', () => {
    const limits = updateRateLimits({}, { headers: { 'x-sentry-rate-limits': 'abc:error:key' } }, NOW);
    expect(limits).toEqual({ error: NOW + 60_000 });
  });
});

describe('isRateLimited / disabledUntil', () => {
  const limits = updateRateLimits(
    {},
    { headers: { 'x-sentry-rate-limits': '60:transaction:key, 10::organization' } },
    NOW,
  );

  it('limits a category until its deadline, then lets it through as time passes', () => {
    expect(isRateLimited(limits, 'transaction', NOW)).toBe(true);
    expect(isRateLimited(limits, 'transaction', NOW + 59_999)).toBe(true);
    expect(isRateLimited(limits, 'transaction', NOW + 60_000)).toBe(false);
  });

  it('applies the all-categories limit to every other category', () => {
    expect(isRateLimited(limits, 'error', NOW + 9_999)).toBe(true);
    expect(isRateLimited(limits, 'error', NOW + 10_000)).toBe(false);
    expect(disabledUntil(limits, 'error')).toBe(NOW + 10_000);
    expect(disabledUntil(limits, 'transaction')).toBe(NOW + 60_000);
  });

  it('uses the all deadline when it outlasts a category deadline', () => {
    const mixed: RateLimits = { error: NOW + 1000, all: NOW + 5000 };
    expect(disabledUntil(mixed, 'error')).toBe(NOW + 5000);
    expect(isRateLimited(mixed, 'error', NOW + 2000)).toBe(true);
  });

  it('never limits internal (client reports)', () => {
    expect(isRateLimited({ all: NOW + 60_000 }, 'internal', NOW)).toBe(false);
    expect(disabledUntil({ all: NOW + 60_000 }, 'internal')).toBe(0);
  });

  it('returns 0 when nothing applies', () => {
    expect(disabledUntil({}, 'error')).toBe(0);
    expect(isRateLimited({}, 'error', NOW)).toBe(false);
  });
});
