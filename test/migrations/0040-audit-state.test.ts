import { describe, expect, it } from 'vitest';
import { migrate } from '../../src-main/core/db/migrate';
import { dbAt, NOW } from './helpers';

describe('0040-audit-state', () => {
  it('adds a state column to the audit chain and keeps earlier entries as they were', () => {
    const { db, path } = dbAt(30);
    db.prepare("INSERT INTO audit (at, actor, action, entity, prev_hash, hash) VALUES (?, 'vt', 'book.configure', 'book', ?, ?)").run(NOW, '0'.repeat(64), 'a'.repeat(64));
    migrate(db, path, { target: 40 });
    expect(db.prepare('SELECT id, hash, state FROM audit').all()).toEqual([{ id: 1, hash: 'a'.repeat(64), state: null }]);
    // Still append-only after the column is added.
    expect(() => db.prepare("UPDATE audit SET state = '[]'").run()).toThrow(/AUDIT_APPEND_ONLY/);
  });
});
