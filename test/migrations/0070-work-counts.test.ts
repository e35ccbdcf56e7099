import { describe, expect, it } from 'vitest';
import { migrate } from '../../src-main/core/db/migrate';
import { dbAt, insertBook, insertDoc } from './helpers';

const counts = (db: ReturnType<typeof dbAt>['db']) =>
  db.prepare('SELECT direction, state, urgent, signed, due_date, due_time, n FROM work_counts WHERE n > 0 ORDER BY 1, 2, 3, 4, 5, 6').all();

describe('0070-work-counts', () => {
  it('counts the documents already in the register, then keeps the count on insert, update and delete', () => {
    const { db, path } = dbAt(60);
    insertBook(db);
    insertDoc(db, { number: 1 });
    insertDoc(db, { number: 2, Priority: 2, DueDate: '2026-03-12' });
    insertDoc(db, { number: 3, Priority: 2, DueDate: '2026-03-12' });
    migrate(db, path, { target: 70 });
    expect(counts(db)).toEqual([
      { direction: 'den', state: 'registered', urgent: 0, signed: 0, due_date: '', due_time: '', n: 1 },
      { direction: 'den', state: 'registered', urgent: 1, signed: 0, due_date: '2026-03-12', due_time: '', n: 2 },
    ]);
    const id = insertDoc(db, { number: 4, state: 'received' });
    db.prepare("UPDATE documents SET state = 'completed' WHERE number = 2").run();
    db.prepare('DELETE FROM documents WHERE number = 1').run();
    expect(counts(db)).toEqual([
      { direction: 'den', state: 'completed', urgent: 1, signed: 0, due_date: '2026-03-12', due_time: '', n: 1 },
      { direction: 'den', state: 'received', urgent: 0, signed: 0, due_date: '', due_time: '', n: 1 },
      { direction: 'den', state: 'registered', urgent: 1, signed: 0, due_date: '2026-03-12', due_time: '', n: 1 },
    ]);
    expect(id).toBeGreaterThan(0);
  });
});
