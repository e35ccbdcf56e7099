/**
 * Appends signed revisions to a PDF without rewriting it.
 *
 * Why @cantoo/pdf-lib's incremental writer (load with forIncrementalUpdate, saveIncremental) and not a
 * writer of our own: it already emits only new and marked objects with an xref section, /Prev and the
 * repeated trailer keys, keeps /Type /Sig dictionaries out of object streams (so /Contents can be
 * patched in place), and embeds subset fonts and PNGs. What it does not do we add here: choosing the
 * xref style of the input (table after table, stream after stream), the ByteRange/Contents patch, the
 * streamed digest, and the prefix check.
 *
 * Why not its commit(): see appendRevision().
 *
 * The digest is streamed and never recomputed over old bytes: one SHA-256 state runs over the file as
 * it grows, and each new signature hashes only its own revision on a copy of that state. Several
 * signatures on a 50 MB file therefore hash the file once.
 */
import type { Hash } from 'node:crypto';
import { ParseSpeeds, PDFDocument } from '@cantoo/pdf-lib';
import { AppError } from '../../../contract/errors';
import { MAX_PDF_BYTES, MAX_PDF_SIZE_VI } from '../../../contract/limits';
import type { KeySigner } from '../../crypto/signer';
import { buildPadesCms, estimateCmsSize } from '../../cms/signed-data';
import { requestSignatureTimestamp, type TsaOptions } from '../../cms/timestamp';
import { assertSigningPermitted } from './docmdp';
import { PrefixDigest } from '../../crypto/prefix-digest';
import { addSignatureField, BYTE_RANGE_PLACEHOLDER, type SignatureFieldSpec } from './signature-field';

export interface RevisionSpec extends Omit<SignatureFieldSpec, 'contentsSize'> {
  signer: KeySigner;
  tsa?: TsaOptions;
  /** Configured intermediates that complete the embedded chain. */
  intermediates?: readonly Buffer[];
}

export interface SignedRevision {
  fieldName: string;
  /** [a, b, c, d] as written. */
  byteRange: [number, number, number, number];
  revisionEnd: number;
  cmsBytes: number;
}

export class PlaceholderTooSmall extends Error {}

export class IncrementalSigner {
  /** The file as written: the untouched input, then one chunk per appended revision. */
  private readonly chunks: Uint8Array[];
  private size: number;
  /** SHA-256 over the file as written so far; taken from the input's prefix digest on first use (see running). */
  private state: Hash | null = null;
  readonly revisions: SignedRevision[] = [];
  /** The signature fields of the revisions queued so far, signed or not, in order. */
  readonly queuedFields: string[] = [];
  /** The signing of the revisions queued so far (see queue()), and its first failure. */
  private pending: Promise<void> = Promise.resolve();
  private failure: { error: unknown } | null = null;
  /** Resolved once the first queued signature has been handed to the signer (see signing()). */
  private handedOver: () => void = () => {};
  private readonly firstHandedOver = new Promise<void>((resolve) => { this.handedOver = resolve; });

  private constructor(
    readonly doc: PDFDocument,
    private readonly input: Uint8Array,
    private readonly xrefStream: boolean,
    private readonly placeholderBoost: number,
  ) {
    this.chunks = [input];
    this.size = input.byteLength;
  }

  /**
   * The input's shared digest (crypto/prefix-digest.ts): a workspace that checked the file's SHA-256,
   * or a leader check on the same memory, hashed it already. Taken lazily, so that a leader check still
   * hashing forward asks for its shorter range first.
   */
  private get running(): Hash {
    this.state ??= PrefixDigest.of(this.input).whole();
    return this.state;
  }

