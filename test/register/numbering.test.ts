import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../src-main/contract/errors';
import { openDatabase } from '../../src-main/core/db/connection';
import { repoRoot } from '../helpers/pki';
import { expectAppError, incoming, outgoing, tempDir, tempRegister } from './helpers';

export function runHammer(dbPath: string, count: number, tag: string): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'test/register/fixtures/hammer.ts'), dbPath, String(count), tag], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => (code === 0 ? resolve(out.trim().split('\n').map(Number)) : reject(new Error(`hammer ${tag} exited ${code}: ${err}`))));
  });
}

describe('numbering', () => {
  it('Đ10.1 gives số đến from 01 in order and restarts at 01 on 1 January', () => {
    const { reg, clock } = tempRegister('2026-12-31T16:00:00+07:00');
    expect(reg.registration.register(incoming()).document.number).toBe(1);
    expect(reg.registration.register(incoming()).document.number).toBe(2);
    clock.set('2026-12-31T23:59:59+07:00');
    const last = reg.registration.register(incoming()).document;
    expect([last.number, last.year, last.ArrivalDate]).toEqual([3, 2026, '2026-12-31']);
    // 00:00:01 in Hà Nội is still 31 December in UTC: the year must follow Vietnam time.
    clock.set('2027-01-01T00:00:01+07:00');
    const first = reg.registration.register(incoming()).document;
    expect([first.number, first.year, first.ArrivalDate]).toEqual([1, 2027, '2027-01-01']);
    expect(reg.reading.list({ book: 'den', year: 2026 }).items.map((d) => d.number)).toEqual([1, 2, 3]);
  });

  it('keeps separate series per sổ; SY, SL and TrS share one; secret documents have their own', () => {
    const { reg } = tempRegister();
    expect(reg.registration.register(outgoing()).document.code).toBe('01/UBND-VP');
    expect(reg.registration.register(outgoing({ book: 'di-qd', TypeName: 'Quyết định', CodeNotation: undefined })).document.code).toBe('01/QĐ-UBND');
    expect(reg.registration.register(outgoing({ book: 'sao', TypeName: 'Bản sao y', CodeNotation: 'SY-UBND' })).document.code).toBe('01/SY-UBND');
    expect(reg.registration.register(outgoing({ book: 'sao', TypeName: 'Bản sao lục', CodeNotation: 'SL-UBND' })).document.code).toBe('02/SL-UBND');
    expect(reg.registration.register(outgoing({ book: 'sao', TypeName: 'Bản trích sao', CodeNotation: 'TrS-UBND' })).document.code).toBe('03/TrS-UBND');
    expectAppError(() => reg.registration.register(outgoing({ book: 'sao', CodeNotation: 'UBND-VP' })), 'INPUT_INVALID', /SY-, SL- hoặc TrS-/);
    expectAppError(() => reg.registration.register(outgoing({ Secrecy: 1 })), 'INPUT_INVALID', /sổ văn bản mật/);
    // Số + ký hiệu stays unique across series, so the secret series carries its own ký hiệu.
    expect(reg.registration.register(outgoing({ book: 'mat-di', Secrecy: 1, CodeNotation: 'UBND-M' })).document.code).toBe('01/UBND-M');
    expect(reg.registration.register(incoming({ book: 'mat-den', Secrecy: 2 })).document.number).toBe(1);
    expect(reg.registration.register(incoming()).document.number).toBe(1);
  });

  it('Đ13.2 keeps số + ký hiệu unique within the year', () => {
    const { reg } = tempRegister();
    reg.registration.register(outgoing({ CodeNumber: '07' }));
    try {
      reg.registration.register(outgoing({ CodeNumber: '07' }));
      expect.unreachable();
    } catch (e) {
      expect(isAppError(e) && e.code).toBe('CONFLICT');
      expect(isAppError(e) && e.vi).toMatch(/Số và ký hiệu/);
    }
    // The failed registration did not consume a number.
    expect(reg.registration.register(outgoing()).document.number).toBe(8);
  });

  it('a batch import with one bad record imports the others, gap-free, and names the line', () => {
    const { reg } = tempRegister();
    const r = reg.registration.importRecords([outgoing({ CodeNumber: '05' }), outgoing(), outgoing({ CodeNumber: '05' }), outgoing(), { book: 'di' }], { firstLine: 10 });
    expect(r.imported).toBe(3);
    expect(r.failed.map((f) => [f.line, f.code])).toEqual([[12, 'CONFLICT'], [14, 'INPUT_INVALID']]);
    expect(reg.reading.list({ book: 'di', year: 2026 }).items.map((d) => d.code)).toEqual(['05/UBND-VP', '06/UBND-VP', '07/UBND-VP']);
  });

  it('a failed registration leaves no gap', () => {
    const { reg } = tempRegister();
    reg.registration.register(incoming());
    expectAppError(() => reg.registration.register(incoming({ FileCode: { OrganId: '000.00.12.H40', FileCatalog: 2026, FileNotation: '99.KHONG' } })), 'NOT_FOUND', /hồ sơ/);
    expect(reg.registration.register(incoming()).document.number).toBe(2);
  });

  it('Đ13.2 two processes registering at once never get the same number and leave no gap', async () => {
    const dir = tempDir();
    const dbPath = join(dir, 'race.db');
    // Create the schema first so both children race on registration, not on migration.
    const { reg } = tempRegister();
    reg.dispose();
    const seed = openDatabase(dbPath);
    seed.close();
    const first = await runHammer(dbPath, 1, 'SEED');
    const [a, b] = await Promise.all([runHammer(dbPath, 150, 'A'), runHammer(dbPath, 150, 'B')]);
    const all = [...first, ...a, ...b].sort((x, y) => x - y);
    expect(all).toEqual(Array.from({ length: 301 }, (_, i) => i + 1));
    // Each process saw its own numbers increase.
    expect(a).toEqual([...a].sort((x, y) => x - y));
    const db = openDatabase(dbPath, { readonly: true });
    expect((db.prepare('SELECT count(DISTINCT number) AS n FROM documents').get() as { n: number }).n).toBe(301);
    db.close();
  });

  it('warns on duplicate incoming: same mã định danh, or same số + ký hiệu + cơ quan ban hành (accent-blind)', () => {
    const { reg } = tempRegister();
    const a = reg.registration.register(incoming({ CodeNumber: '15', CodeNotation: 'QĐ-UBND', OrganName: 'UBND tỉnh Ninh Bình', DocumentId: '000.00.00.H40.2026.000015' })).document;
    const byCode = reg.registration.register(incoming({ CodeNumber: '15', CodeNotation: 'QĐ-UBND', OrganName: 'ubnd tinh ninh binh' }));
    expect(byCode.duplicates).toEqual([expect.objectContaining({ id: a.id, reason: 'CodeAndOrgan' })]);
    expect(reg.registration.duplicatesOf(incoming({ DocumentId: '000.00.00.H40.2026.000015' }))).toEqual([expect.objectContaining({ id: a.id, reason: 'DocumentId' })]);
    expect(reg.registration.duplicatesOf(incoming({ CodeNumber: '15', CodeNotation: 'QĐ-UBND', OrganName: 'Sở Tài chính' }))).toEqual([]);
  });

  it('Đ5.5, Đ13.1 rejects over-long fields and unknown keys instead of truncating', () => {
    const { reg } = tempRegister();
    expectAppError(() => reg.registration.register(incoming({ Subject: 'á'.repeat(501) })), 'INPUT_INVALID', /quá độ dài/);
    expect(() => reg.registration.register(incoming({ CodeNotation: 'x'.repeat(31) }))).toThrow();
    expect(() => reg.registration.register(incoming({ Subjekt: 'typo' }))).toThrow();
    expect(() => reg.registration.register(incoming({ IssuedDate: '2026-02-30' }))).toThrow();
    expectAppError(() => reg.registration.register({ ...incoming(), book: 'khong-co' }), 'NOT_FOUND', /Không có sổ/);
    // NFD input is stored NFC.
    const d = reg.registration.register(incoming({ Subject: 'Quyết định'.normalize('NFD') })).document;
    expect(d.Subject).toBe('Quyết định'.normalize('NFC'));
  });
});
