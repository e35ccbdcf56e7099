import * as z from 'zod';
import { NOTATION_MAX_CHARS } from '../../contract/limits';
import { nfc } from '../../contract/text';
import { DIRECTIONS } from '../../contract/vocabulary';
import { isoDaySchema } from '../../contract/register';
import { hhmmSchema } from './time';

/**
 * Input records with the Phụ lục VI tags as keys (docs/register.md, "Records"). Lengths are maxima, measured after
 * NFC, and longer values are rejected, never truncated. Objects are strict: an unknown key is an error,
 * so a typo in an import file cannot silently drop a field.
 */
const opt = (max: number) => z.string().transform(nfc).pipe(z.string().trim().max(max)).optional();
const req = (max: number) => z.string().transform(nfc).pipe(z.string().trim().min(1).max(max));
const int = (min: number, max: number) => z.number().int().min(min).max(max);

export const bookIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'book id: a-z, 0-9, -');

export const signerSchema = z.strictObject({ Position: opt(100), FullName: opt(50) });
export const fileCodeSchema = z.strictObject({
  OrganId: req(13),
  FileCatalog: int(1000, 9999),
  FileNotation: req(20),
});

const common = {
  book: bookIdSchema,
  FileCode: fileCodeSchema.optional(),
  DocOrdinal: int(1, 999).optional(),
  TypeName: req(100),
  /** A string: keeps the leading zero of "05". */
  CodeNumber: z.string().regex(/^[0-9A-Za-z.]{1,11}$/, 'CodeNumber').optional(),
  CodeNotation: opt(NOTATION_MAX_CHARS),
  IssuedDate: isoDaySchema.optional(),
  OrganName: opt(200),
  Subject: req(500),
  Language: opt(30),
  PageAmount: int(0, 999).optional(),
  Description: opt(500),
  SignerInfo: signerSchema.optional(),
  Priority: int(0, 4).default(0),
  Secrecy: int(0, 3).default(0),
  DueDate: isoDaySchema.optional(),
  /** For "Hỏa tốc hẹn giờ": the hour on DueDate. */
  DueTime: hhmmSchema.optional(),
  /** Mã định danh văn bản (QĐ 28 Điều 10). */
  DocumentId: opt(100),
};

export const incomingRecordSchema = z.strictObject({
  ...common,
  ArrivalDate: isoDaySchema.optional(),
  ArrivalNumber: int(1, 9_999_999_999).optional(),
  ToPlaces: opt(1000),
  TraceHeaderList: opt(100_000),
  /** "Gửi kèm văn bản giấy". */
  Paper: z.boolean().optional(),
});

export const recipientSchema = z.strictObject({ OrganId: opt(13), OrganName: req(200) });

export const outgoingRecordSchema = z.strictObject({
  ...common,
  To: z.array(recipientSchema).max(500).optional(),
  IssuedAmount: int(0, 999).optional(),
  /** Đơn vị, người nhận bản lưu (Sổ đi column 6). */
  FileCopyHolder: opt(200),
});

export type IncomingRecord = z.output<typeof incomingRecordSchema>;
export type OutgoingRecord = z.output<typeof outgoingRecordSchema>;
export type IncomingRecordInput = z.input<typeof incomingRecordSchema>;
export type OutgoingRecordInput = z.input<typeof outgoingRecordSchema>;
export type RecordInput = IncomingRecordInput | OutgoingRecordInput;

export const dossierSchema = z.strictObject({
  FileCode: fileCodeSchema,
  Title: req(500),
  Maintenance: opt(30),
  Rights: opt(30),
  Creator: opt(30),
  Language: opt(50),
  StartDate: isoDaySchema.optional(),
  EndDate: isoDaySchema.optional(),
  Description: opt(500),
});
export type DossierInput = z.input<typeof dossierSchema>;

export const bookConfigSchema = z.strictObject({
  id: bookIdSchema,
  direction: z.enum(DIRECTIONS),
  kind: z.enum(['normal', 'copies', 'secret']),
  name: req(200),
  /** Default ký hiệu of the series, e.g. "QĐ-UBND". */
  notation: opt(30),
});
export type BookConfig = z.output<typeof bookConfigSchema>;

export const assignmentSchema = z.strictObject({
  role: z.enum(['chu_tri', 'phoi_hop', 'de_biet']),
  unit: opt(200),
  person: opt(100),
  opinion: opt(2000),
  dueDate: isoDaySchema.optional(),
});
export type AssignmentInput = z.input<typeof assignmentSchema>;

/** Formats the first issue of a zod error for the log (field path only, never the value). */
export function issuePaths(err: z.ZodError): string {
  return err.issues.map((i) => i.path.join('.') || '(root)').slice(0, 8).join(', ');
}
