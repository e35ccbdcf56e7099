import { AppError } from '../../contract/errors';

/** Readers (Acrobat, pdf.js) accept the header anywhere in the first 1024 bytes; so do we, no further. */
const HEADER_WINDOW = 1024;
const HEADER = Buffer.from('%PDF-', 'latin1');

export function looksLikePdf(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, HEADER_WINDOW));
  return head.indexOf(HEADER) !== -1;
}

/** Throws PDF_INVALID unless the content starts like a PDF (checked on bytes, never on the name). */
export function requirePdf(bytes: Uint8Array, name: string): void {
  if (!looksLikePdf(bytes)) {
    throw new AppError('PDF_INVALID', 'Tệp đã chọn không phải tệp PDF.', `no %PDF- header in ${bytes.byteLength} bytes (${name.length} char name)`);
  }
}