  static async open(input: Uint8Array, placeholderBoost = 0): Promise<IncrementalSigner> {
    if (input.byteLength > MAX_PDF_BYTES) {
      throw new AppError('PDF_TOO_LARGE', `Tệp PDF quá lớn (trên ${MAX_PDF_SIZE_VI}), không ký được.`, `input ${input.byteLength} bytes`);
    }
    const style = lastXrefStyle(input);
    let doc: PDFDocument;
    try {
      // updateMetadata:false — otherwise pdf-lib rewrites /Info (Producer, ModDate), a change after
      // the earlier signatures that nobody asked for.
      doc = await PDFDocument.load(input, {
        forIncrementalUpdate: true, updateMetadata: false, ignoreEncryption: true, parseSpeed: ParseSpeeds.Fastest,
      });
    } catch (e) {
      throw new AppError('PDF_INVALID', 'Tệp PDF bị hỏng hoặc không đúng định dạng, không ký được.', `load: ${(e as Error).message}`, undefined, { cause: e });
    }
    if (doc.isEncrypted) {
      throw new AppError('PDF_INVALID', 'Tệp PDF đã được mã hóa (đặt mật khẩu); chưa hỗ trợ ký loại tệp này.', 'encrypted input');
    }
    if (doc.getPageCount() === 0) throw new AppError('PDF_INVALID', 'Tệp PDF không có trang nào.', 'no pages');
    assertSigningPermitted(doc);
    // pdf-lib tracks every set() and push() on a loaded document by searching all its objects, deeply,
    // for the one that holds the changed dictionary: every new dictionary we build pays a walk over the
    // whole file (milliseconds per revision on one page, far more on a long document). Our writers mark
    // each old object they change themselves (signature-field.ts, validation-data.ts) and new objects
    // are always written, so the search is switched off for this document.
    doc.context.registerObjectChange = () => {};
    return new IncrementalSigner(doc, input, style === 'stream', placeholderBoost);
  }

  /** Appends one revision holding one signature field, and signs it. */
  async sign(spec: RevisionSpec): Promise<SignedRevision> {
    const { signed } = await this.queue(spec);
    await this.settle();
    return signed;
  }

  /**
   * Appends one revision holding one signature field now and leaves its signing to run after the
   * revisions queued before it; returns once the revision is written, so the caller can build the
   * next one while the token signs this one (a USB token takes 50–300 ms a signature, the CPU work of
   * a revision a few). A revision's bytes do not depend on the signatures before it (/Contents has a
   * fixed size), only its digest does, so each digest is taken when the previous /Contents is filled.
   * `settle()` waits for every queued signature and throws the first failure.
   */
  async queue(spec: RevisionSpec): Promise<{ signed: Promise<SignedRevision> }> {
    if (this.failure) throw this.failure.error;
    const contentsSize = estimateCmsSize(spec.signer, spec.tsa !== undefined, spec.intermediates) * (1 + this.placeholderBoost);
    const { fieldName } = addSignatureField(this.doc, { ...spec, contentsSize });
    const start = this.size;
    const rev = await this.appendRevision();
    this.queuedFields.push(fieldName);
    const end = start + rev.byteLength;
    const { gapStart, gapEnd } = locatePlaceholder(rev, contentsSize);
    const byteRange: [number, number, number, number] = [0, start + gapStart, start + gapEnd, end - (start + gapEnd)];
    writeByteRange(rev, byteRange);
    const signed = this.pending.then(async () => {
      if (this.failure) throw this.failure.error;
      const h = this.running.copy();
      h.update(rev.subarray(0, gapStart));
      h.update(rev.subarray(gapEnd));
      // buildPadesCms hands the signed attributes to the signer before its first await.
      const building = buildPadesCms({
        messageDigest: h.digest(),
        signer: spec.signer,
        intermediates: spec.intermediates ?? [],
        ...(spec.tsa ? { timestamp: (sig: Buffer) => requestSignatureTimestamp(sig, spec.tsa!) } : {}),
      });
      this.handedOver();
      const cms = await building;
      if (cms.length > contentsSize) throw new PlaceholderTooSmall(`CMS ${cms.length} > placeholder ${contentsSize}`);
      Buffer.from(rev.buffer, rev.byteOffset, rev.byteLength).write(cms.toString('hex'), gapStart + 1, 'latin1');
      this.running.update(rev);
      const out: SignedRevision = { fieldName, byteRange, revisionEnd: end, cmsBytes: cms.length };
      this.revisions.push(out);
      return out;
    }).catch((e: unknown) => {
      this.failure ??= { error: e };
      throw e;
    });
    this.pending = signed.then(() => undefined, () => undefined);
    signed.catch(() => {}); // observed through settle(); never an unhandled rejection
    // Wrapped: an async function returning the promise itself would wait for it.
    return { signed };
  }

