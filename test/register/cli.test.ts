import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src-main/cli/main';
import type { CliIo } from '../../src-main/cli/io';
import { openDatabase } from '../../src-main/core/db/connection';
import { repoRoot } from '../helpers/pki';
import { tempDir } from './helpers';

function io(env: NodeJS.ProcessEnv = {}): CliIo & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l), env, readPin: async () => Buffer.alloc(0) };
}

const RECORDS = [
  { book: 'den', TypeName: 'Quyết định', CodeNumber: '12', CodeNotation: 'QĐ-UBND', IssuedDate: '2026-01-15', OrganName: 'UBND tỉnh Ninh Bình', Subject: 'Về việc phê duyệt kế hoạch chuyển đổi số', Priority: 1, ArrivalDate: '2026-01-16', DueDate: '2026-01-30', SignerInfo: { Position: 'Chủ tịch', FullName: 'Đặng Văn Hùng' }, ToPlaces: 'Phòng Văn hóa' },
  { book: 'den', TypeName: 'Công văn', CodeNumber: '45', CodeNotation: 'SNV-VP', IssuedDate: '2026-01-20', OrganName: 'Sở Nội vụ', Subject: 'Về việc báo cáo biên chế', ArrivalDate: '2026-01-21' },
  { book: 'di', TypeName: 'Công văn', CodeNotation: 'UBND-VP', IssuedDate: '2026-01-22', Subject: 'Về việc trả lời Sở Nội vụ', To: [{ OrganName: 'Sở Nội vụ' }] },
];

describe('vanthu register CLI', () => {
  it('imports JSONL, searches, prints, closes, verifies, backs up and restores', async () => {
    const dir = tempDir();
    const db = join(dir, 'cli.db');
    const file = join(dir, 'records.jsonl');
    writeFileSync(file, `${RECORDS.map((r) => JSON.stringify(r)).join('\n')}\n\n{not json\n${JSON.stringify({ book: 'den', Subject: 'thiếu loại' })}\n`);
    const a = io();
    expect(await main(['register', 'import', file, '--db', db], a)).toBe(65);
    expect(a.lines[0]).toBe('Đã nhập 3 văn bản; 2 dòng lỗi; 0 văn bản có cảnh báo trùng.');
    expect(a.lines.slice(1)).toEqual(['  Dòng 5: Dòng không phải JSON hợp lệ.', expect.stringMatching(/^ {2}Dòng 6: Thông tin văn bản không hợp lệ/)]);

    const s = io();
    expect(await main(['register', 'search', 'dang van hung', '--db', db, '--json'], s)).toBe(0);
    const found = JSON.parse(s.lines[0]!) as { total: number; items: Array<{ number: number; code: string; ArrivalDate: string }> };
    expect(found.total).toBe(1);
    expect(found.items[0]).toMatchObject({ number: 1, code: '12/QĐ-UBND', ArrivalDate: '2026-01-16' });
    const plain = io();
    await main(['register', 'search', 'bao cao', '--db', db], plain);
    expect(plain.lines[0]).toBe('1 kết quả (trang 1):');

    const pdf = join(dir, 'sổ đến 2026.pdf');
    const p = io();
    expect(await main(['register', 'print', '--book', 'den', '--year', '2026', '-o', pdf, '--db', db], p)).toBe(0);
    expect(p.lines[0]).toMatch(/^Đã in 2 văn bản, 2 trang/);
    expect(execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' })).toContain('UBND tỉnh Ninh Bình');

    const c = io();
    expect(await main(['register', 'close', '--book', 'den', '--until', '2026-01-31', '--db', db], c)).toBe(0);
    expect(c.lines[0]).toBe('Đã đóng sổ "den" đến ngày 2026-01-31 (2 văn bản).');
    const late = io();
    writeFileSync(file, `${JSON.stringify({ ...RECORDS[1], CodeNumber: '46', ArrivalDate: '2026-01-25' })}\n`);
    expect(await main(['register', 'import', file, '--db', db], late)).toBe(65);
    expect(late.lines[1]).toMatch(/Sổ đã được đóng/);

    const v = io();
    expect(await main(['register', 'audit', 'verify', '--db', db], v)).toBe(0);
    expect(v.lines[0]).toMatch(/^Nhật ký hệ thống toàn vẹn \(\d+ mục\)\.$/);

    const backup = join(dir, 'backup.db');
    expect(await main(['register', 'backup', backup, '--db', db], io())).toBe(0);
    writeFileSync(file, `${JSON.stringify({ ...RECORDS[1], CodeNumber: '47', ArrivalDate: '2026-02-02' })}\n`);
    expect(await main(['register', 'import', file, '--db', db], io())).toBe(0);
    const r = io();
    expect(await main(['register', 'restore', backup, '--db', db], r)).toBe(0);
    expect(r.lines[0]).toMatch(/^Đã khôi phục cơ sở dữ liệu/);
    const check = openDatabase(db, { readonly: true });
    expect((check.prepare("SELECT count(*) AS n FROM documents WHERE book_id = 'den'").get() as { n: number }).n).toBe(2);
    check.close();

    // Tampering behind the triggers makes `audit verify` fail with exit 1.
    const t = openDatabase(db);
    t.exec("DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id = 3;");
    t.close();
    const bad = io();
    expect(await main(['register', 'audit', 'verify', '--db', db], bad)).toBe(1);
    expect(bad.lines[0]).toMatch(/KHÔNG toàn vẹn/);
  });

  it('runs through the real vanthu binary and defaults to the user data folder', () => {
    const home = tempDir();
    const r = spawnSync(process.execPath, [join(repoRoot, 'src-main/cli/bin.cjs'), 'register', 'audit', 'verify'], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, XDG_DATA_HOME: home, VANTHU_DATA_DIR: '', VANTHU_CONFIG: '' } });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Nhật ký hệ thống toàn vẹn/);
    const db = openDatabase(join(home, 'vanthu', 'register.db'), { readonly: true });
    db.close();
    const u = spawnSync(process.execPath, [join(repoRoot, 'src-main/cli/bin.cjs'), 'register', 'frobnicate'], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, XDG_DATA_HOME: home } });
    expect(u.status).toBe(64);
    expect(u.stderr).toContain('Lệnh con không hợp lệ');
  });
});
