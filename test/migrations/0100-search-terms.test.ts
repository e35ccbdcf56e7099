import { describe, expect, it } from 'vitest';
import { migrate } from '../../src-main/core/db/migrate';
import { dbAt } from './helpers';

describe('0100-search-terms', () => {
  it('fills the search vocabulary from the full-text index: every word but those of digits only, once', () => {
    const { db, path } = dbAt(95);
    const put = db.prepare('INSERT INTO doc_fts (rowid, code, subject, body) VALUES (?, ?, ?, ?)');
    put.run(1, '12 ubnd vp 12/ubnd-vp', 'ke hoach phong chong thien tai', '');
    put.run(2, '2026 qd', 'ke hoach nam 2026', 'dieu 3 khoan 2a');
    migrate(db, path, { target: 100 });
    expect(db.prepare('SELECT term FROM search_terms ORDER BY term').pluck().all()).toEqual(
      ['2a', 'chong', 'dieu', 'hoach', 'ke', 'khoan', 'nam', 'phong', 'qd', 'tai', 'thien', 'ubnd', 'vp'],
    );
  });
});
