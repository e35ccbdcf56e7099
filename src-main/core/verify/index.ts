/**
 * Verification core: `verifyPdf` validates every signature of a PDF (ETSI EN 319 102-1 indications)
 * and analyses what changed after each one (docs/verification.md). Public API for the signer, the UI and the
 * CLI: verifyPdf, loadTrustAnchors, extractSignedRevision.
 */
import { AppError } from '../../contract/errors';
import { PrefixDigest } from '../crypto/prefix-digest';
import { PdfFile } from '../pdf/parse/document';
import { PdfSyntaxError } from '../pdf/parse/lexer';
import { signatureEntries } from '../pdf/parse/signatures';
import { parseCerts, type Cert } from './certs';
import { loadTrustAnchors } from './trust';
import { validateSignature, type SignatureContext, type SignatureWork } from './signature';
import { issuersByAia } from './chain';
import { aiaCacheDir } from '../trust/aia';
import { cmsCertificates } from '../trust/cms-certificates';
import type { SignatureEntry } from '../pdf/parse/signatures';
import { gapsOverlap } from './byterange';
import { analyseChanges } from './changes';
import { checkRevocation, type RevocationOptions } from './revocation';
import { dssCertificates, dssRevocationData } from './dss';
import { verdictVi, worst } from './verdict';
import type { SignatureReport, VerificationReport } from './report';

export { loadTrustAnchors, installTrustAnchor } from './trust';
export type { VerificationReport, SignatureReport, Indication, SubIndication } from './report';

export interface VerifyOptions extends RevocationOptions {
  /** Trust anchors as DER; or `trustDir`, a folder of PEM/DER files. One of the two is required. */
  trustAnchors?: Buffer[];
  trustDir?: string;
  /** No network: revocation only from embedded data and the cache. */
  offline?: boolean;
  /** Validation time (default: now). */
  now?: Date;
  /**
   * 'require' (default): no revocation answer → INDETERMINATE/TRY_LATER. 'skip': revocation is not
   * checked and the report says so (for the signer's pre-check of a just-made signature, and tests).
   */
  revocation?: 'require' | 'skip';
  /**
   * The parse of `bytes` the caller already made (issuing parses its input once for the page-1 text
   * and the leader check). Used only when it was made from this very memory; only trusted
   * in-process code may pass it.
   */
  file?: PdfFile;
}

/**
 * A signature whose chain stops short of an anchor, online: the issuers its certificates' AIA "CA
 * Issuers" addresses publish (cached beside the revocation cache) may complete it, and it is
 * validated again with them. Offline, only what the file carries counts.
 */
async function completeChainsByAia(ctx: SignatureContext, entries: SignatureEntry[], works: SignatureWork[], options: VerifyOptions): Promise<void> {
  if (options.offline) return;
  const aia = { cacheDir: options.revocationCacheDir ? aiaCacheDir(options.revocationCacheDir) : null, ...(options.networkTimeoutMs ? { timeoutMs: options.networkTimeoutMs } : {}) };
  for (let i = 0; i < works.length; i++) {
    const w = works[i]!;
    if (w.report.subIndication !== 'NO_CERTIFICATE_CHAIN_FOUND' || !w.signer) continue;
    const carried = parseCerts(entries[i]!.contents ? cmsCertificates(entries[i]!.contents!.bytes)?.certificates ?? [] : []);
    const { added } = await issuersByAia(w.signer, [...carried, ...ctx.pool], ctx.anchors, aia);
    if (added.length === 0) continue;
    ctx.pool.push(...added);
    works[i] = validateSignature(ctx, entries[i]!, i);
  }
}

/** Appended to the summary of a file whose cross-reference data had to be rebuilt to be read. */
const REPAIRED_VI = 'Lưu ý: cấu trúc tệp bị lỗi và đã được dựng lại để đọc; kết quả trên dựa trên bản dựng lại.';

/** Largest input accepted, in bytes (a scanned 500-page file is ~200 MB). */
export const MAX_VERIFY_BYTES = 512 * 1024 * 1024;

export async function verifyPdf(bytes: Buffer, options: VerifyOptions): Promise<VerificationReport> {
  const now = options.now ?? new Date();
  const anchors = anchorsFrom(options);
  if (bytes.length > MAX_VERIFY_BYTES) {
    throw new AppError('PDF_TOO_LARGE', 'Tệp PDF quá lớn để kiểm tra.', `${bytes.length} bytes > ${MAX_VERIFY_BYTES}`);
  }
  let file: PdfFile;
  try {
    file = options.file && sameMemory(options.file.bytes, bytes) ? options.file : new PdfFile(bytes);
  } catch (e) {
    if (!(e instanceof PdfSyntaxError) && !(e instanceof RangeError)) throw e;
    return brokenFile(e.message, now);
  }
  const enc = file.encryption;
  if (enc && (enc.needsPassword || enc.unsupported)) return lockedFile(enc.needsPassword, `${enc.handler} ${enc.method}`, file.revisions.length, now);
  try {
    return await verifyParsed(file, anchors, options, now);
  } catch (e) {
    if (e instanceof PdfSyntaxError || e instanceof RangeError) return brokenFile(e.message, now);
    if (e instanceof AppError) throw e;
    // Hostile input must end in a verdict, never a crash; the detail keeps the bug visible in logs.
    return brokenFile(`internal error on malformed input: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`, now);
  }
}

