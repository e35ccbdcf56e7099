import { describe, expect, it } from 'vitest';
import { migrate } from '../../src-main/core/db/migrate';
import { dbAt, insertBook, insertDoc } from './helpers';

describe('0020-search', () => {
  it('indexes documents that existed before the upgrade, folded (đ → d)', () => {
    const { db, path } = dbAt(10);
    insertBook(db);
    const id = insertDoc(db, { Subject: 'Quyết định khen thưởng ông Đặng Văn Lâm', OrganName: 'Sở Nội vụ' });
    migrate(db, path, { target: 20 });
    const hit = (q: string) => db.prepare('SELECT rowid FROM doc_fts WHERE doc_fts MATCH ?').all(q) as Array<{ rowid: number }>;
    expect(hit('"quyet" AND "dinh"').map((r) => r.rowid)).toEqual([id]);
    expect(hit('"dang"').map((r) => r.rowid)).toEqual([id]);
    expect(hit('{organ} : "noi"').map((r) => r.rowid)).toEqual([id]);
    expect(hit('{organ} : "dang"')).toEqual([]);
    db.prepare("INSERT INTO saved_searches (name, query, created_at) VALUES ('a', '{}', 'now')").run();
  });
});
