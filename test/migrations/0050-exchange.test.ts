import { describe, expect, it } from 'vitest';
import { migrate } from '../../src-main/core/db/migrate';
import { dbAt, tables } from './helpers';

describe('0050-exchange', () => {
  it('adds the outbox, inbox, state and evidence tables; inbox ids and content keys are unique', () => {
    const { db, path } = dbAt(40);
    migrate(db, path, { target: 50 });
    expect(tables(db)).toEqual(expect.arrayContaining(['exchange_outbox', 'exchange_inbox', 'exchange_state', 'exchange_evidence']));
    const add = db.prepare("INSERT INTO exchange_inbox (hub_doc_id, messagetype, dedupe_key, state, raw, raw_sha256, received_at) VALUES (?, 'edoc', ?, ?, x'00', 'h', 'now')");
    add.run('a', 'k1', 'RECEIVED');
    expect(() => add.run('a', 'k2', 'RECEIVED')).toThrow(/UNIQUE/);
    expect(() => add.run('b', 'k1', 'RECEIVED')).toThrow(/UNIQUE/);
    add.run('c', 'k1', 'DUPLICATE');
    expect(() => add.run('d', null, 'BOGUS')).toThrow(/CHECK/);
  });
});
