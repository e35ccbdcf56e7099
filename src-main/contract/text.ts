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

// Made on first use: loading ICU's Vietnamese collation costs every process that imports the contract
// (each CLI start) several milliseconds, and most never sort.
let viCollator: Intl.Collator | undefined;
/** Vietnamese order (A < Ă < Â, D < Đ); never plain .sort() on Vietnamese strings. */
export function compareVi(a: string, b: string): number {
  viCollator ??= new Intl.Collator('vi');
  return viCollator.compare(a, b);
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
