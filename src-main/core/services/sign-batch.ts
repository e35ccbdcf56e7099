/**
 * sign.batch over workspace files: one signer for every job, jobs already done skipped by the one
 * resume rule (core/pdf/sign/resume.ts), the rest signed in order by the core's signBatch, which stops
 * at a token error that would fail every later file the same way. A progress event follows each job.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { z } from 'zod';
import { AppError, GENERIC_VI, isAppError, type ErrorCode } from '../../contract/errors';
import { MAX_BATCH_INPUT_BYTES } from '../../contract/limits';
import type { BatchItemDto, BatchResultDto, SignProgressDto, batchJob } from '../../contract/sign';
import type { KeySigner } from '../crypto/signer';
import { ioError, removeQuietly } from '../fsx/atomic-write';
import { isEarlierOutput, signBatch, type BatchJob, type IssueResult } from '../pdf/sign/index';
import { verifyPdf } from '../verify/index';
import { derivedName, type StoredFile, type Workspace } from '../workspace';
import type { PlannedJob } from './sign-plan';
import { entryOf, recordIssued, reserve, voidReservation, type IssuingRegister, type Reservation } from './sign-register';

export type JobInput = z.output<typeof batchJob>;
type BatchSigned = NonNullable<BatchItemDto['result']>;

/** Jobs remembered for resuming batches; beyond this the oldest are forgotten (they would be signed again). */
const MAX_REMEMBERED_JOBS = 10_000;

export interface BatchDeps {
  workspace: Workspace;
  trustDir: string;
  /** Core options of a job; an issue with a sổ gets the register's reserved number and ký hiệu. */
  plan: (job: JobInput, reserved?: Reservation) => PlannedJob;
  /** Cấp số: the register's reservation, issued entry and cancelled number (sign-register.ts). */
  register: IssuingRegister;
  /** A copy's source, when not an issued document of the register, must have been digitised here. */
  requireDigitizedHere: (bytes: Uint8Array) => Promise<void>;
  /** Refuses one job on its input bytes (the digitised-here gate); the job fails alone. */
  check: (job: JobInput, bytes: Uint8Array) => Promise<void>;
  publish?: (event: string, payload: unknown) => void;
}

/**
 * Earlier outputs by job key, so a batch sent again (after a failure, a pulled token, a closed window)
 * finds them without the caller naming them. Only a candidate: it counts once the resume rule accepts
 * it. In memory; a caller that keeps outputs itself (the CLI) names them in `previous`.
 */
export class SignedJobs {
  private readonly byKey = new Map<string, BatchSigned>();

  remember(key: string, result: BatchSigned): void {
    this.byKey.delete(key);
    this.byKey.set(key, result);
    if (this.byKey.size > MAX_REMEMBERED_JOBS) this.byKey.delete(this.byKey.keys().next().value!);
  }

  candidate(key: string, workspace: Workspace): BatchSigned | null {
    const r = this.byKey.get(key);
    if (!r) return null;
    try {
      workspace.stat(r.fileId);
      return r;
    } catch {
      this.byKey.delete(key);
      return null;
    }
  }
}

/**
 * What makes two jobs the same signature: the input's content (not its id: the same file picked
 * again is the same job), the kind and every option, and the signer's certificate.
 */
export function jobKey(job: JobInput, inputSha256: string, signer: KeySigner): string {
  const { fileId: _id, previous: _previous, ...fields } = job;
  const cert = createHash('sha256').update(signer.certificate).digest('hex');
  return createHash('sha256').update(canonicalJson({ input: inputSha256, cert, fields })).digest('hex');
}

function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** The earlier output of a job, if the caller's or the remembered one passes the resume rule. */
async function earlierOutput(deps: BatchDeps, signed: SignedJobs, job: JobInput, key: string, signer: KeySigner): Promise<BatchSigned | null> {
  const candidates: Array<StoredFile & { signingTime?: string; summaryVi?: string }> = [];
  if (job.previous) candidates.push(deps.workspace.stat(job.previous));
  const remembered = signed.candidate(key, deps.workspace);
  if (remembered) candidates.push(remembered);
  if (candidates.length === 0) return null;
  const input = deps.workspace.read(job.fileId).bytes;
  for (const c of candidates) {
    const output = deps.workspace.read(c.fileId).bytes;
    if (!(await isEarlierOutput(input, output, signer.certificate, { trustDir: deps.trustDir }))) continue;
    if (c.signingTime !== undefined && c.summaryVi !== undefined) return c as BatchSigned;
    const report = await verifyPdf(output, { trustDir: deps.trustDir, offline: true });
    const last = report.signatures.at(-1)!;
    return { fileId: c.fileId, name: c.name, size: c.size, sha256: c.sha256, signingTime: last.signingTime ?? '', summaryVi: report.summaryVi };
  }
  return null;
}

interface Runnable { index: number; key: string; name: string; job: BatchJob; reservation: Reservation | null }

