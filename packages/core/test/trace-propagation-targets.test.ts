import { describe, expect, it } from 'vitest';
import { shouldPropagateTo, stripUrlQueryAndFragment } from '../src/trace-propagation-targets';

describe('shouldPropagateTo', () => {
  it('propagates everywhere by default on servers', () => {
    expect(shouldPropagateTo('https://anything.example/x')).toBe(true);
    expect(shouldPropagateTo('')).toBe(true);
  });

  it('uses the given defaults when targets are undefined', () => {
    expect(shouldPropagateTo('https://api.example/x', undefined, ['api.example'])).toBe(true);
    expect(shouldPropagateTo('https://other.example/x', undefined, ['api.example'])).toBe(false);
  });

  it('propagates nowhere for an empty list', () => {
    expect(shouldPropagateTo('https://api.example/x', [])).toBe(false);
  });

  it('matches strings as substrings and tests RegExps', () => {
    const targets = ['localhost', /^https:\/\/api\.example\.com/];
    expect(shouldPropagateTo('http://localhost:3000/a', targets)).toBe(true);
    expect(shouldPropagateTo('https://api.example.com/v1', targets)).toBe(true);
    expect(shouldPropagateTo('https://evil.test/?u=https://api.example.com', targets)).toBe(false);
  });

  it('gives the same answer on every call with a global RegExp', () => {
    const targets = [/api/g];
    expect([1, 2, 3].map(() => shouldPropagateTo('https://api.example', targets))).toEqual([
      true,
      true,
      true,
    ]);
  });
});

describe('stripUrlQueryAndFragment', () => {
  it('drops the query and fragment', () => {
    expect(stripUrlQueryAndFragment('https://a.example/b/c?d=1&e=2#f')).toBe('https://a.example/b/c');
    expect(stripUrlQueryAndFragment('/path#frag?x')).toBe('/path');
    expect(stripUrlQueryAndFragment('/plain')).toBe('/plain');
    expect(stripUrlQueryAndFragment('')).toBe('');
  });
});
