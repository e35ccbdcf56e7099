import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { AppError, isAppError } from '../../../contract/errors';
import { MAX_PDF_BYTES, MAX_PDF_SIZE_VI } from '../../../contract/limits';
import { PrefixDigest } from '../../crypto/prefix-digest';

// Kept apart from the signer's modules (which load pdf-lib) so that reading an input stays cheap for
// callers that never sign, such as the CLI's file hand-over.

export type PdfInput = string | Uint8Array;

/**
 * A file the clerk named, read whole (bounded by MAX_PDF_BYTES): the document to sign or verify, a
 * signature image, a scan. The messages name the file and say what went wrong with reading it,
 * whichever command asked.
 */
export function readInput(input: PdfInput): Uint8Array {
  if (typeof input !== 'string') return input;
  try {
    const size = statSync(input).size;
    if (size > MAX_PDF_BYTES) throw new AppError('PDF_TOO_LARGE', `Tệp “${basename(input)}” quá lớn (trên ${MAX_PDF_SIZE_VI}).`, `${input}: ${size} bytes`);
    // Read into memory of its own that nothing changes: the leader check and the signer share its hash.
    const bytes = readFileSync(input);
    PrefixDigest.own(bytes);
    return bytes;
  } catch (e) {
    if (isAppError(e)) throw e;
    throw readError(e, input);
  }
}

/** A failed read in the clerk's words (fsx/atomic-write.ts ioError speaks of writing a result). */
function readError(e: unknown, path: string): AppError {
  const code = (e as NodeJS.ErrnoException | undefined)?.code ?? 'UNKNOWN';
  const name = `“${basename(path)}”`;
  const missing = code === 'ENOENT' || code === 'ENOTDIR';
  const vi: Record<string, string> = {
    ENOENT: `Không tìm thấy tệp ${name}.`,
    ENOTDIR: `Không tìm thấy tệp ${name}.`,
    EACCES: `Không có quyền đọc tệp ${name}.`,
    EPERM: `Không có quyền đọc tệp ${name}.`,
    EISDIR: `${name} là một thư mục, không phải một tệp.`,
  };
  return new AppError(missing ? 'NOT_FOUND' : 'IO_ERROR', vi[code] ?? `Không đọc được tệp ${name}.`, `read ${path}: ${code}`, { errno: code }, { cause: e });
}
