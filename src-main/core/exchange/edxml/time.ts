import { isoVietnam, VIETNAM_OFFSET } from '../../../contract/time';

/** edXML carries Vietnam time without a zone (docs/exchange.md §1): `yyyy/MM/dd HH:mm:ss`. */
export function edxmlTimestamp(at: Date): string {
  return isoVietnam(at).slice(0, 19).replace(/-/g, '/').replace('T', ' ');
}

/** `yyyy/MM/dd` of an instant in Vietnam. */
export function edxmlDate(at: Date): string {
  return edxmlTimestamp(at).slice(0, 10);
}

/** `yyyy/MM/dd` ↔ `YYYY-MM-DD` (Phụ lục VI dates). */
export function isoFromEdxmlDate(d: string): string {
  return d.replace(/\//g, '-');
}
export function edxmlFromIsoDate(d: string): string {
  return d.replace(/-/g, '/');
}

/** The instant of an edXML timestamp (read as +07:00). */
export function instantOfEdxmlTimestamp(ts: string): Date {
  return new Date(`${ts.replace(/\//g, '-').replace(' ', 'T')}${VIETNAM_OFFSET}`);
}
