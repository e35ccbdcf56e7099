import { describe, expect, it } from 'vitest';
import { compareVi, decree30DateLine, decree30Month, decree30Number, isLetterOrDigit, isNotationShape, isoVietnam, nfc, vnFold } from '../../src-main/contract/text';

describe('Vietnamese text rules', () => {
  it('folds accents and đ for search', () => {
    expect(vnFold('Quyết định')).toBe('quyet dinh');
    expect(vnFold('Đặng Thị Ánh')).toBe('dang thi anh');
    expect(vnFold('ĐỒNG ĐỨC')).toBe('dong duc');
    // decomposed input folds the same as composed input
    expect(vnFold('Quyết định'.normalize('NFD'))).toBe('quyet dinh');
  });

  it('normalises to NFC', () => {
    const decomposed = 'Nguyễn'.normalize('NFD');
    expect(decomposed).not.toBe('Nguyễn');
    expect(nfc(decomposed)).toBe('Nguyễn');
  });

  it('sorts in Vietnamese order', () => {
    expect(['Vũ', 'Đặng', 'Dương', 'An', 'Ân'].sort(compareVi)).toEqual(['An', 'Ân', 'Dương', 'Đặng', 'Vũ']);
  });

  it('orders plain ASCII labels (its shortcut past ICU) exactly as the Vietnamese collator does', () => {
    const collator = new Intl.Collator('vi');
    const alphabet = 'aAbBmMzZ019 -_:./\\';
    // Every pair of strings up to 2 characters, then random longer ones: shared prefixes, case-only
    // differences and different lengths all occur.
    const short = [''];
    for (const c of alphabet) short.push(c, ...Array.from(alphabet, (d) => c + d));
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const long = Array.from({ length: 400 }, () => Array.from({ length: 1 + Math.floor(random() * 8) }, () => alphabet[Math.floor(random() * alphabet.length)]).join(''));
    const pairs: Array<[string, string]> = [];
    for (const a of short) for (const b of short) pairs.push([a, b]);
    for (let i = 0; i + 1 < long.length; i++) pairs.push([long[i]!, long[i + 1]!], [long[i]!, long[i]!.toUpperCase()]);
    pairs.push(['VANTHU-AGENCY', 'VANTHU-LEADER'], ['Token 10', 'Token 9'], ['abc', 'ABD'], ['/usr/lib/softhsm/libsofthsm2.so', '/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so'], ['C:\\Windows\\System32\\vnpt-ca.dll', 'C:\\Windows\\System32\\viettel-ca_v5.dll']);
    // Anything else is the collator's: Vietnamese letters, other punctuation.
    pairs.push(['Đặng', 'Dương'], ['a+b', 'a-b'], ['Ân', 'An']);
    const wrong = pairs.filter(([a, b]) => compareVi(a, b) !== Math.sign(collator.compare(a, b)));
    expect(wrong.slice(0, 5)).toEqual([]);
  });

  it.each([
    [1, '01'], [2, '02'], [3, '3'], [4, '4'], [5, '5'], [6, '6'],
    [7, '7'], [8, '8'], [9, '9'], [10, '10'], [11, '11'], [12, '12'],
  ])('month %i is written %s', (m, s) => {
    expect(decree30Month(m)).toBe(s);
  });

  it('writes the Decree-30 date line and number', () => {
    expect(decree30DateLine({ year: 2025, month: 2, day: 5 }, 'Hà Nội')).toBe('Hà Nội, ngày 05 tháng 02 năm 2025');
    expect(decree30DateLine({ year: 2026, month: 11, day: 26 })).toBe('ngày 26 tháng 11 năm 2026');
    expect(decree30DateLine({ year: 2026, month: 3, day: 9 })).toBe('ngày 09 tháng 3 năm 2026');
    expect(decree30Number(7)).toBe('07');
    expect(decree30Number(12)).toBe('12');
  });

  it('formats machine time in +07:00', () => {
    expect(isoVietnam(new Date('2026-11-26T20:30:05Z'))).toBe('2026-11-27T03:30:05+07:00');
  });
});

describe('letters, digits and the shape of a ký hiệu without Unicode-class expressions', () => {
  const NOTATION = /^(\d{4}\/)?[\p{L}\p{N}]+(-[\p{L}\p{N}]+)+$/u;
  const POOL = ['Q', 'Đ', 'U', 'B', 'N', 'D', 'đ', 'ư', 'ạ', '2', '0', '6', '-', '/', ' ', '.', 'ж', '中', '٣', '𝐀', '😀', '\u0301', '\ud800', '×', '_'];
  it('agrees with the regular expression on 30,000 random strings and on real ones', () => {
    let s = 20261206;
    const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    let valid = 0;
    for (let n = 0; n < 30_000; n++) {
      const t = (rnd() < 0.3 ? '2026/' : '') + Array.from({ length: Math.floor(rnd() * 9) }, () => POOL[Math.floor(rnd() * POOL.length)]!).join('');
      const want = NOTATION.test(t);
      if (want) valid++;
      expect(isNotationShape(t), JSON.stringify(t)).toBe(want);
    }
    expect(valid).toBeGreaterThan(200); // the corpus holds valid shapes too, not only refusals
    for (const t of ['QĐ-UBND', 'UBND-VP', '2026/NĐ-CP', 'KH-UBND', 'SY-UBND']) expect(isNotationShape(t), t).toBe(true);
    for (const t of ['UBND', 'QĐ--UBND', '-QĐ', 'QĐ-', '2026/UBND', 'QĐ UBND', '']) expect(isNotationShape(t), t).toBe(false);
  });
  it('isLetterOrDigit is \\p{L} or \\p{N}, code point by code point', () => {
    for (let cp = 0; cp < 0x3000; cp++) expect(isLetterOrDigit(cp), cp.toString(16)).toBe(/^[\p{L}\p{N}]$/u.test(String.fromCodePoint(cp)));
    for (const cp of [0x1d400, 0x1d7d9, 0x1f600, 0xd800, 0xdc00, 0x10ffff]) expect(isLetterOrDigit(cp), cp.toString(16)).toBe(/^[\p{L}\p{N}]$/u.test(String.fromCodePoint(cp)));
  });
});
