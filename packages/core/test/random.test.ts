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

/** `random.ts` loaded afresh over a crypto whose n-th refill writes `byte(index, n)`; the fills are kept. */
async function randomOverPool(byte: (index: number, refill: number) => number) {
  const fills: Uint8Array[] = [];
  vi.stubGlobal('crypto', {
    getRandomValues(array: Uint8Array) {
      for (let i = 0; i < array.length; i++) array[i] = byte(i, fills.length);
      fills.push(array.slice());
      return array;
    },
  });
  vi.resetModules();
  return { random: await import('../src/random'), fills };
}

const hex = (bytes: Uint8Array) => [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');

describe('ids from a known pool', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  it('skip an all-zero id and keep the bytes after it', async () => {
    const { random, fills } = await randomOverPool((i) => (i < 16 ? 0 : (i * 37 + 11) & 255));
    expect(random.generateTraceId()).toBe(hex(fills[0]!.slice(16, 32)));
    expect(random.generateSpanId()).toBe(hex(fills[0]!.slice(32, 40)));
    expect(fills).toHaveLength(1);
  });

  it('are the pool bytes as lowercase hex across refills, by the built-in encoding (browsers)', async () => {
    const { random, fills } = await randomOverPool((i, refill) => (i * 131 + refill * 7 + 1) & 255);
    const ids = Array.from({ length: 300 }, () => random.generateTraceId());
    expect(fills).toHaveLength(2);
    expect(ids[0]).toBe(hex(fills[0]!.slice(0, 16)));
    expect(ids[255]).toBe(hex(fills[0]!.slice(4080, 4096)));
    expect(ids[256]).toBe(hex(fills[1]!.slice(0, 16)));
  });

  it('are written by the encoder a runtime installs, from the next refill on', async () => {
    const { random, fills } = await randomOverPool((i, refill) => (i * 29 + refill * 3 + 5) & 255);
    const first = random.generateSpanId();
    const encoded: Uint8Array[] = [];
    random.setHexEncoder((bytes) => {
      encoded.push(bytes.slice());
      return Buffer.from(bytes).toString('hex');
    });
    const ids = Array.from({ length: 600 }, () => random.generateSpanId());
    expect(first).toBe(hex(fills[0]!.slice(0, 8)));
    expect(ids[510]).toBe(hex(fills[0]!.slice(4088, 4096)));
    expect(encoded).toEqual([fills[1]]);
    expect(ids[511]).toBe(hex(fills[1]!.slice(0, 8)));
  });
});
