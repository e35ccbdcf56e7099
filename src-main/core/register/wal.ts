import type { Db } from '../db/connection';

/**
 * Writes after which the register copies the log back into the database, at its first idle moment. A
 * registration writes about twenty pages, so this is near SQLite's own automatic checkpoint (1,000
 * frames) for registrations; an import batch writes far more, and meets the backstop below.
 */
export const WRITES_PER_CHECKPOINT = 40;
/**
 * SQLite's own automatic checkpoint, inside the commit that crosses it, stays as a backstop for a thread
 * that never idles or for large transactions (a bulk import): 10,000 frames, ten times its default.
 */
export const WAL_BACKSTOP_FRAMES = 10_000;

/**
 * Checkpoints the write-ahead log after the call that filled it has answered, not inside it.
 *
 * With SQLite's default, the commit that crosses 1,000 frames also copies them into the database file
 * and fsyncs it: one registration in about forty-five paid tens to hundreds of milliseconds for the
 * others. Durability does not depend on the checkpoint — a committed transaction is durable once its
 * frames are fsynced in the WAL (synchronous=FULL) — so the copy is deferred to the first moment the
 * register's thread is idle (a `setImmediate` after the write: in the worker, after the answer is
 * posted). A PASSIVE checkpoint never waits for readers or writers; what it cannot copy yet is copied
 * by the next one. The WAL file keeps its size and is overwritten from the start after a checkpoint,
 * so a commit's fsync does not also change the file's size. See docs/register.md, "What a registration
 * writes".
 */
export class WalCheckpointer {
  private pending: NodeJS.Immediate | null = null;
  private writes = 0;

  constructor(private readonly db: Db) {
    db.pragma(`wal_autocheckpoint = ${WAL_BACKSTOP_FRAMES}`);
  }

  /** Call after each committed write. */
  afterWrite(): void {
    if (++this.writes < WRITES_PER_CHECKPOINT || this.pending) return;
    this.pending = setImmediate(() => {
      this.pending = null;
      this.checkpoint();
    });
    // A CLI command or a test ending here need not wait: closing the last connection checkpoints too.
    this.pending.unref();
  }

  private checkpoint(): void {
    if (!this.db.open || this.db.inTransaction) return;
    try {
      const [r] = this.db.pragma('wal_checkpoint(PASSIVE)') as Array<{ busy: number; log: number; checkpointed: number }>;
      this.writes = 0;
      // A log copied whole is started again by the next commit, which then also fsyncs the log's new
      // header: two flushes for one registration. A write that changes nothing (the schema version set
      // to itself) takes that restart now, while idle.
      if (r && r.busy === 0 && r.log > 0 && r.log === r.checkpointed) this.restartLogNow();
    } catch (e) {
      // Busy or closing: the next write schedules another; the backstop still holds.
      console.error(`register WAL checkpoint deferred: ${(e as Error).message}`);
    }
  }

  /** Only if no other process is writing: an idle thread does not wait for a lock. */
  private restartLogNow(): void {
    const wait = this.db.pragma('busy_timeout', { simple: true }) as number;
    this.db.pragma('busy_timeout = 0');
    try {
      this.db.transaction(() => this.db.pragma(`user_version = ${this.db.pragma('user_version', { simple: true }) as number}`)).immediate();
    } catch (e) {
      if ((e as { code?: string }).code !== 'SQLITE_BUSY') throw e;
    } finally {
      this.db.pragma(`busy_timeout = ${wait}`);
    }
  }

  dispose(): void {
    if (this.pending) clearImmediate(this.pending);
    this.pending = null;
  }
}
