import { z } from 'zod';
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

export class WorkingCalendar {
  private readonly holidays: Set<string>;
  private readonly extra: Set<string>;
  private readonly weekend: Set<number>;
  readonly morningEnd: string;

  constructor(config: z.input<typeof calendarSchema> = {}) {
    const c = calendarSchema.parse(config);
    this.holidays = new Set(c.holidays);
    this.extra = new Set(c.workingWeekends);
    this.weekend = new Set(c.weekend);
    this.morningEnd = c.morningEnd;
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
