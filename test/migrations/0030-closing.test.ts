import { describe, expect, it } from 'vitest';
import { migrate } from '../../src-main/core/db/migrate';
import { dbAt, insertBook, insertDoc, NOW } from './helpers';

describe('0030-closing', () => {
  it('freezes register columns of existing entries in a closed period, leaves workflow columns writable', () => {
    const { db, path } = dbAt(20);
    insertBook(db);
    const early = insertDoc(db, { number: 1, reg_date: '2026-03-01' });
    const late = insertDoc(db, { number: 2, reg_date: '2026-03-20' });
    migrate(db, path, { target: 30 });
    db.prepare('INSERT INTO closures (book_id, until_date, closed_at, actor) VALUES (?, ?, ?, ?)').run('den', '2026-03-10', NOW, 'vt');
    expect(() => db.prepare('UPDATE documents SET Subject = ? WHERE id = ?').run('sửa', early)).toThrow(/REGISTER_CLOSED/);
    expect(() => db.prepare('DELETE FROM documents WHERE id = ?').run(early)).toThrow(/REGISTER_CLOSED/);
    expect(() => insertDoc(db, { number: 3, reg_date: '2026-03-05' })).toThrow(/REGISTER_CLOSED/);
    // Moving an open entry into the closed period is refused too.
    expect(() => db.prepare('UPDATE documents SET reg_date = ? WHERE id = ?').run('2026-03-02', late)).toThrow(/REGISTER_CLOSED/);
    db.prepare("UPDATE documents SET state = 'completed' WHERE id = ?").run(early);
    db.prepare('UPDATE documents SET Subject = ? WHERE id = ?').run('sửa được', late);
    insertDoc(db, { number: 3, reg_date: '2026-03-11' });
    // A closure cannot be lifted.
    expect(() => db.prepare('DELETE FROM closures').run()).toThrow(/REGISTER_CLOSED/);
  });
});
