/**
 * Batch jobs as JSON (a JSON-lines file for the CLI, a contract method's input for the UI): the schema
 * of one job description, and its conversion to a BatchJob. Paths in a description are resolved
 * against a base folder (the jobs file's); image files are read once per batch, however many jobs
 * name them.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../../contract/errors';
import { AGENCY_NAME_MAX_CHARS, DOC_NUMBER_MAX, MAX_BATCH_JOBS, NOTATION_MAX_CHARS, REF_MAX_CHARS } from '../../../contract/limits';
import { documentDate, sealMm } from '../../../contract/sign';
import { COPY_FORMS } from '../../../contract/vocabulary';
import type { BatchJob } from './batch';
import type { CommonSignOptions } from './common';
import type { IssueOptions } from './issue';

const path = z.string().min(1).max(4096).refine((s) => !s.includes('\0'), 'NUL in path');

export const batchJobDescriptionSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('issue'), input: path, output: path,
    number: z.number().int().min(1).max(DOC_NUMBER_MAX), notation: z.string().min(1).max(NOTATION_MAX_CHARS), date: documentDate.optional(),
    /** Seal PNG; default the agency's configured seal. */
    stamp: path.optional(), sealMm: sealMm.optional(),
    /** Điều 17.4.c: the agency digitised the document itself; no leader signature required. */
    digitized: z.boolean().optional(),
  }),
  z.strictObject({ kind: z.literal('appendix'), input: path, output: path, ref: z.string().min(1).max(REF_MAX_CHARS) }),
  z.strictObject({ kind: z.literal('copy'), input: path, output: path, form: z.enum(COPY_FORMS), agency: z.string().min(1).max(AGENCY_NAME_MAX_CHARS) }),
]);
export type BatchJobDescription = z.infer<typeof batchJobDescriptionSchema>;

/** What every job of a batch shares: TSA, intermediates, trust roots, default seal. */
export interface BatchDefaults extends CommonSignOptions {
  trust?: IssueOptions['trust'];
  stamp?: string;
  sealMm?: number;
}

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

/** BatchJobs from descriptions: paths resolved against `baseDir`, seal images read once. */
export function toBatchJobs(descriptions: readonly BatchJobDescription[], baseDir: string, defaults: BatchDefaults): BatchJob[] {
  const at = (p: string) => (isAbsolute(p) ? p : resolve(baseDir, p));
  const images = new Map<string, Buffer>();
  const image = (p: string) => {
    let b = images.get(p);
    if (!b) {
      try { b = readFileSync(p); } catch { throw new AppError('NOT_FOUND', `Không đọc được tệp ảnh con dấu ${p}.`, `read ${p}`); }
      images.set(p, b);
    }
    return b;
  };
  const common: CommonSignOptions = {
    ...(defaults.tsa ? { tsa: defaults.tsa } : {}), ...(defaults.intermediates ? { intermediates: defaults.intermediates } : {}),
  };
  return descriptions.map((d): BatchJob => {
    const io = { input: at(d.input), output: at(d.output) };
    switch (d.kind) {
      case 'appendix': return { kind: 'appendix', ...io, options: { ...common, ref: d.ref } };
      case 'copy': return { kind: 'copy', ...io, options: { ...common, form: d.form, agency: d.agency } };
      case 'issue': {
        const stamp = d.stamp ? at(d.stamp) : defaults.stamp;
        if (!stamp) throw new AppError('INPUT_INVALID', 'Thiếu ảnh con dấu (trường "stamp" hoặc cấu hình cơ quan).', 'no stamp');
        const [y, m, day] = d.date ? d.date.split('-').map(Number) : [];
        return {
          kind: 'issue', ...io,
          options: {
            ...common, number: d.number, notation: d.notation, stamp: image(stamp),
            jobType: d.digitized ? 'digitized' : 'issue',
            ...(d.date ? { date: { year: y!, month: m!, day: day! } } : {}),
            ...(d.sealMm ?? defaults.sealMm ? { sealMm: d.sealMm ?? defaults.sealMm } : {}),
            ...(defaults.trust ? { trust: defaults.trust } : {}),
          },
        };
      }
    }
  });
}
