import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathString } from '../../contract/api';
import { AppError } from '../../contract/errors';
import { isoVietnam } from '../../contract/time';
import { integrityProblems, openDatabase } from '../db/connection';
import { latestVersion, schemaVersion } from '../db/migrate';
import { signatureProblem, type ChainAnchors } from './anchors';
import { chainHead } from './audit';
import { checkRegister } from './audit-check';
import { backupCheckpointOf, checkpointDirOf, CheckpointStore, installationKeyOf, installationSigner, readCheckpointFile, writeCheckpointFile, type Checkpoint, type StoredCheckpoint } from './checkpoint';
import type { ActOptions, RegisterContext } from './context';
import { invalid } from './errors';

export interface DatabaseCheck {
  ok: boolean;
  version: number;
  integrity: string[];
  audit: { ok: boolean; count: number; problems: number; entities: number };
  /** The backup's own checkpoint: signature valid and reached by its chain. */
  checkpoint: { ok: boolean; count: number; messageVi: string } | null;
}

/** integrity_check, a schema version this build knows, the audit chain and the rows against it, and the checkpoint. */
export function verifyDatabaseFile(path: string, opts: { checkpoint?: StoredCheckpoint; localIdentity?: string | null } = {}): DatabaseCheck {
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
    const stored = opts.checkpoint;
    const bad = stored ? signatureProblem(stored, opts.localIdentity ?? null) : null;
    const anchors = stored?.checkpoint && !bad ? [{ count: stored.checkpoint.count, head: stored.checkpoint.head, source: 'backup' }] : [];
    const r = hasAudit && integrity.length === 0 ? checkRegister(db, anchors) : null;
    const auditOk = r !== null && r.problems.length === 0 && r.entities.length === 0;
    const reached = r?.anchors[0];
    const checkpoint = !stored ? null
      : bad ? { ok: false, count: bad.count, messageVi: bad.messageVi }
        : { ok: reached?.ok === true, count: stored.checkpoint!.count, messageVi: reached?.ok ? `Nhật ký đạt điểm kiểm tra đi kèm (${stored.checkpoint!.count} mục).` : `Nhật ký trong bản sao lưu không đạt điểm kiểm tra đi kèm (${stored.checkpoint!.count} mục).` };
    const versionOk = version > 0 && version <= latestVersion();
    return {
      ok: integrity.length === 0 && versionOk && auditOk && (checkpoint?.ok ?? true),
      version, integrity, checkpoint,
      audit: { ok: auditOk, count: r?.count ?? 0, problems: r?.problems.length ?? 0, entities: r?.entities.length ?? 0 },
    };
  } finally {
    db.close();
  }
}

/**
 * Replaces the database at `dbPath` with a verified backup. The register must be closed (no open
 * connection). The backup must carry its checkpoint and its chain must reach it. The current file is
 * kept beside it as "<db>.before-restore" until the next restore; checkpoints the restored chain does
 * not reach are set aside in a subfolder of the checkpoint folder.
 */
export function restoreDatabase(backupPath: string, dbPath: string, opts: { installationKeyPath?: string; checkpointDir?: string; now?: () => Date } = {}): DatabaseCheck {
  const sidecar = backupCheckpointOf(backupPath);
  if (existsSync(backupPath) && !existsSync(sidecar)) {
    throw new AppError('DB_ERROR', 'Bản sao lưu không kèm tệp điểm kiểm tra (.checkpoint.json); không khôi phục.', `no checkpoint beside ${backupPath}`);
  }
  const keyPath = opts.installationKeyPath ?? installationKeyOf(dbPath);
  const localIdentity = existsSync(keyPath) ? installationSigner(keyPath).identity : null;
  const stored = existsSync(sidecar) ? readCheckpointFile(sidecar) : undefined;
  const check = verifyDatabaseFile(backupPath, { ...(stored ? { checkpoint: stored } : {}), localIdentity });
  if (check.version > latestVersion()) {
    throw new AppError('DB_TOO_NEW', 'Tệp sao lưu được tạo bởi phiên bản phần mềm mới hơn; không thể khôi phục.', `backup version ${check.version}`);
  }
  if (check.checkpoint && !check.checkpoint.ok) {
    throw new AppError('DB_ERROR', `${check.checkpoint.messageVi} Không khôi phục.`, `backup checkpoint: ${check.checkpoint.messageVi}`);
  }
  if (!check.ok) {
    throw new AppError('DB_ERROR', 'Tệp sao lưu bị hỏng hoặc nhật ký hệ thống không toàn vẹn; không khôi phục.', `integrity ${check.integrity.length}, audit problems ${check.audit.problems}, rows ${check.audit.entities}, version ${check.version}`);
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
  const store = new CheckpointStore(opts.checkpointDir ?? checkpointDirOf(dbPath));
  store.setAsideBeyond(check.audit.count, isoVietnam((opts.now ?? (() => new Date()))()));
  if (stored?.checkpoint) store.write(stored.checkpoint);
  return check;
}

/**
 * Online backup (pages copied while the register keeps working), logged in the audit trail; the
 * checkpoint of that entry is written beside the backup and among the register's checkpoints.
 */
export async function backupDatabase(ctx: RegisterContext, anchors: ChainAnchors, dest: string, act: ActOptions = {}): Promise<{ path: string; bytes: number; checkpoint: Checkpoint }> {
  if (!pathString.safeParse(dest).success) throw invalid('Đường dẫn tệp sao lưu không hợp lệ.', 'backup path');
  const head = ctx.write(() => {
    ctx.log({ actor: ctx.actorOf(act), action: 'db.backup', entity: 'database', entityId: null, after: { dest: join(dest) } });
    return chainHead(ctx.db);
  });
  mkdirSync(dirname(dest), { recursive: true });
  try {
    await ctx.db.backup(dest);
  } catch (e) {
    throw new AppError('IO_ERROR', 'Không sao lưu được cơ sở dữ liệu.', `backup to ${dest}: ${(e as Error).message}`, undefined, { cause: e });
  }
  const { checkpoint } = await anchors.write('backup', {}, head);
  writeCheckpointFile(backupCheckpointOf(dest), checkpoint);
  return { path: dest, bytes: statSync(dest).size, checkpoint };
}
