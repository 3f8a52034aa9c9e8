import { describe, expect, it } from 'vitest';
import { utf8ByteLength } from '../src/utf8-byte-length';

describe('utf8ByteLength', () => {
  it('matches TextEncoder for ASCII, 2/3/4-byte characters and lone surrogates', () => {
    const samples = [
      '',
      'abc',
      'é',
      '€',
      '😀',
      'a😀b',
      '\ud800',
      '\udc00x',
      'x\ud800',
      'ü'.repeat(100),
      '{"a":"ñ😀€"}',
    ];
    for (const text of samples)
      expect(utf8ByteLength(text), JSON.stringify(text)).toBe(new TextEncoder().encode(text).length);
  });
});
