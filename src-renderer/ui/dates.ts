import dayjs, { type Dayjs } from 'dayjs';
import customParseFormat from 'dayjs/plugin/customParseFormat';
import { dateInVietnam, isoVietnam } from '@contract/time';

dayjs.extend(customParseFormat);

/** How every date reads and is typed in the UI (NĐ 30 writes dd/MM/yyyy), whatever the browser's locale. */
export const DATE_FORMAT = 'DD/MM/YYYY';
const ISO_DAY = 'YYYY-MM-DD';

/** A register day (YYYY-MM-DD) as the picker's value. */
export function dayValue(iso: string | null | undefined): Dayjs | null {
  if (!iso) return null;
  const d = dayjs(iso, ISO_DAY, true);
  return d.isValid() ? d : null;
}

/**
 * Today in Vietnam as the picker's value. Not dayjs(): that is the browser's own day, a day behind
 * Vietnam's from 17:00 UTC on a machine set to UTC, and the register refuses a handover dated before
 * the document arrived.
 */
export function todayValue(): Dayjs {
  return dayValue(dateInVietnam())!;
}

/**
 * Now, as a value whose wall clock reads Vietnam's time: what the date pickers take for "now" (the day
 * they mark as today, their "Hôm nay" button) instead of the browser's own clock (ui/DatePicker.tsx).
 */
export function vietnamNow(): Dayjs {
  return dayjs(isoVietnam(new Date()).slice(0, 19));
}

/** The picker's value back to the register's YYYY-MM-DD. */
export function isoDay(d: Dayjs | null | undefined): string | undefined {
  return d && d.isValid() ? d.format(ISO_DAY) : undefined;
}

/** A register day shown as dd/MM/yyyy. */
export function showDay(iso: string | null | undefined): string {
  return dayValue(iso)?.format(DATE_FORMAT) ?? '';
}
