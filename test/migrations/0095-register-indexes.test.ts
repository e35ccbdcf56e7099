import { describe, expect, it } from 'vitest';
import { migrate } from '../../src-main/core/db/migrate';
import { dbAt, insertBook, insertDoc } from './helpers';

const indexes = (db: ReturnType<typeof dbAt>['db']) =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'documents' ORDER BY name").all() as Array<{ name: string }>).map((r) => r.name);

describe('0095-register-indexes', () => {
  it('drops the index that repeated the unique (sổ, year, số) one; register pages and printing still read through an index', () => {
    const { db, path } = dbAt(80);
    insertBook(db);
    for (let n = 1; n <= 3; n++) insertDoc(db, { number: n });
    expect(indexes(db)).toContain('documents_book_list');
    migrate(db, path, { target: 95 });
    expect(indexes(db)).not.toContain('documents_book_list');
    expect(indexes(db)).toContain('sqlite_autoindex_documents_1');
    const plan = db.prepare("EXPLAIN QUERY PLAN SELECT * FROM documents WHERE book_id = ? AND year = ? AND number IS NOT NULL ORDER BY number").all('den', 2026) as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail).join(' | ')).toMatch(/USING INDEX sqlite_autoindex_documents_1/);
    expect(plan.map((p) => p.detail).join(' | ')).not.toMatch(/TEMP B-TREE/);
    // The unique rule itself is unchanged.
    expect(() => insertDoc(db, { number: 2 })).toThrow(/UNIQUE/);
  });
});
