import { afterEach, describe, expect, it, vi } from 'vitest';
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

describe('ids from a pool that starts with zero bytes', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  it('skip an all-zero id and keep the bytes after it', async () => {
    const fills: Uint8Array[] = [];
    vi.stubGlobal('crypto', {
      getRandomValues(array: Uint8Array) {
        for (let i = 0; i < array.length; i++) array[i] = i < 16 ? 0 : (i * 37 + 11) & 255;
        fills.push(array.slice());
        return array;
      },
    });
    vi.resetModules();
    const { generateTraceId, generateSpanId } = await import('../src/random');
    const traceId = generateTraceId();
    const expected = [...fills[0]!.slice(16, 32)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
    expect(traceId).toBe(expected);
    expect(generateSpanId()).toBe(
      [...fills[0]!.slice(32, 40)].map((byte) => byte.toString(16).padStart(2, '0')).join(''),
    );
    expect(fills).toHaveLength(1);
  });
});

describe('ids where the runtime has no Buffer (browsers)', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  it('are the pool bytes as lowercase hex, across refills', async () => {
    const fills: Uint8Array[] = [];
    vi.stubGlobal('Buffer', undefined);
    vi.stubGlobal('crypto', {
      getRandomValues(array: Uint8Array) {
        for (let i = 0; i < array.length; i++) array[i] = (i * 131 + fills.length * 7 + 1) & 255;
        fills.push(array.slice());
        return array;
      },
    });
    vi.resetModules();
    const { generateTraceId } = await import('../src/random');
    const hex = (bytes: Uint8Array) => [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
    const ids = Array.from({ length: 300 }, () => generateTraceId());
    expect(fills).toHaveLength(2);
    expect(ids[0]).toBe(hex(fills[0]!.slice(0, 16)));
    expect(ids[255]).toBe(hex(fills[0]!.slice(4080, 4096)));
    expect(ids[256]).toBe(hex(fills[1]!.slice(0, 16)));
  });
});
