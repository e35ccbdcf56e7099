import { randomBytes } from 'node:crypto';
import { PrefixDigest } from '../core/crypto/prefix-digest';
import { FILE_ID_PATTERN } from '../contract/files';
import { cleanFileName, Workspace, type StoredFile } from '../core/workspace';

/**
 * A workspace whose files stay in this process's memory, for a CLI command that only reads what it is
 * given (`vanthu verify`): the disk workspace's durable copy (write, fsync, rename, remove) and its
 * re-hash on every read guard files that outlive a call or sit where other programs can change them;
 * here the bytes live as long as the command and nothing else can reach them. Same ids, names and
 * errors as the disk workspace; scratch files still go to `dir`.
 */
export class MemoryWorkspace extends Workspace {
  private readonly files = new Map<string, { name: string; bytes: Buffer; sha256?: string }>();

  constructor(dir: string, private readonly limit: number) {
    super(dir, limit);
  }

  override put(name: string, bytes: Uint8Array): StoredFile {
    // Too big: the disk workspace refuses it before writing anything (one message, one place).
    if (bytes.byteLength > this.limit) return super.put(name, bytes);
    const fileId = randomBytes(24).toString('base64url');
    this.files.set(fileId, { name: cleanFileName(name), bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) });
    return this.stat(fileId);
  }

  override stat(fileId: string): StoredFile {
    const f = FILE_ID_PATTERN.test(fileId) ? this.files.get(fileId) : undefined;
    // Not one of ours: the disk workspace has nothing either and answers NOT_FOUND as it always does.
    if (!f) return super.stat(fileId);
    // The hash is worked out when someone asks for it: verifying never does.
    return { fileId, name: f.name, size: f.bytes.byteLength, get sha256() { return (f.sha256 ??= PrefixDigest.of(f.bytes).hex()); } };
  }

  override read(fileId: string): { file: StoredFile; bytes: Buffer } {
    const file = this.stat(fileId);
    return { file, bytes: this.files.get(fileId)!.bytes };
  }
}
