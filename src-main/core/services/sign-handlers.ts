import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { PDFDocument } from '@cantoo/pdf-lib';
import type { z } from 'zod';
import { AppError, GENERIC_VI, isAppError } from '../../contract/errors';
import type { Handlers } from '../../contract/dispatch';
import type { BatchItemDto, BatchResultDto, SignProgressDto, SignResultDto, batchJob, signMethods } from '../../contract/sign';
import { MAX_BATCH_INPUT_BYTES } from '../../contract/limits';
import { decree30Day, decree30Month, decree30Number } from '../../contract/text';
import { parseIsoDay } from '../../contract/time';
import type { Settings } from '../config';
import type { KeySigner } from '../crypto/signer';
import { ioError, removeQuietly } from '../fsx/atomic-write';
import { centreText, ISSUE_FACE, issueBoxes, leaderImage, sealOver } from '../pdf/layout/placement';
import { extractLines } from '../pdf/layout/text-lines';
import {
  issuePdf, requireLeaderSignature, signAttachment, signBatch, signCopy,
  type AttachmentOptions, type BatchJob, type CopyOptions, type IssueOptions, type PdfInput, type SignResult,
} from '../pdf/sign/index';
import { chooseKey, type TokenService } from '../token';
import { verifyPdf, type SignatureReport } from '../verify/index';
import { derivedName, type StoredFile, type Workspace } from '../workspace';
import { toReportDto } from './verify-handlers';

export interface SignDeps {
  workspace: Workspace;
  tokens: TokenService;
  settings: Pick<Settings, 'trustDir' | 'sealMm' | 'demo'>;
  /** Red seal PNG of the agency. */
  stamp: () => Buffer;
  /** Intermediate CA certificates (DER) that complete the chain embedded in agency signatures. */
  intermediates: readonly Buffer[];
  /** Sends a backend event (sign.progress) to every connected screen; none in the CLI. */
  publish?: (event: string, payload: unknown) => void;
}

/** Jobs remembered for resuming batches; beyond this the oldest are forgotten (they would be signed again). */
const MAX_REMEMBERED_JOBS = 10_000;

type JobInput = z.output<typeof batchJob>;
type BatchSigned = NonNullable<BatchItemDto['result']>;
/** A job ready for the core signer: what to run, with which options, and the suffix of its output name. */
type PlannedJob =
  | { kind: 'issue'; options: IssueOptions; suffix: string }
  | { kind: 'appendix'; options: AttachmentOptions; suffix: string }
  | { kind: 'copy'; options: CopyOptions; suffix: string };

/**
 * sign.inspect / issue / appendix / copy / batch over workspace files. The login PIN never passes
 * here: the token must already be logged in (token.login); the signer is the token service's, shared
 * with the token screen. Outputs become new workspace files; the input is never touched.
 */
export function signHandlers(deps: SignDeps): Handlers<typeof signMethods> {
  const signed = new SignedJobs();
  // Batches run one after another: a second submission of the same jobs while the first still runs
  // must find the first one's outputs, not sign the same files again.
  let batchQueue: Promise<unknown> = Promise.resolve();

  // The file is checked before the token is touched: a wrong file says so, whatever the token's state.
  const signOne = async (job: JobInput, signerOf: () => KeySigner): Promise<SignResultDto> => {
    const { file, bytes } = deps.workspace.readPdf(job.fileId);
    const planned = planJob(deps, job);
    const signer = signerOf();
    const scratch = deps.workspace.scratchPath();
    const result = await runPlanned(planned, bytes, scratch, signer);
    const stored = deps.workspace.adopt(scratch, derivedName(file.name, planned.suffix));
    const verification = toReportDto(await verifyPdf(deps.workspace.read(stored.fileId).bytes, { trustDir: deps.settings.trustDir, offline: false }));
    signed.remember(jobKey(job, file.sha256, signer), { ...stored, signingTime: result.signingTime, summaryVi: verification.summaryVi });
    return { ...stored, signingTime: result.signingTime, verification };
  };
  const signerFor = (i: { token: string; keyId?: string | undefined; contextPin?: string | undefined }) => pickSigner(deps.tokens, i.token, i.keyId, i.contextPin);

  return {
    'sign.inspect': async ({ fileId, sealMm }) => inspect(deps, fileId, sealMm ?? deps.settings.sealMm),
    'sign.issue': async (i) => signOne({ kind: 'issue', ...pickJobFields(i) }, () => signerFor(i)),
    'sign.appendix': async (i) => signOne({ kind: 'appendix', fileId: i.fileId, ref: i.ref }, () => signerFor(i)),
    'sign.copy': async (i) => signOne({ kind: 'copy', fileId: i.fileId, form: i.form, agency: i.agency }, () => signerFor(i)),
    'sign.batch': (i) => {
      const run = batchQueue.then(() => runBatch(deps, signed, i.jobs, signerFor(i), i.operationId ?? randomBytes(12).toString('base64url')));
      batchQueue = run.catch(() => undefined);
      return run;
    },
  };
}

