import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { AppError } from '../../contract/errors';

/**
 * Writes `chunks` to `path` so that a reader sees either nothing (or the old file) or the complete new
 * file: temp file in the same directory (rename is only atomic within one file system), fsync the data,
 * rename, then fsync the directory so the rename itself survives a power cut. On any failure the temp
 * file is removed and nothing is left at `path` that was not there before.
 */
export function writeFileAtomic(path: string, chunks: readonly Uint8Array[]): void {
  const dir = dirname(path);
  const tmp = tempPathFor(path);
  let fd: number | null = null;
  try {
    fd = openSync(tmp, 'wx', 0o644);
    for (const chunk of chunks) {
      let off = 0;
      while (off < chunk.byteLength) off += writeSync(fd, chunk, off, chunk.byteLength - off);
    }
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(tmp, path);
  } catch (e) {
    if (fd !== null) try { closeSync(fd); } catch { /* already failing */ }
    try { unlinkSync(tmp); } catch { /* never created */ }
    throw ioError(e, path);
  }
  syncDirectory(dir);
}

/** A fresh hidden name beside `path` (same directory, so the final rename stays on one file system). */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
}

export function syncDirectory(dir: string): void {
  // Windows cannot open a directory for fsync; the rename is already durable enough there.
  if (process.platform === 'win32') return;
  let fd: number | null = null;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch { /* best effort: some file systems refuse directory fsync */ } finally {
    if (fd !== null) closeSync(fd);
  }
}

/** Maps a Node file-system error to a Vietnamese sentence the clerk can act on. */
export function ioError(e: unknown, path: string): AppError {
  const code = (e as NodeJS.ErrnoException | undefined)?.code ?? 'UNKNOWN';
  const vi: Record<string, string> = {
    ENOSPC: 'Ổ đĩa đã đầy, không ghi được tệp kết quả.',
    EDQUOT: 'Đã vượt hạn mức dung lượng ổ đĩa, không ghi được tệp kết quả.',
    EFBIG: 'Tệp kết quả vượt quá kích thước tệp cho phép trên máy này, không ghi được.',
    EACCES: 'Không có quyền ghi vào thư mục đích.',
    EPERM: 'Không có quyền ghi vào thư mục đích.',
    EROFS: 'Thư mục đích chỉ cho phép đọc.',
    ENOENT: 'Thư mục đích không tồn tại.',
    EEXIST: 'Tệp tạm đã tồn tại, vui lòng thử lại.',
  };
  return new AppError('IO_ERROR', vi[code] ?? 'Không ghi được tệp kết quả.', `write ${path}: ${code}`, { errno: code }, { cause: e });
}

/** Removes a file if present (cleanup paths must never throw over the original error). */
export function removeQuietly(path: string): void {
  try { unlinkSync(path); } catch { /* absent is fine */ }
}
