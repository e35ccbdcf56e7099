import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../src-main/core/db/connection';
import { migrate } from '../../src-main/core/db/migrate';

/** A fresh database file migrated to `version` (the "N−1" state of a migration test). */
export function dbAt(version: number): { db: Db; path: string } {
  const path = join(mkdtempSync(join(tmpdir(), 'vanthu-mig-')), 'db.sqlite');
  const db = openDatabase(path);
  migrate(db, path, { target: version });
  return { db, path };
}

export function tables(db: Db): string[] {
  return (db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') ORDER BY name").all() as Array<{ name: string }>).map((r) => r.name);
}

export const NOW = '2026-03-10T09:00:00+07:00';

export function insertBook(db: Db, id = 'den', direction = 'den'): void {
  db.prepare("INSERT INTO books (id, direction, kind, name, created_at) VALUES (?, ?, 'normal', 'Sổ', ?)").run(id, direction, NOW);
}

export function insertDoc(db: Db, over: Record<string, unknown> = {}): number {
  const row = { book_id: 'den', direction: 'den', state: 'registered', year: 2026, number: 1, reg_date: '2026-03-10', TypeName: 'Quyết định', Subject: 'Về việc khen thưởng Đặng Thị Hằng', OrganName: 'Sở Nội vụ', created_at: NOW, ...over };
  const cols = Object.keys(row);
  return Number(db.prepare(`INSERT INTO documents (${cols.join(', ')}) VALUES (${cols.map((c) => `@${c}`).join(', ')})`).run(row).lastInsertRowid);
}
