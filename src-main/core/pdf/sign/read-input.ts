import { readFileSync, statSync } from 'node:fs';
import { AppError, isAppError } from '../../../contract/errors';
import { MAX_PDF_BYTES, MAX_PDF_SIZE_VI } from '../../../contract/limits';
import { PrefixDigest } from '../../crypto/prefix-digest';
import { ioError } from '../../fsx/atomic-write';

// Kept apart from the signer's modules (which load pdf-lib) so that reading an input stays cheap for
// callers that never sign, such as the CLI's file hand-over.

export type PdfInput = string | Uint8Array;

export function readInput(input: PdfInput): Uint8Array {
  if (typeof input !== 'string') return input;
  try {
    const size = statSync(input).size;
    if (size > MAX_PDF_BYTES) throw new AppError('PDF_TOO_LARGE', `Tệp PDF quá lớn (trên ${MAX_PDF_SIZE_VI}), không ký được.`, `${input}: ${size} bytes`);
    // Read into memory of its own that nothing changes: the leader check and the signer share its hash.
    const bytes = readFileSync(input);
    PrefixDigest.own(bytes);
    return bytes;
  } catch (e) {
    if (isAppError(e)) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new AppError('NOT_FOUND', 'Không tìm thấy tệp PDF cần ký.', `${input}: ENOENT`);
    throw ioError(e, input);
  }
}

