import { describe, expect, it } from 'vitest';
import { normalize, normalizeToSize } from '../src/normalize';
import { truncate } from '../src/truncate';
import { jsonByteLength } from '../src/utf8-byte-length';

describe('normalize', () => {
  it('keeps JSON primitives and marks the ones JSON cannot carry', () => {
    expect(normalize({ s: 'a', n: 1.5, t: true, z: null })).toEqual({ s: 'a', n: 1.5, t: true, z: null });
    expect(
      normalize([
        Number.NaN,
        Number.POSITIVE_INFINITY,
        Number.NEGATIVE_INFINITY,
        undefined,
        123n,
        Symbol('tag'),
      ]),
    ).toEqual(['[NaN]', '[Infinity]', '[-Infinity]', '[undefined]', '[BigInt: 123]', '[Symbol(tag)]']);
  });

  it('describes functions by name', () => {
    function namedFn() {}
    expect(
      normalize({ f: namedFn, g: () => 1, h: Object.defineProperty(() => 1, 'name', { value: '' }) }),
    ).toEqual({
      f: '[Function: namedFn]',
      g: '[Function: g]',
      h: '[Function: <anonymous>]',
    });
  });

  it('limits depth with [Object]/[Array] placeholders', () => {
    const input = { a: { b: { c: { d: 1 } }, list: [[1]] } };
    expect(normalize(input, 3)).toEqual({ a: { b: { c: '[Object]' }, list: ['[Array]'] } });
    expect(normalize(input, 2)).toEqual({ a: { b: '[Object]', list: '[Array]' } });
    expect(normalize(input, 0)).toBe('[Object]');
    expect(normalize({ m: new Map(), e: new TypeError('x') }, 1)).toEqual({ m: '[Map]', e: '[TypeError]' });
  });

  it('limits breadth with a [MaxProperties ~] marker', () => {
    expect(normalize({ a: 1, b: 2, c: 3 }, 3, 2)).toEqual({ a: 1, b: 2, c: '[MaxProperties ~]' });
    expect(normalize([1, 2, 3, 4], 3, 2)).toEqual([1, 2, '[MaxProperties ~]']);
    expect(normalize(new Set([1, 2, 3]), 3, 1)).toEqual([1, '[MaxProperties ~]']);
    const huge = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i]));
    expect(Object.keys(normalize(huge) as object)).toHaveLength(1001);
  });

  it('marks circular references but keeps repeated non-circular ones', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a.self = a;
    const shared = { x: 1 };
    const list: unknown[] = [shared, shared];
    list.push(list);
    expect(normalize(a)).toEqual({ name: 'a', self: '[Circular ~]' });
    expect(normalize(list)).toEqual([{ x: 1 }, { x: 1 }, '[Circular ~]']);
  });

  it('converts Dates, Maps, Sets, RegExps and summarises binary data', () => {
    const input = {
      date: new Date('2024-05-01T10:00:00.000Z'),
      bad: new Date(Number.NaN),
      map: new Map<unknown, unknown>([
        ['k', { v: 1 }],
        [42, 'n'],
        [{}, 'obj'],
      ]),
      set: new Set(['a', 1]),
      re: /ab+c/gi,
      bytes: new Uint8Array(1024),
      floats: new Float64Array(3),
      buffer: new ArrayBuffer(16),
      view: new DataView(new ArrayBuffer(8)),
      weak: new WeakMap(),
      promise: Promise.resolve(1),
    };
    expect(normalize(input)).toEqual({
      date: '2024-05-01T10:00:00.000Z',
      bad: '[Invalid Date]',
      map: { k: { v: 1 }, '42': 'n', '[Object]': 'obj' },
      set: ['a', 1],
      re: '/ab+c/gi',
      bytes: '[Uint8Array(1024)]',
      floats: '[Float64Array(3)]',
      buffer: '[ArrayBuffer(16 bytes)]',
      view: '[DataView(8 bytes)]',
      weak: '[WeakMap]',
      promise: '[Promise]',
    });
  });

  it('serialises errors with name, message, stack, cause and own enumerable props', () => {
    const error = Object.assign(new RangeError('too far', { cause: 'root' }), { code: 'E_RANGE' });
    const result = normalize(error) as Record<string, unknown>;
    expect(Object.keys(result)).toEqual(['name', 'message', 'stack', 'cause', 'code']);
    expect(result).toMatchObject({ name: 'RangeError', message: 'too far', cause: 'root', code: 'E_RANGE' });
    expect(result.stack).toContain('RangeError: too far');
  });

  it('turns throwing getters into non-serializable markers and keeps the rest', () => {
    const input = {
      ok: 1,
      get broken(): number {
        throw new Error('getter failed');
      },
    };
    expect(normalize(input)).toEqual({ ok: 1, broken: '**non-serializable** (getter failed)' });
  });

  it('survives Proxies whose traps throw, and revoked Proxies', () => {
    const hostile = new Proxy(
      { a: 1 },
      {
        get() {
          throw new Error('get trap');
        },
      },
    );
    expect(normalize({ hostile })).toEqual({ hostile: { a: '**non-serializable** (get trap)' } });
    const noKeys = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('ownKeys trap');
        },
      },
    );
    expect(normalize(noKeys)).toBe('**non-serializable** (ownKeys trap)');
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    expect(normalize({ proxy })).toEqual({
      proxy: expect.stringMatching(/^\*\*non-serializable\*\* \(.*revoked/),
    });
  });

  it('uses toJSON when it works, falls back when it throws, and does not loop', () => {
    const custom = { secret: 'x', toJSON: () => ({ shown: true }) };
    const failing = {
      a: 1,
      toJSON() {
        throw new Error('nope');
      },
    };
    const selfReturning = {
      b: 2,
      toJSON() {
        return this;
      },
    };
    expect(normalize({ custom, failing, selfReturning })).toEqual({
      custom: { shown: true },
      failing: { a: 1, toJSON: '[Function: toJSON]' },
      selfReturning: { b: 2, toJSON: '[Function: toJSON]' },
    });
  });

  it('keeps a __proto__ key as data', () => {
    const input = JSON.parse('{"__proto__": {"polluted": true}}');
    const result = normalize(input) as Record<string, unknown>;
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(JSON.stringify(result)).toBe('{"__proto__":{"polluted":true}}');
  });

  it('passes a 1 MB string through untouched and quickly', () => {
    const big = 'x'.repeat(1024 * 1024);
    const started = performance.now();
    const result = normalize({ payload: big, nested: { again: big } }) as { payload: string };
    expect(result.payload).toBe(big);
    expect(JSON.stringify(result).length).toBeGreaterThan(2 * 1024 * 1024);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('never produces something JSON.stringify rejects', () => {
    const circular: Record<string, unknown> = {};
    circular.me = circular;
    const nasty: unknown[] = [
      undefined,
      null,
      10n,
      Symbol.iterator,
      Number.NaN,
      () => {},
      class Foo {},
      Object.create(null),
      circular,
      new Proxy(
        {},
        {
          getPrototypeOf: () => {
            throw new Error('proto');
          },
        },
      ),
      new Proxy(
        { x: 1 },
        {
          getOwnPropertyDescriptor: () => {
            throw new Error('desc');
          },
        },
      ),
      new Proxy([], {
        get: () => {
          throw new Error('array get');
        },
      }),
      { toJSON: () => 10n },
      { toJSON: () => ({ toJSON: () => 'nested toJSON is not called' }) },
      {
        toString: () => {
          throw new Error('toString');
        },
      },
      new Error('e', { cause: circular }),
      Object.assign(
        Object.create({
          get inherited() {
            throw new Error('x');
          },
        }),
        { own: 1 },
      ),
      new Int32Array(4),
      new SharedArrayBuffer(4),
      new Array(2).concat([1]),
      { deep: { deeper: { deepest: { bottom: 10n } } } },
      new Map([[Symbol('k'), new Set([circular])]]),
      globalThis,
    ];
    for (const input of nasty) {
      expect(() => JSON.stringify(normalize(input))).not.toThrow();
      expect(() => JSON.stringify(normalize({ wrapped: input }, 10, 50))).not.toThrow();
    }
  });
});

describe('normalizeToSize', () => {
  it('lowers depth until the JSON fits', () => {
    const input = { a: { b: { c: 'y'.repeat(2000) } } };
    expect(normalizeToSize(input, 3, 10_000)).toEqual(input);
    expect(normalizeToSize(input, 3, 1000)).toEqual({ a: { b: '[Object]' } });
    expect(normalizeToSize({ big: 'z'.repeat(1024 * 1024) }, 3, 1000)).toBe('[Object]');
  });

  it('counts UTF-8 bytes, not UTF-16 units', () => {
    expect(jsonByteLength('é')).toBe(4);
    expect(jsonByteLength('😀')).toBe(6);
    expect(normalizeToSize({ s: '€'.repeat(400) }, 3, 1000)).toBe('[Object]');
  });
});

describe('truncate', () => {
  it('adds an ellipsis only when cutting', () => {
    expect(truncate('hello', 10)).toBe('hello');
    expect(truncate('hello world', 5)).toBe('hello...');
    expect(truncate('hello', 0)).toBe('hello');
  });

  it('never splits a surrogate pair', () => {
    expect(truncate('ab😀cd', 3)).toBe('ab...');
    expect(truncate('ab😀cd', 4)).toBe('ab😀...');
  });
});
