import { describe, expect, it } from 'vitest';
import { dbAt, insertBook, insertDoc, NOW, tables } from './helpers';

describe('0010-initial', () => {
  it('creates the register tables with Phụ lục VI columns', () => {
    const { db } = dbAt(10);
    expect(tables(db)).toEqual(expect.arrayContaining(['books', 'book_counters', 'documents', 'recipients', 'assignments', 'status_events', 'transitions', 'dossiers', 'dossier_documents', 'blobs', 'attachments', 'audit']));
    const cols = (db.prepare('PRAGMA table_info(documents)').all() as Array<{ name: string }>).map((c) => c.name);
    for (const tag of ['TypeName', 'CodeNumber', 'CodeNotation', 'IssuedDate', 'OrganName', 'Subject', 'Language', 'PageAmount', 'Description', 'Priority', 'IssuedAmount', 'DueDate', 'ArrivalDate', 'ToPlaces', 'TraceHeaderList']) {
      expect(cols).toContain(tag);
    }
  });

  it('enforces lengths, number uniqueness per (sổ, year) and số + ký hiệu per year', () => {
    const { db } = dbAt(10);
    insertBook(db);
    insertBook(db, 'di', 'di');
    insertDoc(db);
    expect(() => insertDoc(db, { Subject: 'x'.repeat(501), number: 2 })).toThrow(/CHECK/);
    expect(() => insertDoc(db, { number: 1 })).toThrow(/UNIQUE/);
    insertDoc(db, { number: 1, year: 2027, reg_date: '2027-01-01' });
    insertDoc(db, { book_id: 'di', direction: 'di', state: 'numbered', number: 1, CodeNumber: '01', CodeNotation: 'UBND-VP' });
    expect(() => insertDoc(db, { book_id: 'di', direction: 'di', state: 'numbered', number: 2, CodeNumber: '01', CodeNotation: 'UBND-VP' })).toThrow(/UNIQUE/);
  });

  it('audit rows can be neither updated nor deleted', () => {
    const { db } = dbAt(10);
    db.prepare("INSERT INTO audit (at, actor, action, entity, prev_hash, hash) VALUES (?, 'a', 'x', 'y', '0', '1')").run(NOW);
    expect(() => db.prepare("UPDATE audit SET actor = 'b'").run()).toThrow(/AUDIT_APPEND_ONLY/);
    expect(() => db.prepare('DELETE FROM audit').run()).toThrow(/AUDIT_APPEND_ONLY/);
  });
});
