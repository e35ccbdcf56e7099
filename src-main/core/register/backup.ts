import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathString } from '../../contract/api';
import { AppError } from '../../contract/errors';
import { integrityProblems, openDatabase } from '../db/connection';
import { latestVersion, schemaVersion } from '../db/migrate';
import { auditVerify } from './audit';
import type { ActOptions, RegisterContext } from './context';
import { invalid } from './errors';

export interface DatabaseCheck {
  ok: boolean;
  version: number;
  integrity: string[];
  audit: { ok: boolean; count: number; problems: number };
}

/** integrity_check + a schema version this build knows + an unbroken audit chain. */
export function verifyDatabaseFile(path: string): DatabaseCheck {
  if (!existsSync(path)) throw new AppError('NOT_FOUND', 'Không tìm thấy tệp sao lưu.', `backup ${path} missing`);
  let db;
  try {
    db = openDatabase(path, { readonly: true });
  } catch (e) {
    throw new AppError('DB_ERROR', 'Tệp sao lưu không phải cơ sở dữ liệu hợp lệ.', (e as Error).message);
  }
  try {
    let integrity: string[];
    try {
      integrity = integrityProblems(db);
    } catch (e) {
      integrity = [(e as Error).message];
    }
    const version = schemaVersion(db);
    const hasAudit = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'audit'").get() !== undefined;
    const a = hasAudit && integrity.length === 0 ? auditVerify(db) : { ok: false, count: 0, problems: [] };
    const versionOk = version > 0 && version <= latestVersion();
    return { ok: integrity.length === 0 && versionOk && a.ok, version, integrity, audit: { ok: a.ok, count: a.count, problems: a.problems.length } };
  } finally {
    db.close();
  }
}

/**
 * Replaces the database at `dbPath` with a verified backup. The register must be closed (no open
 * connection). The current file is kept beside it as "<db>.before-restore" until the next restore.
 */
export function restoreDatabase(backupPath: string, dbPath: string): DatabaseCheck {
  const check = verifyDatabaseFile(backupPath);
  if (check.version > latestVersion()) {
    throw new AppError('DB_TOO_NEW', 'Tệp sao lưu được tạo bởi phiên bản phần mềm mới hơn; không thể khôi phục.', `backup version ${check.version}`);
  }
  if (!check.ok) {
    throw new AppError('DB_ERROR', 'Tệp sao lưu bị hỏng hoặc nhật ký hệ thống không toàn vẹn; không khôi phục.', `integrity ${check.integrity.length}, audit problems ${check.audit.problems}, version ${check.version}`);
  }
  const tmp = `${dbPath}.restoring`;
  copyFileSync(backupPath, tmp);
  if (existsSync(dbPath)) {
    // Fold the live WAL into the old file before keeping it aside.
    const old = openDatabase(dbPath);
    old.pragma('wal_checkpoint(TRUNCATE)');
    old.close();
    copyFileSync(dbPath, `${dbPath}.before-restore`);
  }
  for (const suffix of ['-wal', '-shm']) rmSync(`${dbPath}${suffix}`, { force: true });
  renameSync(tmp, dbPath);
  return check;
}

/** Online backup (pages copied while the register keeps working), logged in the audit trail. */
export async function backupDatabase(ctx: RegisterContext, dest: string, act: ActOptions = {}): Promise<{ path: string; bytes: number }> {
  if (!pathString.safeParse(dest).success) throw invalid('Đường dẫn tệp sao lưu không hợp lệ.', 'backup path');
  ctx.write(() => ctx.log({ actor: ctx.actorOf(act), action: 'db.backup', entity: 'database', entityId: null, after: { dest: join(dest) } }));
  mkdirSync(dirname(dest), { recursive: true });
  try {
    await ctx.db.backup(dest);
  } catch (e) {
    throw new AppError('IO_ERROR', 'Không sao lưu được cơ sở dữ liệu.', `backup to ${dest}: ${(e as Error).message}`, undefined, { cause: e });
  }
  return { path: dest, bytes: statSync(dest).size };
}
