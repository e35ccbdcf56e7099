import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRegisterWorker } from '../../src-main/core/register/index';
import { AGENCY, incoming, tempDir } from './helpers';

describe('register worker', () => {
  it('serves exactly the contract\'s register methods from a worker thread, async, with AppErrors intact', async () => {
    const dir = tempDir();
    const w = await openRegisterWorker(join(dir, 'w.db'), { agency: AGENCY, fixedNow: '2026-03-10T09:00:00+07:00' });
    try {
      const r = await w['register.add']({ record: incoming({ Subject: 'Quyết định về Đặng Thị Hà' }) as never });
      expect(r.document).toMatchObject({ number: 1, ArrivalDate: '2026-03-10' });
      // The event loop stays free while the worker works: a timer fires between calls.
      let ticks = 0;
      const t = setInterval(() => ticks++, 1);
      await w['register.import']({ records: Array.from({ length: 1000 }, () => incoming()) as never });
      clearInterval(t);
      expect(ticks).toBeGreaterThan(0);
      expect((await w['register.search']({ text: 'dang thi ha', page: 1, pageSize: 20 })).items.map((d) => d.number)).toEqual([1]);
      await expect(w['register.transition']({ id: 1, action: 'complete' })).rejects.toMatchObject({ code: 'CONFLICT', vi: expect.stringContaining('Đã vào sổ') });
      // Only the contract's register methods are served: the modules behind them are not reachable.
      for (const m of ['register', 'write', 'importRecords']) {
        await expect((w as unknown as Record<string, () => Promise<unknown>>)[m]!()).rejects.toMatchObject({ code: 'UNKNOWN_METHOD' });
      }
      expect((await w['register.auditVerify']({})).ok).toBe(true);
      // The workstation's register writes the day's checkpoint when it starts.
      expect(readdirSync(join(dir, 'w.db.checkpoints'))).toEqual([expect.stringMatching(/-daily-\d+\.json$/)]);
    } finally {
      await w.terminate();
    }
  });

  it('reports an open failure (database too new) to the caller', async () => {
    const dir = tempDir();
    const path = join(dir, 'new.db');
    const { openDatabase } = await import('../../src-main/core/db/connection');
    const db = openDatabase(path);
    db.pragma('user_version = 999999');
    db.close();
    await expect(openRegisterWorker(path, { agency: AGENCY })).rejects.toMatchObject({ code: 'DB_TOO_NEW' });
  });
});
