import type { Db } from '../connection';

// Frozen with this migration: the columns and the fold as they were at version 20. The live register
// keeps its own (register/search.ts); a later change there must not change what this step did.
const COLUMNS = ['code', 'type', 'organ', 'subject', 'signer', 'places', 'note', 'body'];
const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();

function values(r: Record<string, unknown>): string[] {
  const f = (...xs: unknown[]) => fold(xs.filter((x) => typeof x === 'string' && x !== '').join(' '));
  const number = typeof r.number === 'number' ? String(r.number) : '';
  return [
    f(r.CodeNumber, r.CodeNotation, r.CodeNumber && r.CodeNotation ? `${r.CodeNumber}/${r.CodeNotation}` : '', number, r.DocumentId),
    f(r.TypeName), f(r.OrganName), f(r.Subject), f(r.SignerPosition, r.SignerFullName), f(r.ToPlaces, r.FileCopyHolder),
    f(r.Description, r.TraceHeaderList), '',
  ];
}

/**
 * Accent-blind search: an FTS5 table over text folded in the app (vnFold maps đ→d, which the
 * unicode61 tokenizer does not), one column per searchable field plus the extracted full text.
 * detail=column: queries are AND-ed words per column, never phrases, so positions are not stored
 * (a smaller index and faster inserts on a million-row register).
 * Existing documents are indexed during the upgrade. Saved searches live beside it.
 */
export const m0020Search = {
  version: 20,
  name: '0020-search',
  up(db: Db) {
    db.exec(`
      CREATE VIRTUAL TABLE doc_fts USING fts5(
        ${COLUMNS.join(', ')},
        content = '', contentless_delete = 1, detail = column,
        tokenize = 'unicode61 remove_diacritics 0'
      );
      CREATE TABLE doc_text (
        doc_id INTEGER PRIMARY KEY REFERENCES documents(id),
        body TEXT NOT NULL
      ) STRICT;
      CREATE TABLE saved_searches (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 200),
        query TEXT NOT NULL CHECK (length(query) <= 4000),
        created_at TEXT NOT NULL
      ) STRICT;
    `);
    const insert = db.prepare(`INSERT INTO doc_fts (rowid, ${COLUMNS.join(', ')}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    // In pages: a connection cannot write while a statement iterates, and a large register must not
    // be loaded at once.
    const page = db.prepare<[number], Record<string, unknown>>('SELECT * FROM documents WHERE id > ? ORDER BY id LIMIT 1000');
    for (let last = 0, rows = page.all(last); rows.length > 0; rows = page.all(last)) {
      for (const r of rows) insert.run(r.id, ...values(r));
      last = rows.at(-1)!.id as number;
    }
  },
};
