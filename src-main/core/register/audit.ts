import { createHash } from 'node:crypto';
import type { Db } from '../db/connection';

/**
 * Append-only audit trail. Triggers forbid UPDATE and DELETE; the SHA-256 chain catches what the
 * triggers cannot: someone who drops them or edits the file with another tool. Rows must be written
 * inside the caller's write transaction so the chain head cannot race.
 */
export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEvent {
  actor: string;
  action: string;
  entity: string;
  entityId?: string | number | null;
  before?: unknown;
  after?: unknown;
}

export interface AuditRow {
  id: number;
  at: string;
  actor: string;
  action: string;
  entity: string;
  entity_id: string | null;
  before: string | null;
  after: string | null;
  prev_hash: string;
  hash: string;
}

function rowHash(r: Omit<AuditRow, 'hash'>): string {
  // The id is part of the hash, so moving a row or renumbering is detected too.
  const canonical = JSON.stringify([r.id, r.prev_hash, r.at, r.actor, r.action, r.entity, r.entity_id, r.before, r.after]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

export class AuditLog {
  private readonly head;
  private readonly insert;

  constructor(db: Db) {
    // AUTOINCREMENT's sequence survives a deleted tail row, so the next id exposes the deletion.
    this.head = db.prepare<[], { hash: string | null; id: number | null; seq: number | null }>(
      "SELECT (SELECT hash FROM audit ORDER BY id DESC LIMIT 1) AS hash, (SELECT max(id) FROM audit) AS id, (SELECT seq FROM sqlite_sequence WHERE name = 'audit') AS seq",
    );
    this.insert = db.prepare(
      'INSERT INTO audit (id, at, actor, action, entity, entity_id, before, after, prev_hash, hash) VALUES (@id, @at, @actor, @action, @entity, @entity_id, @before, @after, @prev_hash, @hash)',
    );
  }

  /** Call inside a write transaction. */
  append(at: string, e: AuditEvent): void {
    const last = this.head.get()!;
    const row = {
      id: Math.max(last.id ?? 0, last.seq ?? 0) + 1,
      at,
      actor: e.actor,
      action: e.action,
      entity: e.entity,
      entity_id: e.entityId === undefined || e.entityId === null ? null : String(e.entityId),
      before: e.before === undefined ? null : JSON.stringify(e.before),
      after: e.after === undefined ? null : JSON.stringify(e.after),
      prev_hash: last.hash ?? GENESIS_HASH,
    };
    this.insert.run({ ...row, hash: rowHash(row) });
  }
}

export interface AuditProblem {
  id: number;
  kind: 'edited' | 'deleted' | 'broken_link';
}

export interface AuditReport {
  ok: boolean;
  count: number;
  problems: AuditProblem[];
}

/** Re-walks the whole chain; reports at most `maxProblems` so a wrecked table stays cheap to report. */
export function auditVerify(db: Db, maxProblems = 100): AuditReport {
  const problems: AuditProblem[] = [];
  let prevHash = GENESIS_HASH;
  let expectedId = 1;
  let count = 0;
  for (const r of db.prepare('SELECT * FROM audit ORDER BY id').iterate() as Iterable<AuditRow>) {
    count++;
    if (problems.length >= maxProblems) continue;
    if (r.id !== expectedId) problems.push({ id: expectedId, kind: 'deleted' });
    if (r.prev_hash !== prevHash) problems.push({ id: r.id, kind: 'broken_link' });
    if (rowHash(r) !== r.hash) problems.push({ id: r.id, kind: 'edited' });
    prevHash = r.hash;
    expectedId = r.id + 1;
  }
  const seq = db.prepare<[], { seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'audit'").get()?.seq ?? 0;
  if (seq >= expectedId && problems.length < maxProblems) problems.push({ id: expectedId, kind: 'deleted' });
  return { ok: problems.length === 0, count, problems };
}

/** The newest entries first, optionally for one entity. */
export function auditTrail(db: Db, q: { entity?: string; entityId?: string | number; limit?: number } = {}): Array<Record<string, unknown>> {
  const limit = Math.min(Math.max(q.limit ?? 100, 1), 1000);
  const where: string[] = [];
  const args: unknown[] = [];
  if (q.entity) { where.push('entity = ?'); args.push(q.entity); }
  if (q.entityId !== undefined) { where.push('entity_id = ?'); args.push(String(q.entityId)); }
  return db.prepare(`SELECT id, at, actor, action, entity, entity_id AS entityId, before, after FROM audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`).all(...args, limit) as Array<Record<string, unknown>>;
}
