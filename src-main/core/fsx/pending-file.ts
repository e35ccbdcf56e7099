import { close, fdatasync, fsync, open, rename, unlink, write } from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { ioError, syncDirectory, tempPathFor } from './atomic-write';

const openP = promisify(open);
const writeP = promisify(write);
const fsyncP = promisify(fsync);
const fdatasyncP = promisify(fdatasync);
const closeP = promisify(close);
const renameP = promisify(rename);
const unlinkP = promisify(unlink);

/**
 * An atomic write whose bytes may start flowing before they are all known: the same temp-fsync-rename
 * contract as writeFileAtomic, but writes run on libuv's thread pool while the caller keeps computing.
 * The signer hands it the untouched input (most of the output) first and flushes it to disk in the
 * background while it verifies, parses and signs; only the small new revisions are left to write and
 * sync at commit. Nothing appears at `path` before commit(); abort() leaves nothing behind.
 *
 * Chunks passed to append() must not change afterwards (they are written asynchronously).
 */
export class PendingFile {
  private queue: Promise<void>;
  private failure: unknown = null;
  private position = 0;
  private done = false;

  private constructor(readonly path: string, private readonly tmp: string, fd: Promise<number>) {
    this.fd = fd;
    this.queue = fd.then(() => undefined, (e) => { this.failure = e; });
  }

  private readonly fd: Promise<number>;

  /** Creates the temp file beside `path` (exclusively: never an existing file). */
  static open(path: string): PendingFile {
    const tmp = tempPathFor(path);
    const fd = openP(tmp, 'wx', 0o644);
    fd.catch(() => {}); // observed through the queue; never an unhandled rejection
    return new PendingFile(path, tmp, fd);
  }

  /** Queues `chunk` after everything queued before it. */
  append(chunk: Uint8Array): void {
    const at = this.position;
    this.position += chunk.byteLength;
    this.then(async (fd) => {
      let off = 0;
      while (off < chunk.byteLength) off += (await writeP(fd, chunk, off, chunk.byteLength - off, at + off)).bytesWritten;
    });
  }

  /** Starts pushing what is queued so far to the disk, so that commit's fsync has little left to do. */
  flushInBackground(): void {
    this.then((fd) => fdatasyncP(fd));
  }

  /** Waits for the queued writes, syncs, renames into place and syncs the directory. */
  async commit(): Promise<void> {
    this.assertOpen();
    this.then((fd) => fsyncP(fd));
    await this.queue;
    this.done = true;
    const fd = await this.fd.catch(() => null);
    try {
      if (this.failure) throw this.failure;
      await closeP(fd!);
      await renameP(this.tmp, this.path);
    } catch (e) {
      if (fd !== null) await closeP(fd).catch(() => {});
      await unlinkP(this.tmp).catch(() => {});
      throw ioError(e, this.path);
    }
    syncDirectory(dirname(this.path));
  }

  /** Drops the temp file; safe to call after a failed commit or twice. */
  async abort(): Promise<void> {
    if (this.done) return;
    this.done = true;
    await this.queue;
    const fd = await this.fd.catch(() => null);
    if (fd !== null) await closeP(fd).catch(() => {});
    await unlinkP(this.tmp).catch(() => {});
  }

  private then(step: (fd: number) => Promise<unknown>): void {
    this.assertOpen();
    this.queue = this.queue.then(async () => {
      if (this.failure) return;
      try {
        await step(await this.fd);
      } catch (e) {
        this.failure = e;
      }
    });
  }

  private assertOpen(): void {
    if (this.done) throw new Error('pending file already committed or aborted');
  }
}