/** The issue job of a sign.issue call: its own fields only (the token, key and PIN are the signer's). */
function pickJobFields(i: { fileId: string; number: number; notation: string; date: string; sealMm: number; positions?: Extract<JobInput, { kind: 'issue' }>['positions'] }): Omit<Extract<JobInput, { kind: 'issue' }>, 'kind'> {
  return { fileId: i.fileId, number: i.number, notation: i.notation, date: i.date, sealMm: i.sealMm, ...(i.positions ? { positions: i.positions } : {}) };
}

/** Core signer options for a job, from the contract's fields and the agency settings. */
function planJob(deps: SignDeps, job: JobInput): PlannedJob {
  const common = { intermediates: deps.intermediates };
  switch (job.kind) {
    case 'appendix': return { kind: 'appendix', options: { ...common, ref: job.ref }, suffix: 'da-ky' };
    case 'copy': return { kind: 'copy', options: { ...common, form: job.form, agency: job.agency }, suffix: 'ban-sao' };
    case 'issue': {
      const { positions } = job;
      const day = parseIsoDay(job.date);
      const texts = { number: decree30Number(job.number), day: decree30Day(day.day), month: decree30Month(day.month) };
      return {
        kind: 'issue',
        suffix: `so-${texts.number}-da-ky`,
        options: {
          ...common, number: job.number, notation: job.notation, date: day, sealMm: job.sealMm, stamp: deps.stamp(),
          trust: { trustDir: deps.settings.trustDir }, offline: true,
          ...(positions?.number ? { numberAt: centreText(positions.number, texts.number, ISSUE_FACE.number) } : {}),
          ...(positions?.day ? { dayAt: centreText(positions.day, texts.day, ISSUE_FACE.day) } : {}),
          ...(positions?.month ? { monthAt: centreText(positions.month, texts.month, ISSUE_FACE.month) } : {}),
          ...(positions?.seal ? { sealRect: positions.seal } : {}),
        },
      };
    }
  }
}

function runPlanned(p: PlannedJob, input: PdfInput, output: string, signer: KeySigner): Promise<SignResult> {
  switch (p.kind) {
    case 'issue': return issuePdf(input, output, signer, p.options);
    case 'appendix': return signAttachment(input, output, signer, p.options);
    case 'copy': return signCopy(input, output, signer, p.options);
  }
}

/**
 * The outputs of jobs already signed in this workspace, by job key, so a batch sent again (after a
 * failure, a pulled token, a closed window) skips them and hands back the earlier file. In memory:
 * the workspace's own files outlive it, but a restarted app re-signs rather than trust a stale map.
 */
class SignedJobs {
  private readonly byKey = new Map<string, BatchSigned>();

  remember(key: string, result: BatchSigned): void {
    this.byKey.delete(key);
    this.byKey.set(key, result);
    if (this.byKey.size > MAX_REMEMBERED_JOBS) this.byKey.delete(this.byKey.keys().next().value!);
  }

