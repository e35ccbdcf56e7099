import { isoVietnam } from '../../../contract/text';

/** `/M` value in Vietnam time, the same instant the visible ISO 8601 text shows: D:20260615093000+07'00'. */
export function pdfDateVietnam(date: Date): string {
  const iso = isoVietnam(date); // 2026-06-15T09:30:00+07:00
  return `D:${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}+07'00'`;
}
