import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import { AppError } from '../../contract/errors';
import { FILE_ID_PATTERN, MAX_FILE_BYTES } from '../../contract/files';
import { PrefixDigest } from '../crypto/prefix-digest';
import { removeQuietly, writeFileAtomic } from '../fsx/atomic-write';
import { cleanFileName } from './file-name';
import { requirePdf } from './pdf-magic';

export interface StoredFile {
  fileId: string;
  name: string;
  size: number;
  sha256: string;
}

const metaSchema = z.strictObject({
  name: z.string().max(400),
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: z.string(),
});
type Meta = z.infer<typeof metaSchema>;

const notFound = (why: string) => new AppError('NOT_FOUND', 'Không tìm thấy tệp trong phiên làm việc; vui lòng chọn lại tệp.', why);

/**
 * The files the clerk works on: content under its SHA-256 (blobs/ab/cd/<sha>), written to a temp file,
 * fsynced and renamed, never rewritten; each upload or result gets a random opaque id (ids/<id>.json)
 * that maps to a blob and a display name. Ids are checked against a fixed pattern before they touch the
 * file system, so no id can name a path; an unknown or forged id is simply NOT_FOUND.
 */
export class Workspace {
  private readonly blobs: string;
  private readonly ids: string;

  constructor(readonly root: string, private readonly maxBytes = MAX_FILE_BYTES) {
    // The folders are made by the first write: a command that only reads what it was given (the CLI's
    // in-memory workspace, cli/memory-workspace.ts) never touches the disk for them.
    this.blobs = join(root, 'blobs');
    this.ids = join(root, 'ids');
  }

  put(name: string, bytes: Uint8Array): StoredFile {
    if (bytes.byteLength > this.maxBytes) {
      throw new AppError('PDF_TOO_LARGE', `Tệp quá lớn (tối đa ${Math.round(this.maxBytes / 1024 / 1024)} MB).`, `${bytes.byteLength} bytes > ${this.maxBytes}`);
    }
    // Through the shared digest (crypto/prefix-digest.ts): free for bytes the CLI read from a path.
    const sha256 = PrefixDigest.of(bytes).hex();
    const blob = this.blobPath(sha256);
    if (!existsFile(blob)) {
      mkdirSync(join(this.blobs, sha256.slice(0, 2), sha256.slice(2, 4)), { recursive: true });
      writeFileAtomic(blob, [bytes]);
    }
    const fileId = randomBytes(24).toString('base64url');
    const meta: Meta = { name: cleanFileName(name), size: bytes.byteLength, sha256, createdAt: new Date().toISOString() };
    mkdirSync(this.ids, { recursive: true });
    writeFileAtomic(join(this.ids, `${fileId}.json`), [Buffer.from(JSON.stringify(meta))]);
    return { fileId, name: meta.name, size: meta.size, sha256 };
  }

  /** Metadata of an id; NOT_FOUND for anything that is not an id this workspace handed out. */
  stat(fileId: string): StoredFile {
    if (!FILE_ID_PATTERN.test(fileId)) throw notFound('malformed file id');
    let raw: string;
    try {
      raw = readFileSync(join(this.ids, `${fileId}.json`), 'utf8');
    } catch {
      throw notFound('unknown file id');
    }
    const parsed = metaSchema.safeParse(safeJson(raw));
    if (!parsed.success) throw notFound('corrupt id record');
    return { fileId, name: parsed.data.name, size: parsed.data.size, sha256: parsed.data.sha256 };
  }

  /** The bytes of an id, checked against their SHA-256 (a changed blob is refused, not served). */
  read(fileId: string): { file: StoredFile; bytes: Buffer } {
    const file = this.stat(fileId);
    let bytes: Buffer;
    try {
      bytes = readFileSync(this.blobPath(file.sha256));
    } catch {
      throw notFound('blob missing');
    }
    // Registered as their owner: the verifier or signer handed these bytes next hashes nothing again.
    if (PrefixDigest.own(bytes).hex() !== file.sha256) {
      throw new AppError('IO_ERROR', 'Tệp trong phiên làm việc đã bị thay đổi ngoài ứng dụng; vui lòng chọn lại tệp.', `blob ${file.sha256} does not match its hash`);
    }
    return { file, bytes };
  }

  /** As read, and the content must be a PDF. */
  readPdf(fileId: string): { file: StoredFile; bytes: Buffer } {
    const r = this.read(fileId);
    requirePdf(r.bytes, r.file.name);
    return r;
  }

  /** A fresh path inside the workspace for a signer to write its output to (then `adopt` it). */
  scratchPath(): string {
    const dir = join(this.root, 'scratch');
    mkdirSync(dir, { recursive: true });
    return join(dir, `${randomBytes(12).toString('hex')}.pdf`);
  }

  /** Moves a file a signer wrote to scratchPath() into the workspace under a new id. */
  adopt(path: string, name: string): StoredFile {
    try {
      return this.put(name, readFileSync(path));
    } finally {
      removeQuietly(path);
    }
  }

  /**
   * Forgets ids older than `maxAgeMs` and deletes blobs no remaining id refers to, plus scratch files
   * a crash left behind. Working copies only: registered documents live in the register's own store.
   */
  prune(maxAgeMs: number, now = Date.now()): { ids: number; blobs: number } {
    const keep = new Set<string>();
    let ids = 0;
    let blobs = 0;
    for (const entry of existsDir(this.ids) ? readdirSync(this.ids) : []) {
      const path = join(this.ids, entry);
      const id = entry.endsWith('.json') ? entry.slice(0, -5) : '';
      let meta: Meta | null = null;
      if (FILE_ID_PATTERN.test(id)) {
        const parsed = metaSchema.safeParse(safeJson(readFileQuietly(path)));
        if (parsed.success) meta = parsed.data;
      }
      if (meta && now - Date.parse(meta.createdAt) <= maxAgeMs) keep.add(meta.sha256);
      else {
        removeQuietly(path);
        ids++;
      }
    }
    for (const a of existsDir(this.blobs) ? readdirSync(this.blobs) : []) {
      for (const b of readdirSync(join(this.blobs, a))) {
        for (const sha of readdirSync(join(this.blobs, a, b))) {
          if (keep.has(sha)) continue;
          removeQuietly(join(this.blobs, a, b, sha));
          blobs++;
        }
      }
    }
    const scratch = join(this.root, 'scratch');
    if (existsDir(scratch)) for (const f of readdirSync(scratch)) removeQuietly(join(scratch, f));
    return { ids, blobs };
  }

  private blobPath(sha256: string): string {
    return join(this.blobs, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }
}

function existsFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

function existsDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function readFileQuietly(p: string): string {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return '';
  }
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return null;
  }
}
