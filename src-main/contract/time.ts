/**
 * Vietnam time, the one place its offset lives. Zod-free so the renderer can import it.
 * Vietnam has kept UTC+7 without daylight saving since 1975, so a fixed offset is exact for every date
 * a register or a signature can carry; Intl with a zone name would give the same answer more slowly and
 * would depend on the ICU data shipped with the runtime.
 */
import { YEAR_MAX, YEAR_MIN } from './limits';

export const VIETNAM_OFFSET = '+07:00';
/** The IANA zone, for Intl formatting on screens (the same instant rules as VIETNAM_OFFSET). */
export const VIETNAM_TIME_ZONE = 'Asia/Ho_Chi_Minh';
const OFFSET_MS = 7 * 3600_000;

/** A calendar day: year, month 1–12, day 1–31. */
export interface CalendarDay {
  year: number;
  month: number;
  day: number;
}

function shifted(date: Date): Date {
  return new Date(date.getTime() + OFFSET_MS);
}

/** ISO 8601 with seconds in Vietnam time: 2026-11-26T15:04:05+07:00 (signing times, audit, /M). */
export function isoVietnam(date: Date): string {
  return `${shifted(date).toISOString().slice(0, 19)}${VIETNAM_OFFSET}`;
}

/** YYYY-MM-DD of an instant in Vietnam (default: now). */
export function dateInVietnam(date: Date = new Date()): string {
  return shifted(date).toISOString().slice(0, 10);
}

/** HH:MM of an instant in Vietnam. */
export function timeInVietnam(date: Date): string {
  return shifted(date).toISOString().slice(11, 16);
}

/** The calendar year of an instant in Vietnam (default: now). */
export function yearInVietnam(date: Date = new Date()): number {
  return shifted(date).getUTCFullYear();
}

/** The calendar day of an instant in Vietnam. */
export function dayInVietnam(date: Date): CalendarDay {
  const v = shifted(date);
  return { year: v.getUTCFullYear(), month: v.getUTCMonth() + 1, day: v.getUTCDate() };
}

/** The instant a Vietnam wall-clock time names ("2026-03-10", "08:30"). */
export function vietnamInstant(date: string, time = '00:00'): Date {
  return new Date(`${date}T${time}:00${VIETNAM_OFFSET}`);
}

/** Whether YYYY-MM-DD names a day that exists (2026-02-30 does not). */
export function isCalendarDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** "2026-03-10" as a calendar day (no check; see isDocumentDay). */
export function parseIsoDay(s: string): CalendarDay {
  return { year: Number(s.slice(0, 4)), month: Number(s.slice(5, 7)), day: Number(s.slice(8, 10)) };
}

/** A day a document may be dated: it exists and its year lies in YEAR_MIN…YEAR_MAX. */
export function isDocumentDay(d: CalendarDay): boolean {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day));
  return Number.isInteger(d.year) && d.year >= YEAR_MIN && d.year <= YEAR_MAX && t.getUTCMonth() === d.month - 1 && t.getUTCDate() === d.day;
}
