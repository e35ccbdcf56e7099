import * as z from 'zod';
import { isoDaySchema } from '../../contract/register';
import { addDays, hhmmSchema } from './time';

/**
 * Working-day calendar: weekends plus holidays set by the agency (Tết moves every year, so holidays
 * are configuration, not code). "Morning" ends at a configured hour (docs/register.md, "Deadlines"; default 12:00).
 */
export const calendarSchema = z.strictObject({
  holidays: z.array(isoDaySchema).max(2000).default([]),
  /** Extra working days that fall on a weekend (make-up days). */
  workingWeekends: z.array(isoDaySchema).max(500).default([]),
  /** 0 = Sunday … 6 = Saturday. */
  weekend: z.array(z.number().int().min(0).max(6)).max(6).default([0, 6]),
  morningEnd: hhmmSchema.default('12:00'),
});
export type CalendarConfig = z.output<typeof calendarSchema>;

/**
 * The one calendar of a register: built from the options the register opened with (the settings saved
 * in "Cài đặt"), replaced in place when the clerk saves new holidays, so every deadline computed after
 * that uses them.
 */
export class WorkingCalendar {
  private holidays = new Set<string>();
  private extra = new Set<string>();
  private weekend = new Set<number>();
  morningEnd = '12:00';
  private current!: CalendarConfig;

  constructor(config: z.input<typeof calendarSchema> = {}) {
    this.configure(config);
  }

  /** Validates and applies a new configuration; returns the previous one. */
  configure(config: z.input<typeof calendarSchema>): CalendarConfig {
    const c = calendarSchema.parse(config);
    const before = this.current;
    this.holidays = new Set(c.holidays);
    this.extra = new Set(c.workingWeekends);
    this.weekend = new Set(c.weekend);
    this.morningEnd = c.morningEnd;
    this.current = c;
    return before;
  }

  get config(): CalendarConfig {
    return this.current;
  }

  isWorkingDay(date: string): boolean {
    if (this.holidays.has(date)) return false;
    if (this.extra.has(date)) return true;
    return !this.weekend.has(new Date(`${date}T00:00:00Z`).getUTCDay());
  }

  /** The first working day strictly after `date` (bounded: a calendar of only holidays is a config error). */
  nextWorkingDay(date: string): string {
    let d = date;
    for (let i = 0; i < 366; i++) {
      d = addDays(d, 1);
      if (this.isWorkingDay(d)) return d;
    }
    throw new Error('calendar has no working day within a year');
  }

  addWorkingDays(date: string, n: number): string {
    let d = date;
    for (let i = 0; i < n; i++) d = this.nextWorkingDay(d);
    return d;
  }
}
