/**
 * `vanthu sign` and the token: which certificate it picks, what it says about the PIN counter before
 * asking, --digitized stated on stderr and in the JSON.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloneTokens, loadPki, repoRoot, type TestPki } from '../helpers/pki';
import { openTokenService } from '../../src-main/core/token/index';
import { chooseKey } from '../../src-main/core/token/index';
import { warnPinCounter } from '../../src-main/cli/sign/session';
import type { CliIo } from '../../src-main/cli/io';
import { extractSignatures, pdfsig } from './helpers/oracles';
import { runCli, spawnCli } from './helpers/cli';
import { tempDir, writeSample } from './helpers/fixtures';
import { scanOf } from '../scan/ocr-corpus';
import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { yearInVietnam } from '../../src-main/contract/time';
import Database from 'better-sqlite3';

let pki: TestPki;
let dir: string;

beforeAll(() => {
  pki = loadPki();
  dir = tempDir('cli-token');
});
afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

const env = (pin: string, conf = pki.softhsm2Conf) => ({ VANTHU_PIN: pin, SOFTHSM2_CONF: conf, VANTHU_DATA_DIR: join(dir, 'data'), VANTHU_CONFIG: '' });
// In-process; a cloned token store needs its own process (SoftHSM reads its configuration once).
const cli = (args: string[], pin: string) => runCli(['sign', ...args], env(pin));
const cliProcess = (args: string[], pin: string, conf: string) => spawnCli(['sign', ...args], env(pin, conf));
const agencyToken = () => ['--module', pki.module, '--token', pki.tokens.agency];

describe('certificate choice', () => {
  it('without --key-id, signs with the one certificate valid today among the three on the agency token', async () => {
    const input = await writeSample(dir, 'choose.pdf');
    const out = join(dir, 'choose.signed.pdf');
    const r = await cli(['appendix', input, '-o', out, '--ref', '05/QĐ-UBND', ...agencyToken()], pki.userPin);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const [sig] = extractSignatures(readFileSync(out));
    const agencySerial = new X509Certificate(readFileSync(join(pki.certs, 'agency.crt'))).serialNumber;
    const printed = spawnSync('openssl', ['cms', '-cmsout', '-print', '-inform', 'DER'], { input: sig!.cms, encoding: 'utf8' }).stdout;
    expect(printed.replace(/[\s:]/g, '').toUpperCase()).toContain(BigInt(`0x${agencySerial}`).toString(16).toUpperCase());
    expect(pdfsig(pki, out)[0]!.signature).toBe('Signature is Valid.');
  });

  it('an expired certificate named by --key-id is refused before the PIN is asked', async () => {
    const input = await writeSample(dir, 'expired.pdf');
    const out = join(dir, 'expired.signed.pdf');
    // A wrong PIN on purpose: it must never be tried.
    const r = await cli(['appendix', input, '-o', out, '--ref', '05/QĐ-UBND', ...agencyToken(), '--key-id', pki.keyIds.agencyExpired], '000000');
    expect(r.status).toBe(70);
    expect(r.stderr).toMatch(/^Lỗi: Chứng thư số đã hết hạn/m);
    expect(r.stderr).toMatch(/TOKEN_CERT_EXPIRED/);
    expect(r.stderr).not.toMatch(/PIN/);
    expect(existsSync(out)).toBe(false);
  });

  it('lists the candidates when several are valid, and names the count when none is', () => {
    const service = openTokenService({ modules: [pki.module], pollIntervalMs: 60_000 });
    try {
      const certs = service.listCertificates(service.findToken(pki.tokens.agency).ref);
      expect(certs).toHaveLength(3);
      expect(chooseKey(certs, undefined).keyId).toBe(pki.keyIds.agency);
      const valid = certs.find((c) => c.keyId === pki.keyIds.agency)!;
      const vi = (f: () => unknown) => { try { f(); } catch (e) { return (e as { vi?: string }).vi; } return null; };
      expect(vi(() => chooseKey([valid, { ...valid, keyId: '09' }], undefined))).toMatch(/^Token có 2 chứng thư số còn hiệu lực; hãy chọn một \(mã khóa\): 01 \(UBND tỉnh Thử Nghiệm, hết hạn \d{4}-\d\d-\d\d\); 09 \(/);
      expect(vi(() => chooseKey(certs.filter((c) => c.outOfValidity), undefined))).toBe('Token không có chứng thư số nào còn hiệu lực kèm khóa bí mật (có 2 chứng thư số).');
      expect(vi(() => chooseKey(certs, '7f'))).toBe('Token không có chứng thư số với mã khóa 7f.');
    } finally {
      service.close();
    }
  });
});

describe('PIN counter', () => {
  it('warns before the prompt after a wrong PIN (SoftHSM reports count-low), then signs', async () => {
    const conf = cloneTokens(pki);
    const input = await writeSample(dir, 'pin.pdf');
    const out = join(dir, 'pin.signed.pdf');
    const wrong = cliProcess(['appendix', input, '-o', out, '--ref', '05/QĐ-UBND', ...agencyToken()], '000000', conf);
    expect(wrong.stderr).toMatch(/TOKEN_PIN_INCORRECT/);
    expect(wrong.stderr).not.toMatch(/Cảnh báo/);
    const r = cliProcess(['appendix', input, '-o', out, '--ref', '05/QĐ-UBND', ...agencyToken()], pki.userPin, conf);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(`Cảnh báo: token "${pki.tokens.agency}" báo đã có lần nhập sai mã PIN; số lần thử còn lại ít.\n`);
    rmSync(join(conf, '..'), { recursive: true, force: true });
  });

  it('final try warns; a locked token is refused without asking (tokens SoftHSM cannot put in those states)', () => {
    const lines: string[] = [];
    const io = { err: (l: string) => lines.push(l) } as unknown as CliIo;
    warnPinCounter(io, 'T', { pinCountLow: true, pinFinalTry: true, pinLocked: false });
    expect(lines).toEqual(['Cảnh báo: token "T" chỉ còn MỘT lần nhập mã PIN; nhập sai lần này token sẽ bị khóa.']);
    expect(() => warnPinCounter(io, 'T', { pinCountLow: true, pinFinalTry: false, pinLocked: true }))
      .toThrow(expect.objectContaining({ code: 'TOKEN_LOCKED', vi: expect.stringContaining('đã bị khóa mã PIN') }));
  });
});

describe('--digitized', () => {
  it('Đ17.4.c refuses the exception for a file this workstation did not digitise, and writes nothing', async () => {
    const input = await writeSample(dir, 'not-scanned-here.pdf');
    const out = join(dir, 'not-scanned-here.issued.pdf');
    const r = await cli(['issue', input, '-o', out, '--book', 'di-qd', '--number', '4', '--digitized', '--signer-name', 'Nguyễn Văn An', ...agencyToken()], pki.userPin);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('SIGN_REFUSED');
    expect(existsSync(out)).toBe(false);
  });

  it('Đ14.4 issues a paper document digitised here: warns on stderr naming the file and states it in the JSON result', async () => {
    const paper = await writeSample(dir, 'paper.pdf');
    const png = scanOf(paper, 300, join(dir, 'scan.png'), { noise: false });
    const input = join(dir, 'scan.pdf');
    const made = await runCli(['digitize', png, '-o', input, '--ocr'], env(pki.userPin)); // the text layer is where the signer finds the blanks
    expect(made.status, made.stderr).toBe(0);
    const out = join(dir, 'scan.issued.pdf');
    const year = yearInVietnam();
    const r = await cli(['issue', input, '-o', out, '--book', 'di-qd', '--number', '3', '--type', 'Quyết định', '--subject', 'Về việc ban hành Quy chế công tác văn thư điện tử', '--date', `${year}-04-02`, '--digitized', '--signer-name', 'Nguyễn Văn An', '--json', ...agencyToken()], pki.userPin);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe(`Cảnh báo: ${input}: ký phát hành văn bản do cơ quan tự số hóa, KHÔNG kiểm tra chữ ký của người có thẩm quyền (Điều 17.4.c).\n`);
    const res = JSON.parse(r.stdout) as { issued: { digitized: boolean; leaderSigner: unknown; number: string } };
    expect(res.issued).toMatchObject({ digitized: true, leaderSigner: null, number: '03' });
    expect(pdfsig(pki, out)).toHaveLength(4);
    // The register keeps the provenance with the issued entry: its issuing step says it was digitised here.
    const db = new Database(join(dir, 'data', 'register.db'), { readonly: true });
    try {
      const steps = db.prepare("SELECT note FROM transitions WHERE to_state = 'issued' ORDER BY id").all() as Array<{ note: string }>;
      expect(steps.at(-1)?.note).toContain('do văn thư số hóa tại máy này (Điều 17.4.c)');
    } finally {
      db.close();
    }
  }, 120_000);
});
