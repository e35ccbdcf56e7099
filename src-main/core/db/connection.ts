import Database from 'better-sqlite3';
import { AppError } from '../../contract/errors';

export type Db = Database.Database;

export interface OpenOptions {
  readonly?: boolean;
  /** Milliseconds a writer waits for another process's lock before failing. */
  busyTimeoutMs?: number;
  /**
   * 'full' (default): every commit is fsync'd, so a committed number survives power loss.
   * 'normal': WAL commits survive a process crash but the last ones may be lost on power loss.
   */
  durability?: 'full' | 'normal';
}

/**
 * Reads through a memory map of the file's first GiB (SQLite's own limit is 2 GiB) instead of a read()
 * and a copy into SQLite's page cache per page: a fresh connection — every CLI command, the worker
 * after a restart — answers a search on a million-document register ~9 ms sooner (out of ~70 ms of
 * SQLite work). Writes still go through write(); the price is SIGBUS instead of SQLITE_IOERR should
 * the disk fail under a mapped page, which loses nothing a failed read would not.
 */
const MAP_BYTES = 1 << 30;

/**
 * One place sets the connection pragmas so every process (app, CLI, worker, tests) behaves alike:
 * WAL for concurrent readers, foreign keys on, a busy timeout so two writers queue instead of failing,
 * and synchronous=FULL by default because a register must not lose a committed number on power loss.
 */
export function openDatabase(path: string, opts: OpenOptions = {}): Db {
  let db: Db;
  try {
    db = new Database(path, { readonly: opts.readonly ?? false, fileMustExist: opts.readonly ?? false });
  } catch (e) {
    throw new AppError('DB_ERROR', 'Không mở được cơ sở dữ liệu sổ văn bản.', `open ${path}: ${(e as Error).message}`, undefined, { cause: e });
  }
  db.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 10_000}`);
  if (!opts.readonly) {
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${opts.durability === 'normal' ? 'NORMAL' : 'FULL'}`);
  }
  db.pragma('foreign_keys = ON');
  db.pragma(`mmap_size = ${MAP_BYTES}`);
  return db;
}

/** `PRAGMA integrity_check` reduced to a list of problems (empty = sound). */
export function integrityProblems(db: Db): string[] {
  const rows = db.pragma('integrity_check') as Array<{ integrity_check: string }>;
  return rows.map((r) => r.integrity_check).filter((m) => m !== 'ok');
}