  /**
   * No signature is asked for before `ready` resolves (issuing: the leader check); revisions may be
   * queued meanwhile. If it rejects, every queued signature fails with its reason.
   */
  gate(ready: Promise<unknown>): void {
    this.pending = this.pending.then(() => ready).then(() => undefined, (e: unknown) => { this.failure ??= { error: e }; });
  }

  /** Waits for every queued signature; the first failure is thrown (and stays: the job is lost). */
  async settle(): Promise<void> {
    await this.pending;
    if (this.failure) throw this.failure.error;
  }

  /**
   * Resolves once the token works on a queued signature (the first one handed to the signer), or once
   * everything queued has ended without it: work awaited after this runs beside the token's signing
   * instead of before it.
   */
  signing(): Promise<void> {
    return Promise.race([this.firstHandedOver, this.pending]);
  }

  /**
   * Appends one revision with no signature (validation data after the signatures, see
   * validation-data.ts). Like a queued signature, it is written at once, behind signatures still with
   * the token, and hashed after them; returns when every revision is signed and hashed.
   */
  async appendUnsigned(change: (doc: PDFDocument) => void): Promise<void> {
    if (this.failure) throw this.failure.error;
    change(this.doc);
    const rev = await this.appendRevision();
    this.pending = this.pending.then(() => { if (!this.failure) this.running.update(rev); });
    await this.settle();
  }

  /**
   * pdf-lib's commit() would copy the whole file into a new array for every revision; on a 50 MB
   * scan that copy and its garbage cost more than the signature. So serialise only the new revision
   * (saveIncremental) and advance the document's notion of "file so far" the way commit() does.
   */
  private async appendRevision(): Promise<Uint8Array> {
    const ctx = this.doc.context;
    const start = this.size;
    const rev = await this.doc.saveIncremental(ctx.snapshot!, { useObjectStreams: this.xrefStream, objectsPerTick: Number.POSITIVE_INFINITY });
    const tail = Buffer.from(rev.buffer, rev.byteOffset + Math.max(0, rev.byteLength - 64), Math.min(64, rev.byteLength)).toString('latin1');
    const m = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail);
    const xrefAt = m ? Number(m[1]) : NaN;
    if (!(xrefAt >= start && xrefAt < start + rev.byteLength)) throw new Error('new revision does not end with a startxref into itself');
    reserveWriterObjectNumbers(this.doc, rev, xrefAt - start);
    ctx.pdfFileDetails.pdfSize = start + rev.byteLength;
    ctx.pdfFileDetails.prevStartXRef = xrefAt;
    ctx.snapshot = this.doc.takeSnapshot();
    this.chunks.push(rev);
    this.size += rev.byteLength;
    return rev;
  }

  /** SHA-256 of the whole file as it stands, from the running state (no second pass over the bytes). */
  sha256(): string {
    this.assertSettled();
    return this.running.copy().digest('hex');
  }

  /**
   * The file as chunks to write in order. The first is the input buffer itself, which nothing here
   * writes to (pdf-lib only reads it; patches go into the revision chunks), so the input is an exact
   * prefix of the output by construction; the check guards that construction against refactoring.
   */
  outputChunks(): readonly Uint8Array[] {
    this.assertSettled();
    if (this.chunks[0] !== this.input || this.size !== this.chunks.reduce((n, c) => n + c.byteLength, 0)) {
      throw new AppError('SIGN_FAILED', 'Lỗi nội bộ khi ký: tệp gốc bị thay đổi; đã hủy, không ghi tệp kết quả.', 'input is not a prefix of the output');
    }
    return this.chunks;
  }

  /** The signed file as one buffer (tests, callers that keep bytes in memory). */
  result(): Uint8Array {
    return Buffer.concat(this.outputChunks());
  }

  private assertSettled(): void {
    if (this.failure || this.revisions.length !== this.queuedFields.length) throw new Error('signatures still pending or failed');
  }

  get byteLength(): number {
    return this.size;
  }
}

