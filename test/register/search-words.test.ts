import { describe, expect, it } from 'vitest';
import { vnFold } from '../../src-main/contract/text';
import { hasWord, words } from '../../src-main/core/register/search-columns';

// The tokenizer's reading as regular expressions over Unicode classes: the reference the plain string
// code in search-columns.ts must agree with on every input.
const WORD = '[\\p{L}\\p{N}\\p{Co}]';
const byRegExp = (text: string, term: string, prefix: boolean) => new RegExp(`(?<!${WORD})${term}${prefix ? '' : `(?!${WORD})`}`, 'u').test(text);
const wordsByRegExp = (folded: string) => folded.split(new RegExp(`[^\\p{L}\\p{N}\\p{Co}]+`, 'u')).filter(Boolean);

// Letters and digits of several scripts, an astral letter (𝐀) and digit (𝟙), private use, marks,
// punctuation, spaces and the characters folding leaves (đ→d, Vietnamese without its marks).
const POOL = ['a', 'b', 'n', 'h', 'o', 'A', 'Z', '0', '7', ' ', '-', '/', '.', '_', 'é', 'ß', 'ж', '中', 'ـ', '\u0301', '\u00a0', '–', '“', '𝐀', '𝟙', '\ue000', '\ud800', '\udc00', '😀', '²'];

function seeded(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

describe('word matching without regular expressions (search-columns.ts)', () => {
  it('hasWord agrees with the tokenizer regular expression on 20,000 random texts and terms', () => {
    const rnd = seeded(20261206);
    const pick = () => POOL[Math.floor(rnd() * POOL.length)]!;
    let matched = 0;
    for (let n = 0; n < 20_000; n++) {
      const text = Array.from({ length: Math.floor(rnd() * 24) }, pick).join('');
      // Terms are words the tokenizer produced (whole code points), taken from the text itself most of the time.
      const fromText = words(text);
      const term = fromText.length && rnd() < 0.7
        ? Array.from(fromText[Math.floor(rnd() * fromText.length)]!).slice(0, 1 + Math.floor(rnd() * 3)).join('')
        : words(Array.from({ length: 1 + Math.floor(rnd() * 3) }, pick).join(''))[0];
      if (!term) continue;
      const prefix = rnd() < 0.5;
      const want = byRegExp(text, term, prefix);
      if (want) matched++;
      expect(hasWord(text, term, prefix), JSON.stringify({ text, term, prefix })).toBe(want);
    }
    expect(matched).toBeGreaterThan(2_000); // the corpus exercises matches, not only misses
  });

  it('words splits as the tokenizer regular expression does, ASCII or not', () => {
    const rnd = seeded(7);
    for (let n = 0; n < 5_000; n++) {
      const text = Array.from({ length: Math.floor(rnd() * 30) }, () => POOL[Math.floor(rnd() * POOL.length)]!).join('');
      expect(words(text), JSON.stringify(text)).toEqual(wordsByRegExp(text));
    }
    expect(words(vnFold('Kế hoạch phát triển: Sở Nội vụ, 2026/QĐ-UBND'))).toEqual(['ke', 'hoach', 'phat', 'trien', 'so', 'noi', 'vu', '2026', 'qd', 'ubnd']);
  });

  it('whole words and prefixes as a clerk types them', () => {
    expect(hasWord('ke hoach phat trien', 'hoach', false)).toBe(true);
    expect(hasWord('ke hoach phat trien', 'hoa', false)).toBe(false);
    expect(hasWord('ke hoach phat trien', 'hoa', true)).toBe(true);
    expect(hasWord('ke hoach phat trien', 'oach', true)).toBe(false);
    expect(hasWord('qd-ubnd', 'ubnd', false)).toBe(true);
    expect(hasWord('x', '', true)).toBe(false);
    // Private use, at the edges of its three ranges, is a word character as the tokenizer has it.
    for (const cp of [0xdfff, 0xe000, 0xf8ff, 0xf900, 0xeffff, 0xf0000, 0xffffd, 0xffffe, 0x100000, 0x10fffd, 0x10ffff]) {
      const text = `${String.fromCodePoint(cp)}ab ab${String.fromCodePoint(cp)}`;
      for (const prefix of [true, false]) expect(hasWord(text, 'ab', prefix), cp.toString(16)).toBe(byRegExp(text, 'ab', prefix));
    }
  });
});
