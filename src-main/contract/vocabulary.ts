/**
 * Words of the trade that more than one layer names: zod-free so the renderer, the CLI and core import
 * the same list. Schemas in the contract build their enums from these.
 */

/** Forms of an electronic copy (NĐ 30 Điều 25–26), written first in the copy's text signature. */
export const COPY_FORMS = ['SAO Y', 'SAO LỤC', 'TRÍCH SAO'] as const;
export type CopyForm = (typeof COPY_FORMS)[number];
/** The code a copy's ký hiệu starts with in the copies sổ (NĐ 30 Phụ lục III): SY-UBND, SL-UBND, TrS-UBND. */
export const COPY_FORM_CODES: Readonly<Record<CopyForm, 'SY' | 'SL' | 'TrS'>> = { 'SAO Y': 'SY', 'SAO LỤC': 'SL', 'TRÍCH SAO': 'TrS' };

/** Printed outputs of the register: sổ đến / sổ đi (Phụ lục IV), sổ theo dõi, and the reports. */
export const PRINT_KINDS = ['so-den', 'so-di', 'theo-doi', 'bao-cao-den', 'bao-cao-di'] as const;
export type PrintKind = (typeof PRINT_KINDS)[number];

/** Urgency by its edXML code (index = code): 0 Thường … 4 Hỏa tốc hẹn giờ. */
export const PRIORITY_NAMES = ['Thường', 'Khẩn', 'Thượng khẩn', 'Hỏa tốc', 'Hỏa tốc hẹn giờ'] as const;
/** Secrecy, kept apart from urgency (index = code): 0 none, 1 Mật, 2 Tối mật, 3 Tuyệt mật. */
export const SECRECY_NAMES = ['', 'Mật', 'Tối mật', 'Tuyệt mật'] as const;

/** Register directions: incoming (đến) and outgoing (đi). */
export const DIRECTIONS = ['den', 'di'] as const;
export type Direction = (typeof DIRECTIONS)[number];
