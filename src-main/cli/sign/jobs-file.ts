/**
 * The CLI's jobs file (JSON lines): the schema of one job description and the parser. Its limits are
 * the contract's, so a line the file accepts is a job sign.batch accepts (the CLI turns each into one).
 */
import * as z from 'zod';
import { pathString as path } from '../../contract/api';
import { AppError } from '../../contract/errors';
import { AGENCY_NAME_MAX_CHARS, DOC_NUMBER_MAX, MAX_BATCH_JOBS, NOTATION_MAX_CHARS, REF_MAX_CHARS } from '../../contract/limits';
import { bookId } from '../../contract/issuing';
import { documentDate, sealMm } from '../../contract/sign';
import { COPY_FORMS } from '../../contract/vocabulary';

export const batchJobDescriptionSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('issue'), input: path, output: path,
    /** Cấp số: the sổ đi the number comes from (--number asks for a particular one of its series). */
    book: bookId, number: z.number().int().min(1).max(DOC_NUMBER_MAX).optional(), notation: z.string().min(1).max(NOTATION_MAX_CHARS).optional(), date: documentDate.optional(),
    /** Nơi nhận, Loại văn bản and Trích yếu for the register entry (default: what page 1 says). */
    to: z.array(z.string().min(1).max(200)).max(500).optional(), type: z.string().min(1).max(100).optional(), subject: z.string().min(1).max(500).optional(),
    /** Seal PNG; default the agency's configured seal. */
    stamp: path.optional(), sealMm: sealMm.optional(),
    /** Điều 17.4.c: the agency digitised the document itself; no leader signature required. */
    digitized: z.boolean().optional(),
  }),
  z.strictObject({ kind: z.literal('appendix'), input: path, output: path, ref: z.string().min(1).max(REF_MAX_CHARS) }),
  z.strictObject({ kind: z.literal('copy'), input: path, output: path, form: z.enum(COPY_FORMS), agency: z.string().min(1).max(AGENCY_NAME_MAX_CHARS) }),
]);
export type BatchJobDescription = z.infer<typeof batchJobDescriptionSchema>;

const MAX_LINE = 64 * 1024;

/** Parses a JSON-lines jobs file (blank lines and lines starting with # are skipped). */
export function parseJobLines(text: string): BatchJobDescription[] {
  const out: BatchJobDescription[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const bad = (why: string) => new AppError('INPUT_INVALID', `Dòng ${i + 1} của tệp danh sách không hợp lệ (${why}).`, `jobs line ${i + 1}: ${why}`, { line: i + 1 });
    if (line.length > MAX_LINE) throw bad('quá dài');
    if (out.length >= MAX_BATCH_JOBS) throw new AppError('INPUT_INVALID', `Tệp danh sách có quá ${MAX_BATCH_JOBS} việc.`, 'too many jobs');
    let raw: unknown;
    try { raw = JSON.parse(line); } catch { throw bad('không phải JSON'); }
    const parsed = batchJobDescriptionSchema.safeParse(raw);
    if (!parsed.success) throw bad(`trường ${parsed.error.issues.map((x) => x.path.join('.') || 'kind').slice(0, 4).join(', ')}`);
    out.push(parsed.data);
  }
  return out;
}
