import type { Db } from '../connection';

/**
 * Entity states in the audit chain: each entry records the full row of every registered entity the
 * entry's transaction wrote (or that it deleted), so `audit verify` can compare each table row with
 * the last state the chain holds for it (docs/register.md, "Audit chain"). Entries written before this
 * version keep state NULL and their original hashes.
 */
export const m0040AuditState = {
  version: 40,
  name: '0040-audit-state',
  up(db: Db) {
    db.exec(`
      ALTER TABLE audit ADD COLUMN state TEXT;
      -- Found at every open: the last baseline says which schema version the chain's states describe.
      CREATE INDEX audit_baseline ON audit (id) WHERE action = 'audit.baseline';
    `);
  },
};
