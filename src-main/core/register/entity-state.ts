import type { Db } from '../db/connection';

/**
 * The registered entities whose rows the audit chain records in full (docs/register.md, "Audit chain").
 * Derived data is left out: the FTS index and extracted text (rebuilt from these rows and the
 * attachment files), saved searches and settings.
 */
export const TRACKED_TABLES = [
  'books', 'book_counters', 'documents', 'recipients', 'assignments', 'status_events', 'transitions',
  'closures', 'attachments', 'blobs', 'dossiers', 'dossier_documents',
] as const;
export type TrackedTable = (typeof TRACKED_TABLES)[number];

/** One entity's state in an entry: table, rowid, the row as JSON (null: deleted), and for a row that
 * existed before the transaction, the SHA-256 of its state then. */
export type EntityState = [table: TrackedTable, rowid: number, row: string | null, before?: string];

export type Row = Record<string, unknown>;

/** The canonical text of a row's state: JSON of its columns in table order. */
export function rowText(row: Row): string {
  return JSON.stringify(row);
}

/**
 * The same text built from a raw row (values in column order) without making an object: reading a
 * million rows as objects was most of `audit verify`'s time.
 */
export class RowText {
  private readonly keys: string[];

  constructor(readonly columns: readonly string[]) {
    this.keys = columns.map((c, i) => `${i ? ',' : '{'}${JSON.stringify(c)}:`);
  }

  of(values: readonly unknown[], offset = 0): string {
    let s = '';
    for (let i = 0; i < this.keys.length; i++) s += this.keys[i]! + JSON.stringify(values[i + offset]);
    return `${s}}`;
  }
}

export function columnsOf(db: Db, table: TrackedTable): string[] {
  return (db.prepare(`PRAGMA main.table_info(${table})`).all() as Array<{ name: string }>).map((c) => c.name);
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
  private readonly readers = new Map<TrackedTable, { read: ReturnType<Db['prepare']>; text: RowText }>();

  constructor(private readonly db: Db) {
    // No UNIQUE constraint: the conflict clause of the statement firing a trigger (an upsert, INSERT OR
    // REPLACE) overrides the trigger's own, so "first touch wins" is a NOT EXISTS test instead.
    // In memory: a temp table on disk journals every touch, which doubled the cost of a registration.
    db.pragma('temp_store = MEMORY');
    db.exec('CREATE TEMP TABLE IF NOT EXISTS touched (tbl TEXT NOT NULL, id INTEGER NOT NULL, before TEXT); CREATE INDEX IF NOT EXISTS temp.touched_key ON touched (tbl, id);');
    for (const t of TRACKED_TABLES) {
      const cols = columnsOf(db, t);
      const old = `json_object(${cols.map((c) => `'${c}', OLD."${c}"`).join(', ')})`;
      const touch = (row: 'NEW' | 'OLD', before: string) =>
        `INSERT INTO temp.touched SELECT '${t}', ${row}.rowid, ${before} WHERE NOT EXISTS (SELECT 1 FROM temp.touched WHERE tbl = '${t}' AND id = ${row}.rowid);`;
      db.exec(`
        CREATE TEMP TRIGGER IF NOT EXISTS touch_${t}_i AFTER INSERT ON main.${t} BEGIN ${touch('NEW', 'NULL')} END;
        CREATE TEMP TRIGGER IF NOT EXISTS touch_${t}_u AFTER UPDATE ON main.${t} BEGIN ${touch('OLD', old)} ${touch('NEW', 'NULL')} END;
        CREATE TEMP TRIGGER IF NOT EXISTS touch_${t}_d AFTER DELETE ON main.${t} BEGIN ${touch('OLD', old)} END;
      `);
      this.readers.set(t, { read: db.prepare(`SELECT * FROM main.${t} WHERE rowid = ?`).raw(true), text: new RowText(cols) });
    }
    this.touched = db.prepare<[], { tbl: TrackedTable; id: number; before: string | null }>('SELECT tbl, id, before FROM temp.touched');
    this.clear = db.prepare('DELETE FROM temp.touched');
  }

  /** The states of every row touched since the last call (inside the writing transaction), and forgets them. */
  take(hash: (s: string) => string): EntityState[] {
    const out: EntityState[] = [];
    for (const t of this.touched.all()) {
      const r = this.readers.get(t.tbl)!;
      const row = r.read.get(t.id) as unknown[] | undefined;
      const state: EntityState = [t.tbl, t.id, row ? r.text.of(row) : null];
      // json_object gives the same key order and values as better-sqlite3's row objects.
      if (t.before !== null) state.push(hash(rowText(JSON.parse(t.before) as Row)));
      out.push(state);
    }
    if (out.length) this.clear.run();
    return out;
  }

  /** Every current row of the tracked tables, in pages (the first entries of a register upgraded to chain states). */
  *all(pageSize = 500): Generator<EntityState[]> {
    for (const t of TRACKED_TABLES) {
      const text = new RowText(columnsOf(this.db, t));
      for (const rows of pagesOf(this.db, t, pageSize)) yield rows.map((r) => [t, r[0] as number, text.of(r, 1)] as EntityState);
    }
  }
}

/** A tracked table's rows in rowid order, raw (rowid first, then the columns), a page at a time. */
export function* pagesOf(db: Db, table: TrackedTable, pageSize = 1000): Generator<unknown[][]> {
  const page = db.prepare(`SELECT rowid, * FROM main.${table} WHERE rowid > ? ORDER BY rowid LIMIT ?`).raw(true);
  for (let last = -Number.MAX_VALUE; ;) {
    const rows = page.all(last, pageSize) as unknown[][];
    if (rows.length === 0) return;
    yield rows;
    last = rows.at(-1)![0] as number;
  }
}
