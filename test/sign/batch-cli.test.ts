import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/pki';
import { approvePdf, signBatch, type BatchJob } from '../../src-main/core/pdf/sign/index';
import { pdfsig, qpdfCheck, requireTool } from './helpers/oracles';
import { useSignEnv } from './helpers/env';
import { issuingChain } from './helpers/software-signer';
import { SEAL_PNG, SIGNATURE_PNG, writeSample } from './helpers/fixtures';
import { cmsPrint, extractSignatures } from './helpers/oracles';

const { pki, tokens, dir } = useSignEnv('batch');

describe('signBatch', () => {
  it('signs many files with one login, reports progress, and resumes without signing twice', async () => {
    const jobs: BatchJob[] = [];
    for (let i = 1; i <= 3; i++) {
      const input = await writeSample(dir, `att-${i}.pdf`, { pages: i });
      jobs.push({ kind: 'appendix', input, output: join(dir, `att-${i}.signed.pdf`), options: { ref: `0${i}/KH-UBND`, intermediates: issuingChain(pki) } });
    }
    const approved = join(dir, 'batch-approved.pdf');
    await approvePdf(await writeSample(dir, 'batch-main.pdf'), approved, tokens.leader(), { image: SIGNATURE_PNG, intermediates: issuingChain(pki) });
    jobs.push({ kind: 'issue', input: approved, output: join(dir, 'batch-issued.pdf'), options: { number: 15, notation: 'KH-UBND', stamp: SEAL_PNG, trust: { trustDir: pki.trustDir }, intermediates: issuingChain(pki) } });
    jobs.push({ kind: 'appendix', input: join(dir, 'missing.pdf'), output: join(dir, 'missing.signed.pdf'), options: { ref: '09/KH-UBND' } });
    const signer = tokens.agency();
    const progress: Array<[number, number, string]> = [];
    const first = await signBatch(jobs, signer, { trust: { trustDir: pki.trustDir }, onProgress: (p) => progress.push([p.done, p.total, p.item.status]) });
    expect(first.map((r) => r.status)).toEqual(['signed', 'signed', 'signed', 'signed', 'failed']);
    expect(first[4]!.error).toMatchObject({ code: 'NOT_FOUND', message: 'Không tìm thấy tệp PDF cần ký.' });
    expect(progress).toEqual([[1, 5, 'signed'], [2, 5, 'signed'], [3, 5, 'signed'], [4, 5, 'signed'], [5, 5, 'failed']]);
    expect(JSON.parse(JSON.stringify(first))).toEqual(first);
    for (const j of jobs.slice(0, 3)) expect(pdfsig(pki, j.output)[0]!.signature).toBe('Signature is Valid.');

    rmSync(jobs[1]!.output);
    const issuedBefore = readFileSync(jobs[3]!.output);
    const second = await signBatch(jobs.slice(0, 4), signer, { trust: { trustDir: pki.trustDir } });
    expect(second.map((r) => r.status)).toEqual(['skipped', 'signed', 'skipped', 'skipped']);
    expect(readFileSync(jobs[3]!.output).equals(issuedBefore)).toBe(true);
  });
});

describe('vanthu sign (CLI on the SoftHSM tokens)', () => {
  const cli = (args: string[], pin: string) => spawnSync(process.execPath, [join(repoRoot, 'src-main/cli/bin.mjs'), 'sign', ...args], {
    encoding: 'utf8', env: { ...process.env, VANTHU_PIN: pin, SOFTHSM2_CONF: pki.softhsm2Conf, VANTHU_DATA_DIR: join(dir, 'data'), VANTHU_CONFIG: '' },
  });
  const token = (label: string, keyId: string) => ['--module', pki.module, '--token', label, '--key-id', keyId];

  it('approve then appendix, with --json output', async () => {
    const input = await writeSample(dir, 'cli-in.pdf');
    const approved = join(dir, 'cli-approved.pdf');
    const img = join(repoRoot, 'resources/images/sample-signature-blue.png');
    const a = cli(['approve', input, '-o', approved, '--image', img, ...token(pki.tokens.leader, pki.keyIds.leader)], pki.userPin);
    expect(a.stderr).toBe('');
    expect(a.status).toBe(0);
    expect(a.stdout).toMatch(/^Đã ký: /);
    const out = join(dir, 'cli-copy.pdf');
    const chain = join(pki.certs, 'issuing-ca.crt');
    const c = cli(['copy', approved, '-o', out, '--form', 'SAO Y', '--agency', 'UBND tỉnh Thử Nghiệm', '--chain', chain, '--json', ...token(pki.tokens.agency, pki.keyIds.agency)], pki.userPin);
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
    expect(cli(['approve', input, '-o', approved, '--image', img, '--chain', chain, ...token(pki.tokens.leader, pki.keyIds.leader)], pki.userPin).status).toBe(0);
    const out = join(dir, 'cli-issued.pdf');
    const args = (from: string, to: string) => ['issue', from, '-o', to, '--number', '7', '--notation', 'QĐ-UBND', '--date', `${new Date(Date.now() + 7 * 3600_000).getUTCFullYear()}-03-09`, '--stamp', stamp, '--chain', chain, '--json', ...token(pki.tokens.agency, pki.keyIds.agency)];
    const r = cli(args(approved, out), pki.userPin);
    expect(r.stderr).toBe('');
    const res = JSON.parse(r.stdout) as { number: string; day: string; month: string; seal: { width: number } };
    expect(res).toMatchObject({ number: '07', day: '09', month: '3' });
    expect(res.seal.width).toBeCloseTo(36 * 72 / 25.4, 6);
    expect(pdfsig(pki, out)).toHaveLength(5);
    const refusedOut = join(dir, 'cli-refused.pdf');
    // A wrong PIN on purpose: the leader rule is checked before the PIN is asked or used.
    const refused = cli(args(input, refusedOut), '999999');
    expect(refused.status).toBe(70);
    expect(refused.stderr).toMatch(/^Lỗi: Văn bản chưa có chữ ký số hợp lệ của người có thẩm quyền/m);
    expect(existsSync(refusedOut)).toBe(false);
  });

  it('a wrong PIN is refused in Vietnamese and leaves no output', async () => {
    const input = await writeSample(dir, 'cli-pin.pdf');
    const out = join(dir, 'cli-pin.signed.pdf');
    const r = cli(['appendix', input, '-o', out, '--ref', '05/QĐ-UBND', ...token(pki.tokens.agency, pki.keyIds.agency)], '000000');
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
    const r = spawnSync('prlimit', [`--fsize=${limit}`, process.execPath, join(repoRoot, 'src-main/cli/bin.mjs'), 'sign', 'appendix', input, '-o', out, '--ref', '05/QĐ-UBND',
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
    const r = cli(['appendix', input, '-o', input, '--ref', '05/QĐ-UBND', ...token(pki.tokens.agency, pki.keyIds.agency)], pki.userPin);
    expect(r.status).toBe(64);
    expect(readFileSync(input).equals(before)).toBe(true);
  });
});
