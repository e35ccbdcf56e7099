import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../contract/errors';

export interface StoredBlob {
  sha256: string;
  size: number;
}

export const DEFAULT_MAX_BLOB_BYTES = 512 * 1024 * 1024;
const SHA256 = /^[0-9a-f]{64}$/;

/**
 * Content-addressed attachment store: a file's name is its SHA-256, so an original can never change
 * under its name, duplicates cost nothing and corruption is detectable. Writes go to a temp file,
 * fsync, rename, fsync of the directory: a crash leaves either the whole blob or none.
 * Reference counts live in the database (table blobs), beside the rows that hold them.
 */
export class FileStore {
  constructor(readonly root: string, private readonly maxBytes = DEFAULT_MAX_BLOB_BYTES) {
    mkdirSync(join(root, 'tmp'), { recursive: true });
  }

  pathOf(sha256: string): string {
    if (!SHA256.test(sha256)) throw new AppError('INPUT_INVALID', 'Mã tệp đính kèm không hợp lệ.', 'bad sha256');
    return join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  has(sha256: string): boolean {
    return existsSync(this.pathOf(sha256));
  }

  put(bytes: Uint8Array): StoredBlob {
    if (bytes.byteLength > this.maxBytes) {
      throw new AppError('INPUT_INVALID', 'Tệp đính kèm quá lớn.', `attachment of ${bytes.byteLength} bytes over ${this.maxBytes}`);
    }
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const dest = this.pathOf(sha256);
    if (existsSync(dest)) return { sha256, size: bytes.byteLength };
    const dir = join(this.root, sha256.slice(0, 2), sha256.slice(2, 4));
    mkdirSync(dir, { recursive: true });
    const tmp = join(this.root, 'tmp', `${sha256}.${randomBytes(6).toString('hex')}`);
    try {
      const fd = openSync(tmp, 'wx', 0o600);
      try {
        let off = 0;
        while (off < bytes.byteLength) off += writeSync(fd, bytes, off, bytes.byteLength - off);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      chmodSync(tmp, 0o444);
      renameSync(tmp, dest);
      syncDir(dir);
    } catch (e) {
      if (existsSync(tmp)) unlinkSync(tmp);
      throw new AppError('IO_ERROR', 'Không ghi được tệp đính kèm vào kho lưu trữ.', `put ${sha256}: ${(e as Error).message}`, undefined, { cause: e });
    }
    return { sha256, size: bytes.byteLength };
  }

  /** Reads a blob and checks it still hashes to its name. */
  read(sha256: string): Buffer {
    const p = this.pathOf(sha256);
    if (!existsSync(p)) throw new AppError('NOT_FOUND', 'Không tìm thấy tệp đính kèm trong kho lưu trữ.', `blob ${sha256} missing`);
    if (statSync(p).size > this.maxBytes) throw new AppError('IO_ERROR', 'Tệp đính kèm trong kho bị hỏng.', `blob ${sha256} oversized`);
    const bytes = readFileSync(p);
    if (createHash('sha256').update(bytes).digest('hex') !== sha256) {
      throw new AppError('IO_ERROR', 'Tệp đính kèm trong kho đã bị thay đổi hoặc hỏng.', `blob ${sha256} does not match its hash`);
    }
    return bytes;
  }

  /** Only for blobs whose reference count reached zero. */
  remove(sha256: string): void {
    const p = this.pathOf(sha256);
    if (existsSync(p)) unlinkSync(p);
  }
}

function syncDir(dir: string): void {
  // Directory fsync makes the rename durable; Windows cannot open directories, where rename is enough.
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
