import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openRegister } from '../../src-main/core/register/index';
import { WAL_BACKSTOP_FRAMES, WRITES_PER_CHECKPOINT } from '../../src-main/core/register/wal';
import { AGENCY, incoming, tempRegister } from './helpers';

const fileHash = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');
const idle = () => new Promise((r) => setImmediate(r));
/** The WAL header's salts (bytes 16-23): new each time the log starts again from its beginning. */
const walSalt = (dbPath: string) => readFileSync(`${dbPath}-wal`).subarray(16, 24).toString('hex');

describe('the WAL is copied into the database between calls, not inside a registration', () => {
  it('Đ10.1 registrations past 1,000 WAL frames leave the database file alone until the thread is idle; then it is checkpointed; every commit stays durable', async () => {
    const { reg, dbPath } = tempRegister();
    expect(reg.db.pragma('wal_autocheckpoint', { simple: true })).toBe(WAL_BACKSTOP_FRAMES);
    expect(reg.db.pragma('synchronous', { simple: true })).toBe(2);
    reg.registration.register(incoming());
    reg.db.pragma('wal_checkpoint(TRUNCATE)');
    const before = fileHash(dbPath);
    // Without a yield to the event loop, as a burst of calls: SQLite's default would have checkpointed
    // inside one of these commits (more than 1,000 frames).
    const n = WRITES_PER_CHECKPOINT + 20;
    for (let i = 0; i < n; i++) reg.registration.register(incoming());
    expect(statSync(`${dbPath}-wal`).size / 4120).toBeGreaterThan(1000);
    expect(fileHash(dbPath)).toBe(before);
    await idle();
    await idle();
    expect(fileHash(dbPath)).not.toBe(before);
    // The log was also started again while idle: the next registration appends to it (same salt in
    // the WAL header) instead of restarting it and fsyncing a new header as well.
    const salt = walSalt(dbPath);
    reg.registration.register(incoming());
    expect(walSalt(dbPath)).toBe(salt);
    expect(reg.audit.verify().ok).toBe(true);
    reg.dispose();
    const again = openRegister(dbPath, { agency: AGENCY });
    expect(again.reading.list({ book: 'den', year: 2026, page: 1, pageSize: 1 }).total).toBe(n + 2);
    again.dispose();
  });
});