export async function runBatch(deps: BatchDeps, signed: SignedJobs, jobs: readonly JobInput[], signer: KeySigner, operationId: string): Promise<BatchResultDto> {
  const total = jobs.length;
  const items: BatchItemDto[] = jobs.map((j) => ({ fileId: j.fileId, status: 'stopped' }));
  const names: string[] = jobs.map(() => '');
  let done = 0;
  const progress = (index: number, status: SignProgressDto['status'], errorVi?: string) => {
    done++;
    const payload: SignProgressDto = { operationId, done, total, index, fileId: jobs[index]!.fileId, name: names[index]!, status, ...(errorVi ? { errorVi } : {}) };
    deps.publish?.('sign.progress', payload);
  };
  const fail = (index: number, error: { code: string; message: string }) => {
    items[index] = { fileId: jobs[index]!.fileId, status: 'failed', error };
    progress(index, 'failed', error.message);
  };

  const runnable: Runnable[] = [];
  const scratch: string[] = [];
  const keys = new Set<string>();
  let inputBytes = 0;
  try {
    for (const [index, job] of jobs.entries()) {
      try {
        const file = deps.workspace.stat(job.fileId);
        names[index] = file.name;
        const key = jobKey(job, file.sha256, signer);
        const earlier = await earlierOutput(deps, signed, job, key, signer);
        if (earlier) {
          items[index] = { fileId: job.fileId, status: 'skipped', result: earlier };
          progress(index, 'skipped');
          continue;
        }
        if (keys.has(key)) throw new AppError('INPUT_INVALID', 'Tệp này đã có trong danh sách ký với cùng nội dung chữ ký.', 'duplicate job in one batch');
        inputBytes += file.size;
        if (inputBytes > MAX_BATCH_INPUT_BYTES) {
          throw new AppError('PDF_TOO_LARGE', 'Tổng dung lượng các tệp trong lô vượt quá 2 GB; hãy chia thành nhiều lô nhỏ hơn.', `batch inputs over ${MAX_BATCH_INPUT_BYTES} bytes`);
        }
        keys.add(key);
        // The core signs files by path; the workspace's blobs are its own, so each input gets a
        // scratch copy (read and checked one at a time: a batch is never held in memory at once).
        const { bytes } = deps.workspace.readPdf(job.fileId);
        await deps.check(job, bytes);
        const entry = await entryOf(deps, job, file, bytes);
        const reservation = entry ? await reserve(deps.register, entry, file) : null;
        try {
          const planned = deps.plan(job, reservation ?? undefined);
          const input = deps.workspace.scratchPath();
          scratch.push(input);
          writeScratch(input, bytes);
          const output = deps.workspace.scratchPath();
          scratch.push(output);
          runnable.push({ index, key, name: derivedName(file.name, planned.suffix), job: { ...planned, input, output } as BatchJob, reservation });
        } catch (e) {
          throw reservation ? await voidReservation(deps.register, reservation, e) : e;
        }
      } catch (e) {
        fail(index, errorPayload(e));
      }
    }

    const results = await signBatch(runnable.map((r) => r.job), signer, {
      onProgress: ({ index, item }) => {
        const at = runnable[index]!.index;
        if (item.status === 'failed') fail(at, item.error ? { code: item.error.code, message: item.error.message } : errorPayload(null));
        else progress(at, item.status);
      },
    });

    let stopped: BatchResultDto['stopped'] = null;
    if (results.length < runnable.length) {
      const last = results.at(-1)?.error;
      stopped = { code: last?.code ?? 'TOKEN_ERROR', message: last?.message ?? GENERIC_VI.INTERNAL };
    }
    for (const [i, r] of runnable.entries()) {
      const res = results[i];
      if (!res || res.status === 'failed') {
        // A reserved number whose file was not signed (failed, or never reached) is cancelled with the reason.
        if (!r.reservation) continue;
        const why = res?.error ?? stopped!;
        const voided = await voidReservation(deps.register, r.reservation, new AppError(why.code as ErrorCode, why.message, `batch job ${r.index}`));
        if (res) items[r.index] = { fileId: jobs[r.index]!.fileId, status: 'failed', error: errorPayload(voided) };
        continue;
      }
      try {
        const registered = r.reservation
          ? await recordIssued(deps.register, r.reservation, { path: res.output, name: r.name }, res.result as IssueResult, signer.certificate)
          : null;
        const stored = deps.workspace.adopt(res.output, r.name);
        const result = { ...stored, signingTime: res.result!.signingTime, summaryVi: await summaryOf(deps, stored), ...(registered ? { registered } : {}) };
        signed.remember(r.key, result);
        items[r.index] = { fileId: jobs[r.index]!.fileId, status: 'signed', result };
      } catch (e) {
        items[r.index] = { fileId: jobs[r.index]!.fileId, status: 'failed', error: errorPayload(e) };
      }
    }
    return { operationId, items, stopped };
  } finally {
    for (const f of scratch) removeQuietly(f);
  }
}

function writeScratch(path: string, bytes: Uint8Array): void {
  try {
    writeFileSync(path, bytes);
  } catch (e) {
    throw ioError(e, path);
  }
}

/**
 * The verifier's one-line verdict on a batch output, online as for a single file: every output of a
 * batch carries the same agency certificate, so the revocation cache answers all but the first.
 */
async function summaryOf(deps: BatchDeps, stored: StoredFile): Promise<string> {
  const report = await verifyPdf(deps.workspace.read(stored.fileId).bytes, { trustDir: deps.trustDir, offline: false });
  return report.summaryVi;
}

function errorPayload(e: unknown): { code: string; message: string } {
  return isAppError(e) ? { code: e.code, message: e.vi } : { code: 'INTERNAL', message: GENERIC_VI.INTERNAL };
}
