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
      '\0\x7f',
      '\x80',
      'ÿ',
      `${'a'.repeat(5000)}é${'b'.repeat(100)}😀`,
      `${'{"k":1}'.repeat(300)}\ud83d`,
    ];
    for (const text of samples)
      expect(utf8ByteLength(text), JSON.stringify(text)).toBe(new TextEncoder().encode(text).length);
  });

  it('matches TextEncoder for text longer than one encoding pass, with characters across the pass boundary', () => {
    const samples = [
      'é'.repeat(10_000),
      '😀'.repeat(5000),
      `${'a'.repeat(16_383)}😀${'b'.repeat(10)}`,
      `${'a'.repeat(16_382)}€\ud800${'x'.repeat(20_000)}\udc00`,
      `${'€'.repeat(5461)}a😀`,
      '{"k":"v"}'.repeat(20_000),
    ];
    for (const text of samples) expect(utf8ByteLength(text)).toBe(new TextEncoder().encode(text).length);
  });

  it('matches TextEncoder on random mixes of ASCII, Latin-1, BMP and astral text', () => {
    const pieces = ['a', '~', '\x7f', '\x80', 'ÿ', 'ā', '€', '\ud7ff', '\ue000', '😀', '\ud800', '\udfff'];
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed;
    };
    for (let sample = 0; sample < 500; sample++) {
      let text = '';
      const length = next() % 40;
      for (let i = 0; i < length; i++) text += next() % 3 ? 'x' : pieces[next() % pieces.length];
      expect(utf8ByteLength(text), JSON.stringify(text)).toBe(new TextEncoder().encode(text).length);
    }
  });
});
