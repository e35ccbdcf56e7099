import type { BookConfig } from './records';

/**
 * Default registers of an agency (domain.md §6): one incoming series, outgoing series, one series
 * shared by SY/SL/TrS copies, and secret documents in their own series. Agencies reconfigure these
 * (e.g. one outgoing series per VBQPPL type) through `configureBooks`.
 */
export function defaultBooks(agencyAbbr: string): BookConfig[] {
  return [
    { id: 'den', direction: 'den', kind: 'normal', name: 'Sổ đăng ký văn bản đến', notation: undefined },
    { id: 'di', direction: 'di', kind: 'normal', name: 'Sổ đăng ký văn bản đi', notation: undefined },
    { id: 'di-qd', direction: 'di', kind: 'normal', name: 'Sổ đăng ký Quyết định', notation: `QĐ-${agencyAbbr}` },
    { id: 'sao', direction: 'di', kind: 'copies', name: 'Sổ đăng ký bản sao (SY, SL, TrS)', notation: `SY-${agencyAbbr}` },
    { id: 'mat-den', direction: 'den', kind: 'secret', name: 'Sổ đăng ký văn bản mật đến', notation: undefined },
    { id: 'mat-di', direction: 'di', kind: 'secret', name: 'Sổ đăng ký văn bản mật đi', notation: undefined },
  ];
}

/** SY/SL/TrS copies share one series; the ký hiệu must say which kind of copy it is. */
export const COPY_NOTATION = /^(SY|SL|TrS)-[\p{L}\p{N}]+(-[\p{L}\p{N}]+)*$/u;
