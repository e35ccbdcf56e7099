import { hash } from 'node:crypto';
import type { Db } from '../db/connection';

/**
 * The registered entities whose rows the audit chain records in full (docs/register.md, "Audit chain").
 * Derived data is left out: the FTS index and extracted text (rebuilt from these rows and the
 * attachment files), saved searches and settings.
 */
export const TRACKED_TABLES = [
  'books', 'book_counters', 'documents', 'recipients', 'assignments', 'status_events', 'transitions',
  'closures', 'attachments', 'blobs', 'dossiers', 'dossier_documents', 'digitized_files',
] as const;
export type TrackedTable = (typeof TRACKED_TABLES)[number];

/**
 * One entity's state in an entry: table, rowid, the row's canonical text (null: deleted), and for a
 * row that existed before the transaction, the SHA-256 of its text then.
 */
export type EntityState = [table: TrackedTable, rowid: number, row: string | null, before?: string];

export type Row = Record<string, unknown>;

/** SHA-256 of a row's canonical text, as 32 bytes. */
export const stateDigest = (text: string): Buffer => hash('sha256', text, 'buffer');

/**
 * A row's canonical text is SQLite's own json_object over its columns in table order: the triggers
 * can produce it for the row before a change, and `audit verify` reads a million rows as one string
 * each without building objects in JavaScript. Tracked tables hold only INTEGER and TEXT values, whose
 * JSON form does not vary.
 */
export function rowJson(db: Db, table: TrackedTable, alias: string): string {
  const cols = (db.prepare(`PRAGMA main.table_info(${table})`).all() as Array<{ name: string }>).map((c) => c.name);
  return `json_object(${cols.map((c) => `'${c}', ${alias}."${c}"`).join(', ')})`;
}

/**
 * The states of one entry as stored in its `state` column: a line per entity, fields separated by
 * tabs (table, rowid, hash before, row text). JSON text never holds a raw tab or newline, so rows are
 * stored as they are, unescaped: smaller, and read back without a JSON parse of the whole entry.
 */
export function encodeStates(states: readonly EntityState[]): string {
  return states.map(([t, id, row, before]) => `${t}\t${id}\t${before ?? ''}\t${row ?? ''}`).join('\n');
}

export function decodeStates(text: string): EntityState[] {
  return text.split('\n').map((line) => {
    const a = line.indexOf('\t');
    const b = line.indexOf('\t', a + 1);
    const c = line.indexOf('\t', b + 1);
    const before = line.slice(b + 1, c);
    const row = line.slice(c + 1);
    const s: EntityState = [line.slice(0, a) as TrackedTable, Number(line.slice(a + 1, b)), row === '' ? null : row];
    if (before) s.push(before);
    return s;
  });
}

/**
 * Records which tracked rows a transaction touched, with SQLite TEMP triggers (they live only in this
 * connection, so no other writer and no file change can switch them off for us). The first touch of
 * a row keeps its state before the change, so a row edited outside the application and then written
 * by it is caught too: the "before" state no longer matches the chain.
 */
export class TouchTracker {
  private readonly touched;
  private readonly clear;
  private readonly readers = new Map<TrackedTable, ReturnType<Db['prepare']>>();

  constructor(private readonly db: Db) {
    // In memory: a temp table on disk journals every touch, which doubled the cost of a registration.
    db.pragma('temp_store = MEMORY');
    // No UNIQUE constraint: the conflict clause of the statement firing a trigger (an upsert, INSERT OR
    // REPLACE) overrides the trigger's own, so "first touch wins" is a NOT EXISTS test instead.
    db.exec('CREATE TEMP TABLE IF NOT EXISTS touched (tbl TEXT NOT NULL, id INTEGER NOT NULL, before TEXT); CREATE INDEX IF NOT EXISTS temp.touched_key ON touched (tbl, id);');
    for (const t of TRACKED_TABLES) {
      const old = rowJson(db, t, 'OLD');
      const touch = (row: 'NEW' | 'OLD', before: string) =>
        `INSERT INTO temp.touched SELECT '${t}', ${row}.rowid, ${before} WHERE NOT EXISTS (SELECT 1 FROM temp.touched WHERE tbl = '${t}' AND id = ${row}.rowid);`;
      db.exec(`
        CREATE TEMP TRIGGER IF NOT EXISTS touch_${t}_i AFTER INSERT ON main.${t} BEGIN ${touch('NEW', 'NULL')} END;
        CREATE TEMP TRIGGER IF NOT EXISTS touch_${t}_u AFTER UPDATE ON main.${t} BEGIN ${touch('OLD', old)} ${touch('NEW', 'NULL')} END;
        CREATE TEMP TRIGGER IF NOT EXISTS touch_${t}_d AFTER DELETE ON main.${t} BEGIN ${touch('OLD', old)} END;
      `);
      this.readers.set(t, db.prepare(`SELECT ${rowJson(db, t, 'r')} FROM main.${t} r WHERE rowid = ?`).pluck());
    }
    this.touched = db.prepare<[], { tbl: TrackedTable; id: number; before: string | null }>('SELECT tbl, id, before FROM temp.touched');
    this.clear = db.prepare('DELETE FROM temp.touched');
  }

  /** The states of every row touched since the last call (inside the writing transaction), and forgets them. */
  take(): EntityState[] {
    const out: EntityState[] = [];
    for (const t of this.touched.all()) {
      const row = this.readers.get(t.tbl)!.get(t.id) as string | undefined;
      const state: EntityState = [t.tbl, t.id, row ?? null];
      if (t.before !== null) state.push(stateDigest(t.before).toString('hex'));
      out.push(state);
    }
    if (out.length) this.clear.run();
    return out;
  }

  /** Every current row of the tracked tables (or of `tables`), in pages (the first entries of a register upgraded to chain states). */
  *all(pageSize = 500, tables: readonly TrackedTable[] = TRACKED_TABLES): Generator<EntityState[]> {
    for (const t of tables) {
      for (const rows of pagesOf(this.db, t, pageSize)) yield rows.map(([id, text]) => [t, id, text] as EntityState);
    }
  }
}

/** A tracked table's rows in rowid order as [rowid, canonical text], a page at a time. */
export function* pagesOf(db: Db, table: TrackedTable, pageSize = 1000): Generator<Array<[number, string]>> {
  const page = db.prepare(`SELECT rowid, ${rowJson(db, table, 'r')} FROM main.${table} r WHERE rowid > ? ORDER BY rowid LIMIT ?`).raw(true);
  for (let last = -Number.MAX_VALUE; ;) {
    const rows = page.all(last, pageSize) as Array<[number, string]>;
    if (rows.length === 0) return;
    yield rows;
    last = rows.at(-1)![0];
  }
}
