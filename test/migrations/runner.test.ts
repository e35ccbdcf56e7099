import { existsSync, readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../src-main/contract/errors';
import { openDatabase } from '../../src-main/core/db/connection';
import { checkMigrationOrder, latestVersion, migrate, schemaVersion } from '../../src-main/core/db/migrate';
import { MIGRATIONS } from '../../src-main/core/db/migrations/index';
import { dbAt, insertBook, insertDoc } from './helpers';

describe('migration runner', () => {
  it('the shipped list is strictly increasing and each file is named after its version', () => {
    expect(() => checkMigrationOrder(MIGRATIONS)).not.toThrow();
    for (const m of MIGRATIONS) expect(m.name.startsWith(String(m.version).padStart(4, '0'))).toBe(true);
  });

  it('refuses a list that is not strictly increasing', () => {
    const up = () => {};
    expect(() => checkMigrationOrder([{ version: 10, name: 'a', up }, { version: 10, name: 'b', up }])).toThrow();
    expect(() => checkMigrationOrder([{ version: 20, name: 'a', up }, { version: 10, name: 'b', up }])).toThrow();
  });

  it('sets user_version and settings pragmas on a fresh database', () => {
    const { db } = dbAt(latestVersion());
    expect(schemaVersion(db)).toBe(latestVersion());
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBeGreaterThan(0);
  });

  it('refuses a database newer than the code with DB_TOO_NEW and a Vietnamese message, leaving it untouched', () => {
    const { db, path } = dbAt(latestVersion());
    db.pragma(`user_version = ${latestVersion() + 10}`);
    try {
      migrate(db, path);
      expect.unreachable();
    } catch (e) {
      expect(isAppError(e) && e.code).toBe('DB_TOO_NEW');
      expect(isAppError(e) && e.vi).toMatch(/phiên bản phần mềm mới hơn/);
    }
    expect(schemaVersion(db)).toBe(latestVersion() + 10);
  });

  it('copies the file before upgrading an existing database', () => {
    const { db, path } = dbAt(10);
    insertBook(db);
    insertDoc(db);
    const r = migrate(db, path, { now: () => new Date('2026-03-10T02:00:00Z') });
    expect(r).toMatchObject({ from: 10, to: latestVersion() });
    expect(r.backup && existsSync(r.backup)).toBe(true);
    const copy = openDatabase(r.backup!, { readonly: true });
    expect(schemaVersion(copy)).toBe(10);
    expect((copy.prepare('SELECT count(*) AS n FROM documents').get() as { n: number }).n).toBe(1);
    expect(readdirSync(dirname(path)).filter((f) => f.endsWith('.bak'))).toHaveLength(1);
  });

  it('runs all pending steps in one transaction: a failing step leaves the database at its old version', () => {
    const { db, path } = dbAt(10);
    const list = [...MIGRATIONS.filter((m) => m.version <= 20), { version: 25, name: '0025-broken', up: () => { throw new Error('boom'); } }];
    expect(() => migrate(db, path, { list })).toThrow('boom');
    expect(schemaVersion(db)).toBe(10);
    expect((db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'doc_fts'").get() as { n: number }).n).toBe(0);
  });
});
