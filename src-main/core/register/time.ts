import { z } from 'zod';

/** Injectable source of "now": tests and the bench drive time, production uses the system clock. */
export type Clock = () => Date;
export const systemClock: Clock = () => new Date();

// Vietnam has no daylight saving time: a fixed offset is exact.
const VN_OFFSET_MS = 7 * 3600_000;

/** YYYY-MM-DD of an instant in Vietnam. */
export function vnDate(d: Date): string {
  return new Date(d.getTime() + VN_OFFSET_MS).toISOString().slice(0, 10);
}

/** HH:MM of an instant in Vietnam. */
export function vnTime(d: Date): string {
  return new Date(d.getTime() + VN_OFFSET_MS).toISOString().slice(11, 16);
}

export function vnInstant(date: string, time = '00:00'): Date {
  return new Date(`${date}T${time}:00+07:00`);
}

export function yearOf(date: string): number {
  return Number(date.slice(0, 4));
}

/** dd/MM/yyyy, as registers show dates. */
export function displayDate(date: string | null | undefined): string {
  if (!date) return '';
  const [y, m, d] = date.split('-');
  return `${d}/${m}/${y}`;
}

export function isRealDate(s: string): boolean {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export const isoDateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD').refine(isRealDate, 'not a calendar date');
export const hhmmSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM');

/** Days between two YYYY-MM-DD dates (b − a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

export function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}
