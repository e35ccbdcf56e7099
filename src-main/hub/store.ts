import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase, type Db } from '../core/db/connection';
import { EvidenceLog } from '../core/exchange/evidence';
import { EVIDENCE_DDL } from '../core/db/migrations/0050-exchange';

/**
 * The reference hub's own SQLite store: agency directory (with each connected system's secret),
 * messages, one delivery per recipient (its `doc_id` is what the recipient lists, fetches and
 * acknowledges), the upload dedup table and the replay cache. Separate from any workstation database.
 */
const DDL = `
CREATE TABLE IF NOT EXISTS agencies (
  code TEXT PRIMARY KEY, name TEXT NOT NULL, mail TEXT, systemid TEXT UNIQUE, secret TEXT,
  deleted INTEGER NOT NULL DEFAULT 0, locked INTEGER NOT NULL DEFAULT 0, alias_of TEXT,
  version INTEGER NOT NULL DEFAULT 1, modified TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS messages (
  id TEXT PRIMARY KEY, from_code TEXT NOT NULL, messagetype TEXT NOT NULL, document_id TEXT, notation TEXT,
  title TEXT, hash_file TEXT NOT NULL, body BLOB NOT NULL, created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS deliveries (
  seq INTEGER PRIMARY KEY, doc_id TEXT NOT NULL UNIQUE, message_id TEXT NOT NULL REFERENCES messages(id),
  to_code TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'pending', created_at TEXT NOT NULL, updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS deliveries_to ON deliveries(to_code, status);
CREATE TABLE IF NOT EXISTS dedup (key TEXT PRIMARY KEY, message_id TEXT NOT NULL, at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS replay (hash TEXT PRIMARY KEY, at INTEGER NOT NULL);`;

export interface AgencyRow {
  code: string;
  name: string;
  mail: string | null;
  systemid: string | null;
  secret: string | null;
  deleted: number;
  locked: number;
  alias_of: string | null;
  version: number;
  modified: string;
}

export interface DeliveryRow {
  seq: number;
  doc_id: string;
  message_id: string;
  to_code: string;
  status: string;
  created_at: string;
  updated_at: string;
  from_code: string;
  messagetype: string;
  document_id: string | null;
  notation: string | null;
  title: string | null;
  hash_file: string;
}

export function newDocId(): string {
  return randomBytes(12).toString('hex');
}

/** Message bodies above this size are files beside the database (SQLite writes a megabyte blob slowly). */
const INLINE_BODY_MAX = 64 * 1024;

