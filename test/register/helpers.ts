import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openRegister, type Register } from '../../src-main/core/register/index';

export const AGENCY = { name: 'Ủy ban nhân dân xã Yên Khánh', code: '000.00.12.H40', abbr: 'UBND', parentName: 'Ủy ban nhân dân tỉnh Ninh Bình' };

export interface TestClock {
  (): Date;
  set(iso: string): void;
}

export function testClock(iso: string): TestClock {
  let now = new Date(iso);
  const c = (() => new Date(now)) as TestClock;
  c.set = (s: string) => { now = new Date(s); };
  return c;
}

export function tempDir(prefix = 'vanthu-reg-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function tempRegister(iso = '2026-03-10T09:00:00+07:00'): { reg: Register; clock: TestClock; dir: string; dbPath: string } {
  const dir = tempDir();
  const clock = testClock(iso);
  const dbPath = join(dir, 'register.db');
  const reg = openRegister(dbPath, { agency: AGENCY, clock, calendar: { holidays: ['2026-04-30', '2026-05-01'] } });
  return { reg, clock, dir, dbPath };
}

let seq = 0;
/** A valid incoming record; override any field. */
export function incoming(over: Record<string, unknown> = {}): Record<string, unknown> {
  seq++;
  return {
    book: 'den', TypeName: 'Công văn', CodeNumber: String(100 + seq), CodeNotation: 'UBND-VP', IssuedDate: '2026-03-01',
    OrganName: 'Ủy ban nhân dân tỉnh Ninh Bình', Subject: `Về việc triển khai nhiệm vụ số ${seq}`, ...over,
  };
}

export function outgoing(over: Record<string, unknown> = {}): Record<string, unknown> {
  return { book: 'di', TypeName: 'Công văn', CodeNotation: 'UBND-VP', Subject: 'Về việc báo cáo kết quả', To: [{ OrganName: 'Sở Nội vụ' }], ...over };
}

/** Asserts an AppError with the given code whose Vietnamese sentence matches. */
export function expectAppError(fn: () => unknown, code: string, vi?: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  const e = caught as { code?: string; vi?: string } | undefined;
  if (!e || e.code !== code || (vi && !vi.test(e.vi ?? ''))) {
    throw new Error(`expected AppError ${code} ${vi ?? ''}, got ${caught === undefined ? 'no error' : `${e?.code}: ${e?.vi ?? String(caught)}`}`);
  }
}
