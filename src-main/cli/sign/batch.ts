/**
 * `vanthu sign batch <jobs.jsonl>`: one sign.batch call for the whole file (one login), progress on
 * stderr in job order, per-file results, resumable. Resume is the contract's: with --resume an output
 * that already exists is handed to sign.batch as the job's `previous` output and skipped if the one
 * resume rule accepts it.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { AppError } from '../../contract/errors';
import type { BatchJobDto, SignProgressDto } from '../../contract/sign';
import { dateInVietnam } from '../../contract/time';
import { parseJobLines, type BatchJobDescription } from './jobs-file';
import { settingsFromFlags, withBackend, type CliBackend } from '../backend-client';
import { EXIT, flagString, type CliIo } from '../io';
import { acceptUnknown, loginForSigning, warnDigitized, type Flags } from './session';

const MAX_JOBS_FILE_BYTES = 16 * 1024 * 1024;

interface JobRow { input: string; output: string; status: 'signed' | 'skipped' | 'failed' | 'stopped'; error?: { code: string; message: string } }

export async function batch(jobsFile: string | undefined, flags: Flags, io: CliIo, usageText: string): Promise<number> {
  const usage = (msg: string) => { io.err(`${msg}\n${usageText}`); return EXIT.USAGE; };
  if (!jobsFile) return usage('Cần tệp danh sách việc (jobs.jsonl).');
  const descriptions = parseJobLines(readJobsFile(jobsFile));
  if (descriptions.length === 0) return usage('Tệp danh sách không có việc nào.');
  const base = dirname(resolve(jobsFile));
  const at = (p: string) => (isAbsolute(p) ? p : resolve(base, p));
  const rows: JobRow[] = descriptions.map((d) => ({ input: at(d.input), output: at(d.output), status: 'stopped' }));
  const resume = flags.has('resume');
  if (!resume) {
    const existing = rows.filter((r) => existsSync(r.output)).map((r) => r.output);
    if (existing.length > 0) return usage(`Đã có ${existing.length} tệp kết quả (ví dụ ${existing[0]}); dùng --resume để bỏ qua các tệp đã ký xong, hoặc xóa chúng.`);
  }
  // One seal image for the call: the agency's, or the one the jobs name (all the same).
  const stamps = [...new Set(descriptions.flatMap((d) => (d.kind === 'issue' && d.stamp ? [at(d.stamp)] : [])))];
  if (stamps.length > 1) return usage('Các việc trong một lô phải dùng cùng một ảnh con dấu.');
  if (stamps[0]) flags.set('stamp', stamps[0]);
  const settings = settingsFromFlags(flags, io);
  descriptions.forEach((d, i) => { if (d.kind === 'issue' && d.digitized) warnDigitized(io, rows[i]!.input); });

  await withBackend(settings, async (b) => {
    // Inputs that cannot be read fail alone, in their place in the list; the rest go to sign.batch.
    const sent: Array<{ row: number; job: BatchJobDto }> = [];
    descriptions.forEach((d, i) => {
      try {
        sent.push({ row: i, job: toJob(b, d, rows[i]!, resume, settings.sealMm, flags) });
      } catch (e) {
        rows[i] = { ...rows[i]!, status: 'failed', error: payload(e) };
      }
    });
    const printer = progressPrinter(io, rows);
    for (const [i, r] of rows.entries()) if (r.status === 'failed') printer.finished(i);
    if (sent.length === 0) return;
    const signer = await loginForSigning(b, flags, io);
    const operationId = `cli-${process.pid}`;
    const unsubscribe = b.subscribe((event, p) => {
      const e = p as SignProgressDto;
      if (event !== 'sign.progress' || e.operationId !== operationId) return;
      const row = sent[e.index]!.row;
      rows[row] = { ...rows[row]!, status: e.status, ...(e.errorVi ? { error: { code: 'FAILED', message: e.errorVi } } : {}) };
      printer.finished(row);
    });
    try {
      const res = await b.call('sign.batch', { ...signer, operationId, jobs: sent.map((s) => s.job) });
      res.items.forEach((item, k) => {
        const row = sent[k]!.row;
        rows[row] = { ...rows[row]!, status: item.status, ...(item.error ? { error: item.error } : {}) };
        if (item.status === 'signed' && item.result) b.writeFile(item.result.fileId, rows[row]!.output);
      });
    } finally {
      unsubscribe();
    }
  }, flagString(flags, 'db') ? { registerDb: flagString(flags, 'db')! } : {});

  const count = (s: JobRow['status']) => rows.filter((r) => r.status === s).length;
  const counts = { signed: count('signed'), skipped: count('skipped'), failed: count('failed') };
  const notRun = count('stopped');
  io.err(`Xong: ${counts.signed} tệp đã ký, ${counts.skipped} tệp bỏ qua (đã ký trước đó), ${counts.failed} tệp lỗi${notRun ? `, ${notRun} tệp chưa làm (dừng vì lỗi token)` : ''}.`);
  if (flags.has('json')) io.out(JSON.stringify({ results: rows, ...counts, notRun }));
  return counts.failed === 0 && notRun === 0 ? EXIT.OK : EXIT.FAILED;
}

function readJobsFile(path: string): string {
  try {
    if (statSync(path).size > MAX_JOBS_FILE_BYTES) throw new AppError('INPUT_INVALID', 'Tệp danh sách việc quá lớn.', 'jobs file > 16 MB');
    return readFileSync(path, 'utf8');
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('NOT_FOUND', `Không đọc được tệp danh sách việc ${path}.`, `read ${path}`);
  }
}

/** A job description as a contract batch job: its input (and, resuming, its earlier output) put into the workspace. */
function toJob(b: CliBackend, d: BatchJobDescription, row: JobRow, resume: boolean, sealMm: number, flags: Flags): BatchJobDto {
  const fileId = b.putFile(row.input).fileId;
  const previous = resume && existsSync(row.output) ? { previous: b.putFile(row.output).fileId } : {};
  switch (d.kind) {
    case 'appendix': return { kind: 'appendix', fileId, ...previous, ref: d.ref };
    case 'copy': return { kind: 'copy', fileId, ...previous, form: d.form, agency: d.agency };
    case 'issue': return {
      kind: 'issue', fileId, ...previous, book: d.book, date: d.date ?? dateInVietnam(),
      ...(d.number !== undefined ? { number: d.number } : {}), ...(d.notation ? { notation: d.notation } : {}),
      ...(d.to?.length ? { recipients: d.to } : {}), ...(d.type ? { typeName: d.type } : {}), ...(d.subject ? { subject: d.subject } : {}),
      sealMm: d.sealMm ?? sealMm, ...(d.digitized ? { digitized: true } : {}), ...acceptUnknown(flags),
    };
  }
}

/** Progress lines in job order, each printed once every job before it has finished. */
function progressPrinter(io: CliIo, rows: JobRow[]) {
  const done = new Set<number>();
  let next = 0;
  return {
    finished(row: number) {
      done.add(row);
      while (done.has(next)) {
        io.err(`[${next + 1}/${rows.length}] ${line(rows[next]!)}`);
        next++;
      }
    },
  };
}

function line(r: JobRow): string {
  switch (r.status) {
    case 'signed': return `Đã ký: ${r.output}`;
    case 'skipped': return `Bỏ qua (đã ký trước đó): ${r.output}`;
    default: return `Lỗi: ${r.input}: ${r.error?.message ?? 'không rõ'}`;
  }
}

function payload(e: unknown): { code: string; message: string } {
  return e instanceof AppError ? { code: e.code, message: e.vi } : { code: 'INTERNAL', message: String(e) };
}