function sameMemory(a: Uint8Array, b: Uint8Array): boolean {
  return a.buffer === b.buffer && a.byteOffset === b.byteOffset && a.byteLength === b.byteLength;
}

async function verifyParsed(file: PdfFile, anchors: Cert[], options: VerifyOptions, now: Date): Promise<VerificationReport> {
  const entries = signatureEntries(file);
  const pool = dssCertificates(file);
  // Every ByteRange starts at byte 0 and most of a file precedes its first signature's /Contents: one
  // SHA-256 pass over that shared prefix serves all signatures (a two-signature 10 MB file hashed twice
  // cost ~6 ms more), and it is the pass the reader or the workspace already made over this memory.
  const ctx = { file, anchors, pool, now, rangeDigest: PrefixDigest.of(file.bytes).rangeDigest };
  const works: SignatureWork[] = entries.map((e, i) => validateSignature(ctx, e, i));
  await completeChainsByAia(ctx, entries, works, options);

  // Two signatures may not exclude overlapping gaps.
  for (let i = 0; i < works.length; i++) {
    for (let j = i + 1; j < works.length; j++) {
      const a = works[i]!, b = works[j]!;
      if (a.range && b.range && gapsOverlap(a.range, b.range)) {
        for (const w of [a, b]) fail(w.report, 'TOTAL_FAILED', 'FORMAT_FAILURE', 'the ByteRange gaps of two signatures overlap');
      }
    }
  }

  const embedded = dssRevocationData(file);
  const revocationOptions = { ...options, offline: options.offline ?? false, mode: options.revocation ?? 'require' } as const;
  for (const w of works) {
    if (w.report.indication !== 'TOTAL_PASSED') continue;
    if (w.path && !w.report.isDocTimestamp) {
      const rev = await checkRevocation(w.path, w.signingTime, now, embedded, { ...revocationOptions, timeProven: w.report.signingTimeSource === 'timestamp' });
      w.report.revocation = rev.summary;
      if (rev.indication) fail(w.report, rev.indication, rev.subIndication, rev.reason);
    }
    // The TSA vouches for the time: a TSA certificate revoked by then makes the time worthless.
    // fail() above may have changed the indication: read it afresh.
    if (w.tsa && indicationOf(w.report) !== 'TOTAL_FAILED') {
      const tsa = await checkRevocation(w.tsa.path, w.tsa.time, now, embedded, { ...revocationOptions, timeProven: true, role: 'TSA' });
      if (w.report.isDocTimestamp) w.report.revocation = tsa.summary;
      if (tsa.indication === 'TOTAL_FAILED') fail(w.report, tsa.indication, tsa.subIndication, tsa.reason);
      else if (tsa.summary.status === 'unknown') w.report.warnings!.push(`TSA revocation status unknown: ${tsa.summary.detail}`);
    }
  }

  const changes = analyseChanges(file, works);
  for (const w of works) {
    const r = w.report;
    r.cryptoIndication = r.indication;
    if (r.subIndication) r.cryptoSubIndication = r.subIndication;
    r.changesAfter = changes.get(w) ?? [];
    const bad = r.changesAfter.filter((c) => !c.allowed);
    if (bad.length > 0 && r.indication !== 'TOTAL_FAILED') {
      r.indication = 'TOTAL_FAILED';
      r.subIndication = 'DISALLOWED_MODIFICATION';
      r.reasons.push(`changes after signing that are not allowed: ${bad.map((c) => c.kind).join(', ')}`);
      r.summaryVi = verdictVi('TOTAL_FAILED', 'DISALLOWED_MODIFICATION');
    }
  }
  const reports = works.map((w) => w.report);
  const encrypted = file.encryption ? [`ENCRYPTED: ${file.encryption.handler}, ${file.encryption.method} ${file.encryption.keyBits}-bit, opened with the empty user password (permissions only)`] : [];
  const structureFindings = [...encrypted, ...file.repairs.map((r) => `REPAIRED: ${r}`), ...file.anomalies.map((a) => `${a.kind} (revision ${a.revision}, byte ${a.offset}): ${a.detail}`)];
  const report = summarise(reports, structureFindings, file.revisions.length, now);
  if (file.repairs.length) {
    report.repairs = [...file.repairs];
    report.summaryVi = `${report.summaryVi} ${REPAIRED_VI}`;
  }
  return report;
}

function indicationOf(r: SignatureReport): SignatureReport['indication'] { return r.indication; }

function fail(r: SignatureReport, indication: SignatureReport['indication'], sub: SignatureReport['subIndication'], reason: string): void {
  r.reasons.push(reason);
  if (worst(r.indication, indication) === r.indication && r.indication !== 'TOTAL_PASSED') return;
  r.indication = indication;
  r.subIndication = sub;
  r.summaryVi = verdictVi(indication, sub);
}

