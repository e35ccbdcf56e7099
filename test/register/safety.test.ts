import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, integrityProblems } from '../../src-main/core/db/connection';
import { latestVersion } from '../../src-main/core/db/migrate';
import { checkRegister } from '../../src-main/core/register/audit-check';
import { openRegister, restoreDatabase, verifyDatabaseFile } from '../../src-main/core/register/index';
import { repoRoot } from '../helpers/pki';
import { AGENCY, expectAppError, incoming, tempDir, tempRegister, testClock } from './helpers';

describe('backup and restore', () => {
  it('Đ15.1 backs up online and restores a verified copy', async () => {
    const { reg, dir, dbPath, clock } = tempRegister();
    for (let i = 0; i < 20; i++) reg.registration.register(incoming());
    const backup = join(dir, 'sao lưu', 'backup 2026-03-10.db');
    const r = await reg.backups.create(backup);
    expect(r.bytes).toBeGreaterThan(0);
    for (let i = 0; i < 5; i++) reg.registration.register(incoming());
    reg.dispose();
    expect(verifyDatabaseFile(backup)).toMatchObject({ ok: true, version: latestVersion(), integrity: [] });
    restoreDatabase(backup, dbPath);
    const again = openRegister(dbPath, { agency: AGENCY, clock });
    expect(again.reading.list({ book: 'den', year: 2026 }).total).toBe(20);
    expect(again.audit.verify().ok).toBe(true);
    expect(again.registration.register(incoming()).document.number).toBe(21);
    again.dispose();
  });

  it('refuses a backup whose audit chain was tampered with, or which comes from a newer version', async () => {
    const { reg, dir, dbPath } = tempRegister();
    reg.registration.register(incoming());
    const bad = join(dir, 'bad.db');
    await reg.backups.create(bad);
    const newer = join(dir, 'newer.db');
    await reg.backups.create(newer);
    reg.dispose();
    const t = openDatabase(bad);
    t.exec("DROP TRIGGER audit_no_update; UPDATE audit SET actor = 'x' WHERE id = 1;");
    t.close();
    expectAppError(() => restoreDatabase(bad, dbPath), 'DB_ERROR', /không toàn vẹn/);
    const n = openDatabase(newer);
    n.pragma(`user_version = ${latestVersion() + 10}`);
    n.close();
    expectAppError(() => restoreDatabase(newer, dbPath), 'DB_TOO_NEW');
    expectAppError(() => openRegister(newer, { agency: AGENCY }), 'DB_TOO_NEW', /phiên bản phần mềm mới hơn/);
  });
});

describe('crash safety', () => {
  it('SIGKILL in the middle of a batch loses no committed registration and leaves the numbers gap-free', async () => {
    const dbPath = join(tempDir(), 'crash.db');
    openRegister(dbPath, { agency: AGENCY, clock: testClock('2026-06-01T09:00:00+07:00') }).dispose();
    const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'test/register/fixtures/hammer.ts'), dbPath, '100000', 'K'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    const committed: number[] = [];
    let buf = '';
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (d: Buffer) => {
        buf += d.toString();
        const lines = buf.split('\n');
        buf = lines.pop()!;
        committed.push(...lines.map(Number));
        if (committed.length >= 300 && !child.killed) child.kill('SIGKILL');
      });
      child.on('exit', () => resolve());
    });
    expect(child.signalCode).toBe('SIGKILL');
    const db = openDatabase(dbPath);
    expect(integrityProblems(db)).toEqual([]);
    const numbers = (db.prepare("SELECT number FROM documents WHERE book_id = 'den' ORDER BY number").all() as Array<{ number: number }>).map((r) => r.number);
    // Every number the child reported as committed is there, and nothing is missing below the top.
    expect(numbers.length).toBeGreaterThanOrEqual(committed.length);
    for (const n of committed) expect(numbers[n - 1]).toBe(n);
    expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => i + 1));
    expect((db.prepare("SELECT last_number FROM book_counters WHERE book_id = 'den'").get() as { last_number: number }).last_number).toBe(numbers.length);
    // The chain and every registered row agree: nothing half-written escaped the chain.
    expect(checkRegister(db)).toMatchObject({ problems: [], entities: [] });
    db.close();
  });
});
