import { existsSync, statSync } from 'node:fs';
import { AppError } from '../../contract/errors';
import type { Db } from './connection';
import { MIGRATIONS, type Migration } from './migrations/index';

export interface MigrationResult {
  from: number;
  to: number;
  /** Copy of the database taken before upgrading, when there was anything to copy. */
  backup: string | null;
}

/** The list must be strictly increasing, or two builds could disagree on what a version means. */
export function checkMigrationOrder(list: readonly Migration[]): void {
  for (let i = 1; i < list.length; i++) {
    if (list[i]!.version <= list[i - 1]!.version) {
      throw new AppError('INTERNAL', 'Lỗi nội bộ: danh sách nâng cấp cơ sở dữ liệu không hợp lệ.', `migration ${list[i]!.name} (${list[i]!.version}) is not after ${list[i - 1]!.name}`);
    }
  }
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function latestVersion(list: readonly Migration[] = MIGRATIONS): number {
  return list.at(-1)?.version ?? 0;
}

/**
 * Brings the database to `target` (default: the newest known version), the Signal way: refuse a
 * newer database, copy the file first, then every pending step in ONE transaction, then optimize.
 */
export function migrate(db: Db, dbPath: string | null, opts: { target?: number; list?: readonly Migration[]; now?: () => Date } = {}): MigrationResult {
  const list = opts.list ?? MIGRATIONS;
  checkMigrationOrder(list);
  const known = latestVersion(list);
  const target = opts.target ?? known;
  const from = schemaVersion(db);
  if (from > known) {
    throw new AppError(
      'DB_TOO_NEW',
      'Cơ sở dữ liệu được tạo bởi phiên bản phần mềm mới hơn. Vui lòng cập nhật phần mềm; dữ liệu không bị thay đổi.',
      `database user_version ${from} > newest known migration ${known}`,
      { dbVersion: from, appVersion: known },
    );
  }
  const pending = list.filter((m) => m.version > from && m.version <= target);
  if (pending.length === 0) return { from, to: from, backup: null };

  let backup: string | null = null;
  if (from > 0 && dbPath && existsSync(dbPath) && statSync(dbPath).size > 0) {
    const stamp = (opts.now?.() ?? new Date()).toISOString().replace(/[:.]/g, '-');
    backup = `${dbPath}.v${from}-${stamp}.bak`;
    // VACUUM INTO gives a consistent single-file copy even with a live WAL.
    db.prepare('VACUUM INTO ?').run(backup);
  }
  const run = db.transaction(() => {
    for (const m of pending) m.up(db);
    db.pragma(`user_version = ${pending.at(-1)!.version}`);
  });
  run.immediate();
  db.pragma('optimize');
  return { from, to: pending.at(-1)!.version, backup };
}
