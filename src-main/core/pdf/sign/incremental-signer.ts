/**
 * Appends signed revisions to a PDF without rewriting it.
 *
 * Why @cantoo/pdf-lib's incremental writer (load with forIncrementalUpdate, then commit()) and not a
 * writer of our own: it already emits only new and marked objects with an xref section, /Prev and the
 * repeated trailer keys, keeps /Type /Sig dictionaries out of object streams (so /Contents can be
 * patched in place), and embeds subset fonts and PNGs. What it does not do we add here: choosing the
 * xref style of the input (table after table, stream after stream), the ByteRange/Contents patch, the
 * streamed digest, and the prefix check.
 *
 * The digest is streamed and never recomputed over old bytes: one SHA-256 state runs over the file as
 * it grows, and each new signature hashes only its own revision on a copy of that state. Several
 * signatures on a 50 MB file therefore hash the file once.
 */
import { createHash, type Hash } from 'node:crypto';
import { ParseSpeeds, PDFDocument } from '@cantoo/pdf-lib';
import { AppError } from '../../../contract/errors';
import type { KeySigner } from '../../crypto/signer';
import { buildPadesCms, estimateCmsSize } from '../../cms/signed-data';
import { requestSignatureTimestamp, type TsaOptions } from '../../cms/timestamp';
import { addSignatureField, BYTE_RANGE_PLACEHOLDER, type SignatureFieldSpec } from './signature-field';

export const MAX_PDF_BYTES = 1024 * 1024 * 1024;

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
  private bytes: Uint8Array;
  private readonly running: Hash;
  readonly revisions: SignedRevision[] = [];

  private constructor(
    readonly doc: PDFDocument,
    private readonly input: Uint8Array,
    private readonly xrefStream: boolean,
    private readonly placeholderBoost: number,
  ) {
    this.bytes = input;
    this.running = createHash('sha256').update(input);
  }

  static async open(input: Uint8Array, placeholderBoost = 0): Promise<IncrementalSigner> {
    if (input.byteLength > MAX_PDF_BYTES) {
      throw new AppError('PDF_TOO_LARGE', 'Tệp PDF quá lớn (trên 1 GB), không ký được.', `input ${input.byteLength} bytes`);
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
    return new IncrementalSigner(doc, input, style === 'stream', placeholderBoost);
  }

  /** Appends one revision holding one signature field, and signs it. */
  async sign(spec: RevisionSpec): Promise<SignedRevision> {
    const contentsSize = estimateCmsSize(spec.signer, spec.tsa !== undefined, spec.intermediates) * (1 + this.placeholderBoost);
    const { fieldName } = addSignatureField(this.doc, { ...spec, contentsSize });
    const start = this.bytes.byteLength;
    const out = await this.doc.commit({ useObjectStreams: this.xrefStream, objectsPerTick: Number.POSITIVE_INFINITY });
    reserveWriterObjectNumbers(this.doc, out);
    const { gapStart, gapEnd } = locatePlaceholder(out, start, contentsSize);
    const byteRange: [number, number, number, number] = [0, gapStart, gapEnd, out.byteLength - gapEnd];
    writeByteRange(out, start, byteRange);

    const h = this.running.copy();
    h.update(out.subarray(start, gapStart));
    h.update(out.subarray(gapEnd));
    const cms = await buildPadesCms({
      messageDigest: h.digest(),
      signer: spec.signer,
      intermediates: spec.intermediates ?? [],
      ...(spec.tsa ? { timestamp: (sig: Buffer) => requestSignatureTimestamp(sig, spec.tsa!) } : {}),
    });
    if (cms.length > contentsSize) throw new PlaceholderTooSmall(`CMS ${cms.length} > placeholder ${contentsSize}`);
    Buffer.from(out.buffer, out.byteOffset, out.byteLength).write(cms.toString('hex'), gapStart + 1, 'latin1');

    this.running.update(out.subarray(start));
    this.bytes = out;
    const rev: SignedRevision = { fieldName, byteRange, revisionEnd: out.byteLength, cmsBytes: cms.length };
    this.revisions.push(rev);
    return rev;
  }

  /** The signed file; asserts that the input is still its byte-identical prefix. */
  result(): Uint8Array {
    const out = this.bytes;
    const n = this.input.byteLength;
    if (out.byteLength < n || Buffer.compare(Buffer.from(out.buffer, out.byteOffset, n), Buffer.from(this.input.buffer, this.input.byteOffset, n)) !== 0) {
      throw new AppError('SIGN_FAILED', 'Lỗi nội bộ khi ký: tệp gốc bị thay đổi; đã hủy, không ghi tệp kết quả.', 'input is not a prefix of the output');
    }
    return out;
  }
}

/**
 * pdf-lib's stream writer numbers its object streams and xref stream after the last object, then
 * "frees" those numbers once saved. The next commit() would hand them out again, so a later revision
 * would redefine, say, object 25 (an object stream the previous xref still points into) as a plain
 * dictionary, and every object stored in it would be lost (qpdf: "supposed object stream 25 is not a
 * stream"). Keep those numbers taken: the new trailer's /Size says how far the writer went.
 */
function reserveWriterObjectNumbers(doc: PDFDocument, out: Uint8Array): void {
  const ctx = doc.context;
  const at = ctx.pdfFileDetails.prevStartXRef;
  const head = Buffer.from(out.buffer, out.byteOffset + at, Math.min(4096, out.byteLength - at)).toString('latin1');
  const m = /\/Size\s+(\d+)/.exec(head);
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

function locatePlaceholder(out: Uint8Array, from: number, contentsSize: number): { gapStart: number; gapEnd: number } {
  const buf = Buffer.from(out.buffer, out.byteOffset, out.byteLength);
  const br = buf.indexOf(BYTE_RANGE_PLACEHOLDER, from, 'latin1');
  if (br < 0) throw new Error('ByteRange placeholder not found in the new revision');
  const contents = buf.indexOf('/Contents', br, 'latin1');
  const gapStart = buf.indexOf('<', contents, 'latin1');
  const gapEnd = gapStart + 1 + contentsSize * 2 + 1;
  if (contents < 0 || gapStart < 0 || buf[gapEnd - 1] !== 0x3e /* > */) throw new Error('Contents placeholder not where expected');
  return { gapStart, gapEnd };
}

function writeByteRange(out: Uint8Array, from: number, br: readonly number[]): void {
  const buf = Buffer.from(out.buffer, out.byteOffset, out.byteLength);
  const at = buf.indexOf(BYTE_RANGE_PLACEHOLDER, from, 'latin1');
  const text = `[ ${br.join(' ')} ]`;
  if (text.length > BYTE_RANGE_PLACEHOLDER.length) throw new Error('ByteRange does not fit');
  buf.write(text.padEnd(BYTE_RANGE_PLACEHOLDER.length, ' '), at, 'latin1');
}
