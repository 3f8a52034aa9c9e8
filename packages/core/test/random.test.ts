import { describe, expect, it } from 'vitest';
import { generateSampleRand, generateSpanId, generateTraceId, uuid4 } from '../src/random';

describe('ids', () => {
  it('are lowercase hex of the protocol lengths, a v4 UUID for events, and distinct', () => {
    const traceIds = new Set<string>();
    const eventIds = new Set<string>();
    // Past the 4 KiB pool several times, so refills are covered too.
    for (let i = 0; i < 3000; i++) {
      const traceId = generateTraceId();
      const spanId = generateSpanId();
      const eventId = uuid4();
      expect(traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(spanId).toMatch(/^[0-9a-f]{16}$/);
      expect(eventId).toMatch(/^[0-9a-f]{12}4[0-9a-f]{3}[89ab][0-9a-f]{15}$/);
      traceIds.add(traceId);
      eventIds.add(eventId);
    }
    expect(traceIds.size).toBe(3000);
    expect(eventIds.size).toBe(3000);
  });

  it('are independent strings: generating more does not change earlier ones', () => {
    const first = generateTraceId();
    const copy = `${first}`;
    const span = generateSpanId();
    generateTraceId();
    uuid4();
    expect(first).toBe(copy);
    expect(span).not.toBe(first.slice(0, 16));
  });

  it('spread every hex digit over every position', () => {
    const seen = Array.from({ length: 32 }, () => new Set<string>());
    for (let i = 0; i < 2000; i++) {
      const id = generateTraceId();
      for (let index = 0; index < id.length; index++) seen[index]!.add(id[index]!);
    }
    expect(seen.every((digits) => digits.size === 16)).toBe(true);
  });

  it('event ids: every digit at every free position, all four variants, the version fixed', () => {
    const seen = Array.from({ length: 32 }, () => new Set<string>());
    for (let i = 0; i < 2000; i++) {
      const id = uuid4();
      for (let index = 0; index < id.length; index++) seen[index]!.add(id[index]!);
    }
    expect([...seen[12]!]).toEqual(['4']);
    expect([...seen[16]!].sort()).toEqual(['8', '9', 'a', 'b']);
    expect(
      seen.filter((_, index) => index !== 12 && index !== 16).every((digits) => digits.size === 16),
    ).toBe(true);
  });

  it('sample_rand is in [0, 1) with at most 6 decimals', () => {
    for (let i = 0; i < 1000; i++) {
      const value = generateSampleRand();
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1);
      expect(Number(value.toFixed(6))).toBe(value);
    }
  });
});