/**
 * pdf-lib's stream writer numbers its object streams and xref stream after the last object, then
 * "frees" those numbers once saved. The next revision would hand them out again, so it would redefine,
 * say, object 25 (an object stream the previous xref still points into) as a plain dictionary, and
 * every object stored in it would be lost (qpdf: "supposed object stream 25 is not a stream"). Keep
 * those numbers taken: the new section's /Size says how far the writer went.
 */
function reserveWriterObjectNumbers(doc: PDFDocument, rev: Uint8Array, xrefOffsetInRev: number): void {
  const ctx = doc.context;
  const head = Buffer.from(rev.buffer, rev.byteOffset + xrefOffsetInRev, Math.min(4096, rev.byteLength - xrefOffsetInRev)).toString('latin1');
  const m = /\/Size\s+(\d+)/.exec(head) ?? /\/Size\s+(\d+)/.exec(Buffer.from(rev.buffer, rev.byteOffset, rev.byteLength).toString('latin1', Math.max(0, rev.byteLength - 4096)));
  if (!m) throw new Error('new cross-reference section has no /Size');
  ctx.largestObjectNumber = Math.max(ctx.largestObjectNumber, Number(m[1]) - 1);
}

/** Whether the last cross-reference section is a classic table or a stream (the update keeps the style). */
export function lastXrefStyle(bytes: Uint8Array): 'table' | 'stream' {
  const tail = Buffer.from(bytes.buffer, bytes.byteOffset + Math.max(0, bytes.byteLength - 2048), Math.min(2048, bytes.byteLength)).toString('latin1');
  const m = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail) ?? /startxref\s+(\d+)/.exec(tail.slice(tail.lastIndexOf('startxref')));
  if (!m) throw new AppError('PDF_INVALID', 'Tệp PDF bị hỏng (không tìm thấy bảng tham chiếu chéo), không ký được.', 'no startxref');
  const off = Number(m[1]);
  if (!Number.isSafeInteger(off) || off >= bytes.byteLength) {
    throw new AppError('PDF_INVALID', 'Tệp PDF bị hỏng (vị trí bảng tham chiếu chéo sai), không ký được.', `startxref ${off} beyond EOF`);
  }
  const head = Buffer.from(bytes.buffer, bytes.byteOffset + off, Math.min(8, bytes.byteLength - off)).toString('latin1');
  return head.startsWith('xref') ? 'table' : 'stream';
}

/** Offsets of the /Contents hex string (delimiters included) inside the new revision. */
function locatePlaceholder(rev: Uint8Array, contentsSize: number): { gapStart: number; gapEnd: number } {
  const buf = Buffer.from(rev.buffer, rev.byteOffset, rev.byteLength);
  const br = buf.indexOf(BYTE_RANGE_PLACEHOLDER, 0, 'latin1');
  if (br < 0) throw new Error('ByteRange placeholder not found in the new revision');
  const contents = buf.indexOf('/Contents', br, 'latin1');
  const gapStart = buf.indexOf('<', contents, 'latin1');
  const gapEnd = gapStart + 1 + contentsSize * 2 + 1;
  if (contents < 0 || gapStart < 0 || buf[gapEnd - 1] !== 0x3e /* > */) throw new Error('Contents placeholder not where expected');
  return { gapStart, gapEnd };
}

function writeByteRange(rev: Uint8Array, br: readonly number[]): void {
  const buf = Buffer.from(rev.buffer, rev.byteOffset, rev.byteLength);
  const at = buf.indexOf(BYTE_RANGE_PLACEHOLDER, 0, 'latin1');
  const text = `[ ${br.join(' ')} ]`;
  if (text.length > BYTE_RANGE_PLACEHOLDER.length) throw new Error('ByteRange does not fit');
  buf.write(text.padEnd(BYTE_RANGE_PLACEHOLDER.length, ' '), at, 'latin1');
}
