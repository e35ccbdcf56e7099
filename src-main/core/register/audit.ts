import { createHash, hash } from 'node:crypto';
import type { Db } from '../db/connection';
import { MIGRATIONS, type Migration } from '../db/migrations/index';
import { encodeStates, TRACKED_TABLES, type EntityState, type TouchTracker, type TrackedTable } from './entity-state';

/**
 * Append-only audit trail. Triggers forbid UPDATE and DELETE; the SHA-256 chain catches what the
 * triggers cannot: someone who drops them or edits the file with another tool. Each entry also
 * carries the full state of every registered row its transaction wrote, so the register itself is
 * checked against the chain (audit-check.ts), and the chain's head is anchored outside the database
 * by checkpoints (checkpoint.ts). Rows are written inside the caller's write transaction so the head
 * cannot race. See docs/register.md, "Audit chain".
 */
export const GENESIS_HASH = '0'.repeat(64);

export const sha256 = (s: string): string => hash('sha256', s);

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
  /** encodeStates of the rows written; null for entries without row changes and for entries older than version 40. */
  state: string | null;
  prev_hash: string;
  hash: string;
}

export function rowHash(r: Omit<AuditRow, 'hash'>): string {
  return entryHash([r.id, r.prev_hash, r.at, r.actor, r.action, r.entity, r.entity_id, r.before, r.after], r.state);
}

/** The columns `entryHash` takes, in its order, then state and hash: how `audit verify` reads entries raw. */
export const ENTRY_COLUMNS = 'id, prev_hash, at, actor, action, entity, entity_id, before, after, state, hash';

/**
 * The id is part of the hash, so moving a row or renumbering is detected too. Entries without states
 * hash as they did before states existed, so an upgraded chain keeps its old hashes. The state text
 * follows the JSON array as it is (the array's closing bracket delimits it), so the largest field is
 * hashed once and never re-escaped.
 */
export function entryHash(fields: readonly unknown[], state: string | null): string {
  const head = JSON.stringify(fields);
  return state === null ? sha256(head) : createHash('sha256').update(head).update(state).digest('hex');
}

/** The newest entry: what a checkpoint anchors. */
export interface ChainHead {
  count: number;
  head: string;
}

export function chainHead(db: Db): ChainHead {
  const r = db.prepare<[], { id: number; hash: string }>('SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1').get();
  return r ? { count: r.id, head: r.hash } : { count: 0, head: GENESIS_HASH };
}

export class AuditLog {
  private readonly head;
  private readonly insert;

  constructor(db: Db, private readonly tracker: TouchTracker) {
    // AUTOINCREMENT's sequence survives a deleted tail row, so the next id exposes the deletion.
    this.head = db.prepare<[], { hash: string | null; id: number | null; seq: number | null }>(
      "SELECT (SELECT hash FROM audit ORDER BY id DESC LIMIT 1) AS hash, (SELECT max(id) FROM audit) AS id, (SELECT seq FROM sqlite_sequence WHERE name = 'audit') AS seq",
    );
    this.insert = db.prepare(
      'INSERT INTO audit (id, at, actor, action, entity, entity_id, before, after, state, prev_hash, hash) VALUES (@id, @at, @actor, @action, @entity, @entity_id, @before, @after, @state, @prev_hash, @hash)',
    );
  }

  /** Call inside a write transaction: the entry takes the states of the rows written since the last one. */
  append(at: string, e: AuditEvent, states: EntityState[] = this.tracker.take()): void {
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
      state: states.length ? encodeStates(states) : null,
      prev_hash: last.hash ?? GENESIS_HASH,
    };
    this.insert.run({ ...row, hash: rowHash(row) });
  }

  /** Rows written in a transaction after its last entry get an entry of their own (nothing escapes the chain). */
  flush(at: string, actor: string): void {
    const states = this.tracker.take();
    if (states.length) this.append(at, { actor, action: 'state.sync', entity: 'database' }, states);
  }
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

/**
 * The chain's first states: once for a register upgraded to entity states, again after a migration
 * that may change registered rows (its schema version is recorded), every tracked row in entries of a
 * few hundred rows. Rows as they are at that moment become the reference (docs/threat-model.md says
 * what that implies). Steps marked `keepsRows` (an index dropped) leave every row as the chain records
 * it, so they need no baseline: at a million documents one costs millions of row states.
 */
export function baselineIfNeeded(db: Db, log: AuditLog, tracker: TouchTracker, version: number, at: string, migrations: readonly Migration[] = MIGRATIONS): void {
  const last = db.prepare<[], { after: string | null }>("SELECT after FROM audit WHERE action = 'audit.baseline' ORDER BY id DESC LIMIT 1").get();
  const since = last ? (JSON.parse(last.after ?? '{}') as { version?: number }).version : undefined;
  if (since === version) return;
  let tables: readonly TrackedTable[] = TRACKED_TABLES;
  if (since !== undefined && since < version) {
    const steps = migrations.filter((m) => m.version > since && m.version <= version);
    if (steps.every((m) => m.keepsRows)) {
      // Steps that leave every row as the chain records it; a table one of them brings into the chain
      // is the only one whose rows become a reference.
      tables = TRACKED_TABLES.filter((t) => steps.some((m) => m.chains?.includes(t)));
      if (tables.length === 0) return;
    }
  }
  let part = 0;
  for (const page of tracker.all(500, tables)) log.append(at, { actor: 'vanthu', action: 'audit.baseline', entity: 'database', after: { version, part: ++part } }, page);
  if (part === 0) log.append(at, { actor: 'vanthu', action: 'audit.baseline', entity: 'database', after: { version, part } }, []);
}
