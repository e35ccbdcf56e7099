import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import inboxCmd from '../../src-main/cli/commands/inbox';
import sendCmd from '../../src-main/cli/commands/send';
import syncCmd from '../../src-main/cli/commands/sync';
import { buildEdxml } from '../../src-main/core/exchange/edxml/index';
import { openRegister } from '../../src-main/core/register/index';
import { repoRoot } from '../helpers/pki';
import { fakePdf, sampleDocument } from './samples';
import { captureIo, tempDir } from './helpers';

let hub: ChildProcess | undefined;
afterAll(() => void hub?.kill('SIGTERM'));

/** `vanthu hub` as its own process; resolves with its printed lines once it is listening. */
function startHubProcess(data: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    hub = spawn(process.execPath, ['src-main/cli/bin.cjs', 'hub', '--data', data], { cwd: repoRoot });
    let out = '';
    hub.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('x-hub-admin')) resolve(out.split('\n'));
    });
    hub.on('exit', (code) => reject(new Error(`hub exited ${code}: ${out}`)));
  });
}

describe('exchange CLI against `vanthu hub`', () => {
  it('send, sync once, sync status, inbox import (twice) on the demo province', async () => {
    const lines = await startHubProcess(tempDir('vanthu-hubcli-'));
    expect(lines[0]).toMatch(/^Trục liên thông tham chiếu: https:\/\/127\.0\.0\.1:\d+/);
    const dirs = lines.filter((l) => l.includes('VANTHU_DATA_DIR=')).map((l) => l.split('VANTHU_DATA_DIR=')[1]!.trim());
    expect(dirs).toHaveLength(3);
    const [dirA, dirB] = [dirs[1]!, dirs[2]!];
    const dbA = join(dirA, 'register.db');
    const dbB = join(dirB, 'register.db');

    const reg = openRegister(dbA, { agency: { name: 'Sở Nội vụ', code: '000.00.01.H99', abbr: 'SNV' } });
    const doc = reg.registration.register({ book: 'di', TypeName: 'Công văn', CodeNotation: 'SNV-VP', Subject: 'Gửi qua dòng lệnh', SignerInfo: { FullName: 'Nguyễn Văn A' }, To: [{ OrganId: '000.00.02.H99', OrganName: 'Sở Tài chính' }] }).document.id;
    reg.handling.transition(doc, 'issue');
    await reg.attachments.attach(doc, { name: 'cv.pdf', base64: fakePdf('cli send').toString('base64'), mime: 'application/pdf' });
    reg.dispose();

    const s = captureIo();
    expect(await sendCmd([String(doc), '--to', '000.00.02.H99', '--db', dbA], s)).toBe(0);
    expect(s.lines[0]).toMatch(/^Đã gửi: trục liên thông xác nhận lúc \d{4}-\d\d-\d\dT.*\+07:00 \(mã [0-9a-f]{24}\)\.$/);

    const y = captureIo();
    expect(await syncCmd(['once', '--db', dbB], y)).toBe(0);
    expect(y.lines[0]).toMatch(/nhận 1 văn bản, 0 trùng, 0 bị từ chối/);
    const st = captureIo();
    expect(await syncCmd(['status', '--json', '--db', dbB], st)).toBe(0);
    expect(JSON.parse(st.lines.join('\n'))).toMatchObject({ inbox: { RECEIVED: 1 }, outbox: { SENT: 1 }, evidence: { ok: true }, lastFailureVi: null });
    // --config names the exchange configuration the backend opens, instead of the exchange.json beside --db.
    const elsewhere = join(tempDir('vanthu-hubcli-config-'), 'lien-thong.json');
    copyFileSync(join(dirB, 'exchange.json'), elsewhere);
    const named = captureIo();
    expect(await syncCmd(['status', '--json', '--db', dbB, '--config', elsewhere], named)).toBe(0);
    expect(JSON.parse(named.lines.join('\n'))).toMatchObject({ inbox: { RECEIVED: 1 } });
    await expect(syncCmd(['status', '--db', dbB, '--config', join(dirB, 'khong-co.json')], captureIo())).rejects.toThrow(/khong-co\.json: ENOENT/);

    const pkg = join(dirB, 'usb.edxml');
    writeFileSync(pkg, buildEdxml(sampleDocument({ number: '77' })));
    const i1 = captureIo();
    expect(await inboxCmd(['import', pkg, '--db', dbB], i1)).toBe(0);
    expect(i1.lines[0]).toMatch(/^Đã tiếp nhận văn bản 000\.00\.01\.H99,2026\/03\/10,77\/SNV-VP .* vào sổ đến/);
    const i2 = captureIo();
    expect(await inboxCmd(['import', pkg, '--db', dbB], i2)).toBe(0);
    expect(i2.lines[0]).toMatch(/^Gói tin này đã được nhập trước đây .*; không đăng ký thêm\.$/);
    writeFileSync(pkg, '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><edXML/>');
    const i3 = captureIo();
    expect(await inboxCmd(['import', pkg, '--db', dbB], i3)).toBe(1);
    expect(i3.errors[0]).toMatch(/^Từ chối gói tin: Gói tin chứa khai báo DTD/);
  }, 60_000);
});
