/**
 * `vanthu sign` single-file commands on the SoftHSM tokens: in-process through main(argv, io), except
 * one run as a separate process per command and the file-size limit, which only a process can have.
 */
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { yearInVietnam } from '../../src-main/contract/time';
import { loadPki, repoRoot } from '../helpers/pki';
import { cmsPrint, extractSignatures, pdfsig, qpdfCheck, requireTool } from './helpers/oracles';
import { tempDir, writeSample } from './helpers/fixtures';
import { runCli, spawnCli } from './helpers/cli';

const pki = loadPki();
const dir = tempDir('cli-sign');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('vanthu sign (CLI on the SoftHSM tokens)', () => {
  const env = (pin: string) => ({ VANTHU_PIN: pin, SOFTHSM2_CONF: pki.softhsm2Conf, VANTHU_DATA_DIR: join(dir, 'data'), VANTHU_CONFIG: '' });
  const cli = (args: string[], pin: string) => runCli(['sign', ...args], env(pin));
  const token = (label: string, keyId: string) => ['--module', pki.module, '--token', label, '--key-id', keyId];

  it('approve then appendix, with --json output', async () => {
    const input = await writeSample(dir, 'cli-in.pdf');
    const approved = join(dir, 'cli-approved.pdf');
    const img = join(repoRoot, 'resources/images/sample-signature-blue.png');
    const a = spawnCli(['sign', 'approve', input, '-o', approved, '--image', img, ...token(pki.tokens.leader, pki.keyIds.leader)], env(pki.userPin));
    expect(a.stderr).toBe('');
    expect(a.status).toBe(0);
    expect(a.stdout).toMatch(/^Đã ký: /);
    const out = join(dir, 'cli-copy.pdf');
    const chain = join(pki.certs, 'issuing-ca.crt');
    const c = spawnCli(['sign', 'copy', approved, '-o', out, '--form', 'SAO Y', '--agency', 'UBND tỉnh Thử Nghiệm', '--chain', chain, '--json', ...token(pki.tokens.agency, pki.keyIds.agency)], env(pki.userPin));
    expect(c.status).toBe(0);
    const res = JSON.parse(c.stdout) as { output: string; text: string };
    expect(res.text).toMatch(/^SAO Y; UBND tỉnh Thử Nghiệm; \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00$/);
    expect(pdfsig(pki, out).map((s) => s.signature)).toEqual(['Signature is Valid.', 'Signature is Valid.']);
    qpdfCheck(out);
    expect(cmsPrint(extractSignatures(readFileSync(out))[1]!).match(/cert_info:/g)).toHaveLength(2);
  });

  it('issue takes trust roots and seal size from the settings, refuses without a leader signature before the PIN', async () => {
    const input = await writeSample(dir, 'cli-issue-in.pdf');
    const approved = join(dir, 'cli-issue-approved.pdf');
    const img = join(repoRoot, 'resources/images/sample-signature-blue.png');
    const stamp = join(repoRoot, 'resources/images/sample-seal-red.png');
    const chain = join(pki.certs, 'issuing-ca.crt');
    expect((await cli(['approve', input, '-o', approved, '--image', img, '--chain', chain, ...token(pki.tokens.leader, pki.keyIds.leader)], pki.userPin)).status).toBe(0);
    const out = join(dir, 'cli-issued.pdf');
    const args = (from: string, to: string) => ['issue', from, '-o', to, '--book', 'di-qd', '--number', '7', '--date', `${yearInVietnam()}-03-09`, '--stamp', stamp, '--chain', chain, '--json', ...token(pki.tokens.agency, pki.keyIds.agency)];
    const r = await cli(args(approved, out), pki.userPin);
    expect(r.stderr).toBe('');
    const res = JSON.parse(r.stdout) as { issued: { number: string; day: string; month: string; seal: { width: number } } };
    expect(res.issued).toMatchObject({ number: '07', day: '09', month: '3' });
    expect(res.issued.seal.width).toBeCloseTo(36 * 72 / 25.4, 6);
    expect(pdfsig(pki, out)).toHaveLength(5);
    const refusedOut = join(dir, 'cli-refused.pdf');
    // A wrong PIN on purpose: the leader rule is checked before the PIN is asked or used.
    const refused = await cli(args(input, refusedOut), '999999');
    expect(refused.status).toBe(70);
    expect(refused.stderr).toMatch(/^Lỗi: Văn bản chưa có chữ ký số hợp lệ của người có thẩm quyền/m);
    expect(existsSync(refusedOut)).toBe(false);
  });

  it('a wrong PIN is refused in Vietnamese and leaves no output', async () => {
    const input = await writeSample(dir, 'cli-pin.pdf');
    const out = join(dir, 'cli-pin.signed.pdf');
    const r = await cli(['appendix', input, '-o', out, '--ref', '05/QĐ-UBND', ...token(pki.tokens.agency, pki.keyIds.agency)], '000000');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/^Lỗi: .*PIN/m);
    expect(r.stderr).toMatch(/TOKEN_PIN_INCORRECT/);
    expect(existsSync(out)).toBe(false);
  });

  it('a write that runs out of room (file-size limit) fails in Vietnamese and leaves no file behind', async () => {
    requireTool('prlimit');
    const input = await writeSample(dir, 'cli-big.pdf', { padToBytes: 1024 * 1024 });
    const out = join(dir, 'cli-big.signed.pdf');
    const limit = statSync(input).size + 1024;
    const r = spawnSync('prlimit', [`--fsize=${limit}`, process.execPath, join(repoRoot, 'src-main/cli/bin.cjs'), 'sign', 'appendix', input, '-o', out, '--ref', '05/QĐ-UBND',
      ...token(pki.tokens.agency, pki.keyIds.agency)], { encoding: 'utf8', env: { ...process.env, VANTHU_PIN: pki.userPin, SOFTHSM2_CONF: pki.softhsm2Conf, VANTHU_DATA_DIR: join(dir, 'data'), VANTHU_CONFIG: '' } });
    expect(r.status).toBe(70);
    expect(r.stderr).toMatch(/^Lỗi: Tệp kết quả vượt quá kích thước tệp cho phép/m);
    expect(r.stderr).toMatch(/IO_ERROR/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('cli-big.signed'))).toEqual([]);
  });

  it('usage errors exit 64 and never overwrite the input', async () => {
    const input = await writeSample(dir, 'cli-same.pdf');
    const before = readFileSync(input);
    const r = await cli(['appendix', input, '-o', input, '--ref', '05/QĐ-UBND', ...token(pki.tokens.agency, pki.keyIds.agency)], pki.userPin);
    expect(r.status).toBe(64);
    expect(readFileSync(input).equals(before)).toBe(true);
  });
});