  /** The earlier output, if the workspace still holds it (a pruned one means "sign again"). */
  find(key: string, workspace: Workspace): BatchSigned | null {
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
function jobKey(job: JobInput, inputSha256: string, signer: KeySigner): string {
  const { fileId: _id, ...fields } = job;
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

interface Runnable { index: number; key: string; name: string; job: BatchJob }

/**
 * sign.batch: every job with the one signer (one token session, one login). Jobs signed before are
 * skipped, unreadable or non-PDF inputs fail alone, then the core's signBatch signs the rest in order
 * and stops at a token error (pulled, locked, logged out) that would fail every later file the same way.
 * A progress event follows each job.
 */
async function runBatch(deps: SignDeps, signed: SignedJobs, jobs: readonly JobInput[], signer: KeySigner, operationId: string): Promise<BatchResultDto> {
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
        const earlier = signed.find(key, deps.workspace);
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
        const planned = planJob(deps, job);
        // The core signs files by path; the workspace's blobs are its own, so each input gets a
        // scratch copy (read and checked one at a time: a batch is never held in memory at once).
        const { bytes } = deps.workspace.readPdf(job.fileId);
        const input = deps.workspace.scratchPath();
        scratch.push(input);
        writeScratch(input, bytes);
        const output = deps.workspace.scratchPath();
        scratch.push(output);
        runnable.push({ index, key, name: derivedName(file.name, planned.suffix), job: { ...planned, input, output } as BatchJob });
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
    for (const [i, res] of results.entries()) {
      const r = runnable[i]!;
      if (res.status === 'failed') continue;
      try {
        const stored = deps.workspace.adopt(res.output, r.name);
        const result = { ...stored, signingTime: res.result!.signingTime, summaryVi: await summaryOf(deps, stored) };
        signed.remember(r.key, result);
        items[r.index] = { fileId: jobs[r.index]!.fileId, status: 'signed', result };
      } catch (e) {
        items[r.index] = { fileId: jobs[r.index]!.fileId, status: 'failed', error: errorPayload(e) };
      }
    }
    if (results.length < runnable.length) {
      const last = results.at(-1)?.error;
      stopped = { code: last?.code ?? 'TOKEN_ERROR', message: last?.message ?? GENERIC_VI.INTERNAL };
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
async function summaryOf(deps: SignDeps, stored: StoredFile): Promise<string> {
  const report = await verifyPdf(deps.workspace.read(stored.fileId).bytes, { trustDir: deps.settings.trustDir, offline: false });
  return report.summaryVi;
}

function errorPayload(e: unknown): { code: string; message: string } {
  return isAppError(e) ? { code: e.code, message: e.vi } : { code: 'INTERNAL', message: GENERIC_VI.INTERNAL };
}

/**
 * The agency's KeySigner, the key chosen by the one rule of core/token/choose.ts (named, or the only
 * usable one). The token must be logged in already; this says so in words the clerk can act on.
 * `contextPin` answers keys that ask for a second PIN before each signature (CKA_ALWAYS_AUTHENTICATE):
 * each request gets a fresh Buffer, which the token core wipes after C_Login.
 */
export function pickSigner(tokens: TokenService, ref: string, keyId: string | undefined, contextPin?: string): KeySigner {
  const tok = tokens.listTokens().find((t) => t.ref === ref);
  if (!tok) throw new AppError('TOKEN_ABSENT', 'Không tìm thấy thiết bị ký số đã chọn; hãy cắm token và thử lại.', 'token ref not present');
  if (!tok.loggedIn) {
    throw new AppError('TOKEN_NOT_LOGGED_IN', 'Token của cơ quan chưa đăng nhập. Hãy đăng nhập ở màn hình "Thiết bị ký số" rồi ký lại.', 'sign without login');
  }
  const chosen = chooseKey(tokens.listCertificates(ref), keyId);
  // Private keys are private objects: only after login can the token say this certificate has none.
  if (chosen.privateKeyStatus === 'absent') {
    throw new AppError('TOKEN_KEY_NOT_FOUND', `Chứng thư số ${chosen.keyId} trên token không kèm khóa bí mật, không ký được.`, `no private key for ${chosen.keyId}`);
  }
  return tokens.createTokenSigner(ref, chosen.keyId, contextPin === undefined ? {} : { pinCallback: async () => Buffer.from(contextPin, 'utf8') });
}

async function inspect(deps: SignDeps, fileId: string, sealMm: number) {
  const { bytes } = deps.workspace.readPdf(fileId);
  const first = await extractLines(bytes, [0]);
  if (first.pageCount === 0) throw new AppError('PDF_INVALID', 'Tệp PDF không có trang nào.', 'no pages');
  const lastIndex = first.pageCount - 1;
  const sizes = await pageSizes(bytes, [0, lastIndex]);
  const leader = await leaderStatus(bytes, deps.settings.trustDir);
  const boxes = issueBoxes(first.lines);
  const image = await leaderImage(bytes, leader.report?.widget, leader.report?.signerName);
  return {
    pageCount: first.pageCount,
    firstPage: sizes[0]!,
    lastPage: sizes[1]!,
    leader: {
      present: leader.present,
      verified: leader.verified,
      summaryVi: leader.summaryVi,
      signerName: leader.report?.signerName ?? null,
      widget: leader.report?.widget ? { page: leader.report.widget.page, ...leader.report.widget.rect } : null,
    },
    proposed: {
      number: boxes.number,
      day: boxes.day,
      month: boxes.month,
      seal: image ? sealOver(image, sealMm) : null,
    },
    sealMm,
  };
}

/** The leader's signature as the issuing rule sees it (requireLeaderSignature decides, not us). */
async function leaderStatus(bytes: Buffer, trustDir: string): Promise<{ present: boolean; verified: boolean; summaryVi: string; report: SignatureReport | null }> {
  const report = await verifyPdf(bytes, { trustDir, offline: true });
  const personal = report.signatures.filter((s) => !s.signerIsOrganisation);
  try {
    // No agency certificate is chosen yet: an empty one excludes nothing but organisation signatures.
    const s = requireLeaderSignature(report, Buffer.alloc(0), true);
    return { present: true, verified: true, summaryVi: s.summaryVi, report: s };
  } catch (e) {
    if (!isAppError(e) || e.code !== 'SIGN_REFUSED') throw e;
    return { present: personal.length > 0, verified: false, summaryVi: e.vi, report: personal.at(-1) ?? null };
  }
}

/** Crop-box sizes (what a viewer shows) of the given 0-based pages. */
async function pageSizes(bytes: Uint8Array, pages: number[]): Promise<Array<{ width: number; height: number }>> {
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false, throwOnInvalidObject: false });
  } catch (e) {
    throw new AppError('PDF_INVALID', 'Tệp PDF bị hỏng hoặc sai cấu trúc.', `page sizes: ${(e as Error).message}`);
  }
  return pages.map((p) => {
    const box = doc.getPage(p).getCropBox();
    return { width: box.width, height: box.height };
  });
}