function summarise(signatures: SignatureReport[], structureFindings: string[], revisionCount: number, now: Date): VerificationReport {
  const disallowedChange = signatures.some((s) => s.changesAfter.some((c) => !c.allowed));
  let overall: VerificationReport['overall'] = signatures.length === 0 ? 'INDETERMINATE' : 'TOTAL_PASSED';
  for (const s of signatures) overall = worst(overall, s.indication);
  let summaryVi: string;
  if (signatures.length === 0) summaryVi = 'Không xác định — văn bản không có chữ ký số.';
  else if (overall === 'TOTAL_PASSED') {
    const decree30 = signatures.some((s) => s.changesAfter.some((c) => c.kind === 'DECREE30_ISSUING'));
    const stamps = signatures.filter((s) => s.isDocTimestamp).length;
    const sigs = signatures.length - stamps;
    const main = sigs === 0 ? 'Hợp lệ — văn bản chỉ có dấu thời gian, không có chữ ký số' : sigs === 1 ? 'Hợp lệ — chữ ký số hợp lệ' : `Hợp lệ — cả ${sigs} chữ ký số đều hợp lệ`;
    const ts = stamps === 0 || sigs === 0 ? '' : stamps === 1 ? '; có dấu thời gian hợp lệ cho cả văn bản' : `; có ${stamps} dấu thời gian hợp lệ cho cả văn bản`;
    summaryVi = `${main}${decree30 ? '; sau chữ ký của lãnh đạo, văn thư đã thêm số, ngày và dấu' : ''}${ts}.`;
  } else {
    const first = signatures.find((s) => s.indication === overall)!;
    summaryVi = `${first.summaryVi} (chữ ký ${first.index + 1}: ${first.signerName ?? first.fieldName}).`;
    if (disallowedChange && overall === 'TOTAL_FAILED') summaryVi = 'Không hợp lệ — văn bản bị sửa sau khi ký.';
  }
  return { overall, disallowedChange, signatures, summaryVi, structureFindings, revisionCount, validationTime: now.toISOString() };
}

/** An encrypted file this reader cannot open: nothing is known about its signatures either way. */
function lockedFile(needsPassword: boolean, detail: string, revisionCount: number, now: Date): VerificationReport {
  return {
    overall: 'INDETERMINATE',
    disallowedChange: false,
    signatures: [],
    summaryVi: needsPassword
      ? 'Không xác định — tệp PDF được đặt mật khẩu, cần mật khẩu để mở trước khi kiểm tra chữ ký.'
      : 'Không xác định — tệp PDF được mã hoá theo cách phần mềm chưa hỗ trợ, không kiểm tra được chữ ký.',
    structureFindings: [`${needsPassword ? 'PASSWORD_REQUIRED' : 'ENCRYPTION_UNSUPPORTED'}: ${detail}`],
    revisionCount,
    validationTime: now.toISOString(),
  };
}

function brokenFile(detail: string, now: Date): VerificationReport {
  return {
    overall: 'TOTAL_FAILED',
    disallowedChange: false,
    signatures: [],
    summaryVi: 'Không hợp lệ — tệp PDF bị hỏng hoặc sai cấu trúc, không kiểm tra được chữ ký.',
    structureFindings: [`unreadable PDF: ${detail}`],
    revisionCount: 0,
    validationTime: now.toISOString(),
  };
}

function anchorsFrom(options: VerifyOptions): Cert[] {
  const ders = options.trustAnchors ?? (options.trustDir ? loadTrustAnchors(options.trustDir) : null);
  if (!ders) throw new AppError('INPUT_INVALID', 'Chưa chỉ định chứng thư gốc tin cậy.', 'verifyPdf needs trustAnchors or trustDir');
  // A broken anchor is simply not an anchor.
  return parseCerts(ders);
}

/**
 * The exact bytes signature `index` (0-based, file order as in the report) covers: its signed revision,
 * i.e. bytes [0, c + d). Throws PDF_INVALID when the signature's ByteRange is not a clean revision.
 */
export function extractSignedRevision(bytes: Buffer, index: number): Buffer {
  let file: PdfFile;
  try { file = new PdfFile(bytes); } catch (e) {
    throw new AppError('PDF_INVALID', 'Tệp PDF bị hỏng hoặc sai cấu trúc.', (e as Error).message);
  }
  const entry = signatureEntries(file)[index];
  if (!entry) throw new AppError('NOT_FOUND', 'Không có chữ ký số ở vị trí này.', `no signature #${index}`);
  const br = entry.dict.get('ByteRange');
  if (!Array.isArray(br) || br.length !== 4 || !br.every((n) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0)) {
    throw new AppError('PDF_INVALID', 'Chữ ký số có vùng ký không hợp lệ.', 'bad ByteRange');
  }
  const [a, , c, d] = br as number[];
  if (a !== 0 || c! + d! > bytes.length) throw new AppError('PDF_INVALID', 'Chữ ký số có vùng ký không hợp lệ.', 'ByteRange outside the file');
  return Buffer.from(bytes.subarray(0, c! + d!));
}
