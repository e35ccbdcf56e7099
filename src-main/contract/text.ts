/**
 * Vietnamese text rules shared by every layer (docs/architecture.md). Pure functions: no Node, no DOM.
 */

/** NFC at every boundary: certificate fields, IPC input, imported XML. */
export function nfc(s: string): string {
  return s.normalize('NFC');
}

/**
 * Accent-blind fold for search: strip combining marks AND map đ/Đ → d, which neither
 * SQLite's remove_diacritics nor Intl.Collator does.
 */
export function vnFold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase();
}

// Made on first use: loading ICU's Vietnamese collation costs every process that sorts with it ~9 ms
// (a CLI start is ~60 ms of Node alone), and most never sort anything but plain ASCII.
let viCollator: Intl.Collator | undefined;
/** Vietnamese order (A < Ă < Â, D < Đ); never plain .sort() on Vietnamese strings. */
export function compareVi(a: string, b: string): number {
  const plain = comparePlain(a, b);
  if (plain !== undefined) return plain;
  viCollator ??= new Intl.Collator('vi');
  return viCollator.compare(a, b);
}

/**
 * ASCII letters, digits, space and the punctuation of labels, codes and paths (token labels and
 * serials, module paths): the Vietnamese collation orders these as ICU's root order does, which is
 * cheap to compute — space, then _ - : . / and backslash, then digits, then letters with case
 * ignored; then the first difference in case, lower case first (checked against Intl.Collator in
 * test/unit/text.test.ts). Weights by character code, -1 where the collator must decide.
 */
const PLAIN_WEIGHTS = (() => {
  const w = new Int8Array(128).fill(-1);
  [...' _-:./\\', ...'0123456789'].forEach((c, i) => { w[c.charCodeAt(0)] = i; });
  for (let i = 0; i < 26; i++) w[0x41 + i] = w[0x61 + i] = 17 + i;
  return w;
})();

const plainWeight = (c: number): number => (c < 128 ? PLAIN_WEIGHTS[c]! : -1);

/** The order of two plain strings, or undefined when either holds anything else. */
function comparePlain(a: string, b: string): number | undefined {
  let order = 0;
  let caseOrder = 0;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = i < a.length ? plainWeight(a.charCodeAt(i)) : -2;
    const y = i < b.length ? plainWeight(b.charCodeAt(i)) : -2;
    if (x === -1 || y === -1) return undefined; // every character is looked at before answering
    if (order === 0 && x !== y) order = x < y ? -1 : 1; // -2: the shorter string, a prefix, first
    // Same letter, other case: 'a' (97) before 'A' (65).
    if (caseOrder === 0 && x === y && a.charCodeAt(i) !== b.charCodeAt(i)) caseOrder = a.charCodeAt(i) > b.charCodeAt(i) ? -1 : 1;
  }
  return order || caseOrder;
}

/** Decree 30 day: leading zero below 10. */
export function decree30Day(day: number): string {
  return day < 10 ? `0${day}` : String(day);
}

/** Decree 30 month: leading zero for January and February only. */
export function decree30Month(month: number): string {
  return month <= 2 ? `0${month}` : String(month);
}

/** "Hà Nội, ngày 05 tháng 02 năm 2025" (place optional). */
export function decree30DateLine(date: { year: number; month: number; day: number }, place?: string): string {
  const core = `ngày ${decree30Day(date.day)} tháng ${decree30Month(date.month)} năm ${date.year}`;
  return place ? `${place}, ${core}` : core;
}

/** Số of a document: a leading zero below 10 (Phụ lục I). */
export function decree30Number(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

// Older imports name it here; Vietnam time itself lives in ./time.
export { isoVietnam } from './time';

// Letters and digits of any script (\p{L}, \p{N}) without a Unicode-class expression at each use: V8
// builds such a class from ICU's tables, about a millisecond, and a long-running process compiled the
// issuing check's pattern again at every issue. ASCII is answered here, any other character once.
const LETTER_OR_DIGIT_SEEN_MAX = 4096;
const letterOrDigitSeen = new Map<number, boolean>();
let letterOrDigitClass: RegExp | undefined;

/** Whether a code point is a letter or a digit (\p{L} or \p{N}). */
export function isLetterOrDigit(cp: number): boolean {
  if (cp < 0x80) return (cp >= 0x30 && cp <= 0x39) || ((cp | 0x20) >= 0x61 && (cp | 0x20) <= 0x7a);
  let known = letterOrDigitSeen.get(cp);
  if (known === undefined) {
    known = (letterOrDigitClass ??= /^[\p{L}\p{N}]$/u).test(String.fromCodePoint(cp));
    if (letterOrDigitSeen.size < LETTER_OR_DIGIT_SEEN_MAX) letterOrDigitSeen.set(cp, known);
  }
  return known;
}

/**
 * The shape of a ký hiệu (Phụ lục I): two or more groups of letters and digits joined by "-", after an
 * optional "<year>/" (VBQPPL): "QĐ-UBND", "2026/NĐ-CP". Checked on NFC text.
 */
export function isNotationShape(s: string): boolean {
  let groups = 0;
  let inGroup = false;
  for (let i = /^\d{4}\//.test(s) ? 5 : 0; i < s.length; ) {
    const cp = s.codePointAt(i)!;
    if (isLetterOrDigit(cp)) {
      if (!inGroup) groups++;
      inGroup = true;
    } else if (cp === 0x2d && inGroup) {
      inGroup = false;
    } else {
      return false;
    }
    i += cp > 0xffff ? 2 : 1;
  }
  return inGroup && groups >= 2;
}