export class HubStore {
  readonly db: Db;
  readonly evidence: EvidenceLog;
  private readonly bodies: string;
  constructor(dataDir: string, readonly nowIso: () => string) {
    this.bodies = join(dataDir, 'bodies');
    mkdirSync(this.bodies, { recursive: true });
    this.db = openDatabase(join(dataDir, 'hub.db'), { durability: 'normal' });
    this.db.exec(DDL);
    this.db.exec(EVIDENCE_DDL);
    this.evidence = new EvidenceLog(this.db, nowIso);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  upsertAgency(a: { code: string; name: string; mail?: string; systemid?: string; secret?: string }): void {
    this.db.prepare(`INSERT INTO agencies (code, name, mail, systemid, secret, modified) VALUES (@code, @name, @mail, @systemid, @secret, @modified)
      ON CONFLICT(code) DO UPDATE SET name = excluded.name, mail = excluded.mail, systemid = coalesce(excluded.systemid, systemid), secret = coalesce(excluded.secret, secret), deleted = 0, version = version + 1, modified = excluded.modified`)
      .run({ code: a.code, name: a.name, mail: a.mail ?? null, systemid: a.systemid ?? null, secret: a.secret ?? null, modified: this.nowIso() });
  }

  deleteAgency(code: string, aliasOf?: string): boolean {
    return this.db.prepare('UPDATE agencies SET deleted = 1, alias_of = ?, version = version + 1, modified = ? WHERE code = ?').run(aliasOf ?? null, this.nowIso(), code).changes > 0;
  }

  agency(code: string): AgencyRow | undefined {
    return this.db.prepare<[string], AgencyRow>('SELECT * FROM agencies WHERE code = ?').get(code);
  }

  bySystem(systemid: string): AgencyRow | undefined {
    return this.db.prepare<[string], AgencyRow>('SELECT * FROM agencies WHERE systemid = ? AND deleted = 0').get(systemid);
  }

  agencies(): AgencyRow[] {
    return this.db.prepare<[], AgencyRow>('SELECT * FROM agencies ORDER BY code').all();
  }

  dedupHit(key: string, sinceMs: number): string | undefined {
    return this.db.prepare<[string, number], { message_id: string }>('SELECT message_id FROM dedup WHERE key = ? AND at >= ?').get(key, sinceMs)?.message_id;
  }

  /** One transaction: the message, one delivery per recipient (twice when duplicating), the dedup key. */
  commitMessage(m: { from: string; messagetype: string; documentId: string | null; notation: string | null; title: string | null; hashFile: string; body: Buffer; to: string[]; duplicate: boolean; dedupKey: string | null; nowMs: number }): string {
    const id = newDocId();
    const at = this.nowIso();
    // The file is written before the row that points at it commits.
    const inline = m.body.length <= INLINE_BODY_MAX;
    if (!inline) writeFileSync(join(this.bodies, id), m.body);
    this.db.transaction(() => {
      this.db.prepare('INSERT INTO messages (id, from_code, messagetype, document_id, notation, title, hash_file, body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(id, m.from, m.messagetype, m.documentId, m.notation, m.title, m.hashFile, inline ? m.body : Buffer.alloc(0), at);
      const deliver = this.db.prepare('INSERT INTO deliveries (doc_id, message_id, to_code, created_at, updated_at) VALUES (?, ?, ?, ?, ?)');
      for (const to of m.to) {
        deliver.run(newDocId(), id, to, at, at);
        if (m.duplicate) deliver.run(newDocId(), id, to, at, at);
      }
      if (m.dedupKey) this.db.prepare('INSERT OR REPLACE INTO dedup (key, message_id, at) VALUES (?, ?, ?)').run(m.dedupKey, id, m.nowMs);
    })();
    return id;
  }

  pending(to: string, messagetype: string): DeliveryRow[] {
    return this.db.prepare<[string, string], DeliveryRow>(`SELECT d.*, m.from_code, m.messagetype, m.document_id, m.notation, m.title, m.hash_file
      FROM deliveries d JOIN messages m ON m.id = d.message_id WHERE d.to_code = ? AND m.messagetype = ? AND d.status = 'pending' ORDER BY d.seq`).all(to, messagetype);
  }

  delivery(docId: string): (DeliveryRow & { body: Buffer }) | undefined {
    const d = this.db.prepare<[string], DeliveryRow & { body: Buffer }>(`SELECT d.*, m.from_code, m.messagetype, m.document_id, m.notation, m.title, m.hash_file, m.body
      FROM deliveries d JOIN messages m ON m.id = d.message_id WHERE d.doc_id = ?`).get(docId);
    const file = d && join(this.bodies, d.message_id);
    return d && d.body.length === 0 && existsSync(file!) ? { ...d, body: readFileSync(file!) } : d;
  }

  setStatus(docId: string, status: string): number {
    return this.db.prepare('UPDATE deliveries SET status = ?, updated_at = ? WHERE doc_id = ?').run(status, this.nowIso(), docId).changes;
  }

  /** The "confirm all" bug, on purpose: every pending item of the organ is marked done. */
  confirmAll(to: string): number {
    return this.db.prepare("UPDATE deliveries SET status = 'done', updated_at = ? WHERE to_code = ? AND status = 'pending'").run(this.nowIso(), to).changes;
  }

  sent(from: string, messagetype: string, messageId?: string): Array<DeliveryRow> {
    const sql = `SELECT d.*, m.from_code, m.messagetype, m.document_id, m.notation, m.title, m.hash_file FROM deliveries d JOIN messages m ON m.id = d.message_id
      WHERE m.from_code = ? AND m.messagetype = ? ${messageId ? 'AND m.id = ?' : ''} ORDER BY d.seq`;
    const args = messageId ? [from, messagetype, messageId] : [from, messagetype];
    return this.db.prepare(sql).all(...args) as DeliveryRow[];
  }

  messageCount(q: { documentId?: string; messagetype?: string } = {}): number {
    return (this.db.prepare('SELECT count(*) AS n FROM messages WHERE (@d IS NULL OR document_id = @d) AND (@t IS NULL OR messagetype = @t)').get({ d: q.documentId ?? null, t: q.messagetype ?? null }) as { n: number }).n;
  }

  /** True when the hash was seen inside the window (a replay); records it otherwise. */
  replayed(hash: string, nowMs: number, windowMs: number): boolean {
    this.db.prepare('DELETE FROM replay WHERE at < ?').run(nowMs - windowMs);
    const hit = this.db.prepare('SELECT 1 FROM replay WHERE hash = ?').get(hash);
    if (hit) return true;
    this.db.prepare('INSERT INTO replay (hash, at) VALUES (?, ?)').run(hash, nowMs);
    return false;
  }
}
