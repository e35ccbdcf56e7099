import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRegisterWorker } from '../../src-main/core/register/index';
import { AGENCY, incoming, tempDir } from './helpers';

describe('register worker', () => {
  it('serves the register from a worker thread, async, with AppErrors intact', async () => {
    const dir = tempDir();
    const w = await openRegisterWorker(join(dir, 'w.db'), { agency: AGENCY, fixedNow: '2026-03-10T09:00:00+07:00' });
    try {
      const r = await w.register(incoming({ Subject: 'Quyết định về Đặng Thị Hà' }));
      expect(r.document).toMatchObject({ number: 1, ArrivalDate: '2026-03-10' });
      // The event loop stays free while the worker works: a timer fires between calls.
      let ticks = 0;
      const t = setInterval(() => ticks++, 1);
      await w.importRecords(Array.from({ length: 2000 }, () => incoming()));
      clearInterval(t);
      expect(ticks).toBeGreaterThan(0);
      expect((await w.search({ text: 'dang thi ha' })).items.map((d) => d.number)).toEqual([1]);
      await expect(w.transition(1, 'complete')).rejects.toMatchObject({ code: 'CONFLICT', vi: expect.stringContaining('Đã vào sổ') });
      // Private members are not reachable through the proxy.
      await expect((w as unknown as { write: () => Promise<unknown> }).write()).rejects.toMatchObject({ code: 'UNKNOWN_METHOD' });
      expect((await w.auditVerify()).ok).toBe(true);
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
