/**
 * PAdES B-LTA at issuing (docs/signing.md, "Validation data at issuing"): after the DSS revision, one
 * more revision with a document time-stamp — a /DocTimeStamp field whose /Contents is an RFC 3161 token
 * over that revision's ByteRange — so the validation data just embedded is itself time-stamped.
 *
 * Why a dry run: the incremental signer hashes each unsigned revision as it appends it, and a token
 * can only be asked for once the bytes around /Contents are known. So the revision is serialised once
 * without being appended, its ByteRange and digest are taken from that, the token is fetched, and the
 * same revision — now holding the final ByteRange and token at the same widths — is appended for real;
 * the two serialisations are compared byte for byte outside /Contents, so a difference can only fail
 * the issue, never produce a wrong file.
 */
import { createHash } from 'node:crypto';
import { PDFInvalidObject, type PDFDocument, type PDFRef } from '@cantoo/pdf-lib';
import { requestTimestamp, type TsaOptions } from '../../cms/timestamp';
import { PlaceholderTooSmall, type IncrementalSigner } from './incremental-signer';
import { addSignatureField, BYTE_RANGE_PLACEHOLDER } from './signature-field';

/** Room for the token (DER bytes): an RFC 3161 token with the TSA's certificate and a CA or two. */
export const DOC_TIMESTAMP_CONTENTS_BYTES = 16 * 1024;

/**
 * The time-stamp dictionary as written bytes (ISO 32000-2 12.8.5: /Type /DocTimeStamp, /SubFilter
 * /ETSI.RFC3161, no signing time of its own). Raw bytes rather than a pdf-lib dictionary: pdf-lib would
 * put a dictionary not typed /Sig into an object stream, where /Contents cannot be patched, and raw
 * bytes keep the ByteRange and the token at the placeholders' widths by construction.
 */
function dictionary(byteRange: string, contentsHex: string): PDFInvalidObject {
  return PDFInvalidObject.of(Buffer.from(`<<\n/Type /DocTimeStamp\n/Filter /Adobe.PPKLite\n/SubFilter /ETSI.RFC3161\n/ByteRange ${byteRange}\n/Contents <${contentsHex}>\n>>`, 'latin1'));
}

/** Offsets of the ByteRange placeholder and of the /Contents hex string (delimiters included) in a revision. */
function gaps(rev: Buffer, contentsSize: number): { byteRangeAt: number; gapStart: number; gapEnd: number } {
  const byteRangeAt = rev.indexOf(`/ByteRange ${BYTE_RANGE_PLACEHOLDER}`, 0, 'latin1') + '/ByteRange '.length;
  const contents = byteRangeAt < '/ByteRange '.length ? -1 : rev.indexOf('/Contents', byteRangeAt, 'latin1');
  const gapStart = contents < 0 ? -1 : rev.indexOf('<', contents, 'latin1');
  const gapEnd = gapStart + 2 + contentsSize * 2;
  if (gapStart < 0 || rev[gapEnd - 1] !== 0x3e /* > */) throw new Error('document time-stamp placeholder not where expected');
  return { byteRangeAt, gapStart, gapEnd };
}

/** Appends the document time-stamp revision to `s` (after its signatures and DSS). */
export async function appendDocumentTimestamp(s: IncrementalSigner, tsa: TsaOptions, now: Date, contentsSize = DOC_TIMESTAMP_CONTENTS_BYTES): Promise<void> {
  const doc = s.doc;
  const { sigRef } = addSignatureField(doc, { page: 0, rect: null, appearance: null, namePrefix: 'DocTimeStamp', signingTime: now, contentsSize });
  doc.context.assign(sigRef as PDFRef, dictionary(BYTE_RANGE_PLACEHOLDER, '0'.repeat(contentsSize * 2)));

  const chunks = s.outputChunks();
  const start = s.byteLength;
  const dry = Buffer.from(await serialise(doc, chunks[chunks.length - 1]!));
  const { byteRangeAt, gapStart, gapEnd } = gaps(dry, contentsSize);
  const byteRange = [0, start + gapStart, start + gapEnd, start + dry.length - (start + gapEnd)];
  const rangeText = `[ ${byteRange.join(' ')} ]`.padEnd(BYTE_RANGE_PLACEHOLDER.length, ' ');
  dry.write(rangeText, byteRangeAt, 'latin1');

  const h = createHash('sha256');
  for (const c of chunks) h.update(c);
  h.update(dry.subarray(0, gapStart));
  h.update(dry.subarray(gapEnd));
  const token = await requestTimestamp(h.digest(), tsa);
  if (token.length > contentsSize) throw new PlaceholderTooSmall(`time-stamp token ${token.length} > placeholder ${contentsSize}`);

  doc.context.assign(sigRef as PDFRef, dictionary(rangeText, token.toString('hex').padEnd(contentsSize * 2, '0')));
  await s.appendUnsigned(() => {});
  const written = Buffer.from(s.outputChunks().at(-1)!);
  if (written.length !== dry.length || !written.subarray(0, gapStart).equals(dry.subarray(0, gapStart)) || !written.subarray(gapEnd).equals(dry.subarray(gapEnd))) {
    throw new Error('document time-stamp revision differs from the one time-stamped');
  }
}

/**
 * The next revision as the incremental signer will write it, without appending it. Its cross-reference
 * style follows the last revision's (a table revision has a trailer keyword, a stream revision none).
 */
function serialise(doc: PDFDocument, lastRevision: Uint8Array): Promise<Uint8Array> {
  const tail = Buffer.from(lastRevision.buffer, lastRevision.byteOffset + Math.max(0, lastRevision.byteLength - 4096), Math.min(4096, lastRevision.byteLength)).toString('latin1');
  return doc.saveIncremental(doc.context.snapshot!, { useObjectStreams: !/\btrailer\b/.test(tail), objectsPerTick: Number.POSITIVE_INFINITY });
}
