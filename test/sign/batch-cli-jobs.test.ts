/**
 * `vanthu sign batch <jobs.jsonl>`: one login for every job, Vietnamese progress on stderr, per-file
 * results in JSON, exit 0 only when every job succeeded, resumable with --resume.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPki, repoRoot, type TestPki } from '../helpers/pki';
import { approvePdf, batchProgressSchema, signBatch, type BatchProgress } from '../../src-main/core/pdf/sign/index';
import { parseJobLines } from '../../src-main/cli/sign/jobs-file';
import { pdfsig } from './helpers/oracles';
import { runCli, spawnCli } from './helpers/cli';
import { issuingChain, pemSigner } from './helpers/software-signer';
import { openTestTokens } from './helpers/token';
import { SIGNATURE_PNG, tempDir, writeSample } from './helpers/fixtures';

let pki: TestPki;
let dir: string;

beforeAll(() => {
  pki = loadPki();
  dir = tempDir('batch-jobs');
});
afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

const argv = (args: string[]) => ['sign', 'batch', ...args, '--module', pki.module, '--token', pki.tokens.agency, '--chain', join(pki.certs, 'issuing-ca.crt')];
const env = () => ({ VANTHU_PIN: pki.userPin, SOFTHSM2_CONF: pki.softhsm2Conf, VANTHU_DATA_DIR: join(dir, 'data'), VANTHU_CONFIG: '' });
const cli = (args: string[]) => runCli(argv(args), env());

describe('vanthu sign batch', () => {
  it('signs issue, appendix and copy jobs with one login, reports progress and failures, and resumes', async () => {
    const tokens = openTestTokens(pki);
    try {
      await approvePdf(await writeSample(dir, 'main.pdf'), join(dir, 'main.approved.pdf'), tokens.leader(), { image: SIGNATURE_PNG, intermediates: issuingChain(pki) });
    } finally {
      tokens.close();
    }
    await writeSample(dir, 'pl1.pdf', { pages: 2 });
    await writeSample(dir, 'ban.pdf');
    const lines = [
      '# issue, appendix, copy, then a job that fails (no such input)',
      JSON.stringify({ kind: 'issue', input: 'main.approved.pdf', output: 'out/main.issued.pdf', book: 'di-qd', number: 7 }),
      JSON.stringify({ kind: 'appendix', input: 'pl1.pdf', output: 'out/pl1.signed.pdf', ref: '07/QĐ-UBND' }),
      '',
      JSON.stringify({ kind: 'copy', input: join(dir, 'ban.pdf'), output: 'out/ban.sao.pdf', form: 'SAO Y', agency: 'UBND tỉnh Thử Nghiệm' }),
      JSON.stringify({ kind: 'appendix', input: 'missing.pdf', output: 'out/missing.signed.pdf', ref: '07/QĐ-UBND' }),
    ];
    spawnSync('mkdir', [join(dir, 'out')]);
    const jobs = join(dir, 'jobs.jsonl');
    writeFileSync(jobs, `${lines.join('\n')}\n`);

    const first = await cli([jobs, '--json']);
    expect(first.status).toBe(1);
    const progress = first.stderr.trim().split('\n');
    expect(progress).toEqual([
      `[1/4] Đã ký: ${join(dir, 'out/main.issued.pdf')}`,
      `[2/4] Đã ký: ${join(dir, 'out/pl1.signed.pdf')}`,
      `[3/4] Đã ký: ${join(dir, 'out/ban.sao.pdf')}`,
      `[4/4] Lỗi: ${join(dir, 'missing.pdf')}: Không tìm thấy tệp “missing.pdf”.`,
      'Xong: 3 tệp đã ký, 0 tệp bỏ qua (đã ký trước đó), 1 tệp lỗi.',
    ]);
    const res = JSON.parse(first.stdout) as { results: Array<{ status: string; output: string; error?: { code: string } }>; signed: number; failed: number };
    expect(res.results.map((r) => r.status)).toEqual(['signed', 'signed', 'signed', 'failed']);
    expect(res.results[3]!.error!.code).toBe('NOT_FOUND');
    expect(pdfsig(pki, join(dir, 'out/main.issued.pdf')).map((s) => s.signature)).toEqual(Array(5).fill('Signature is Valid.'));
    expect(pdfsig(pki, join(dir, 'out/ban.sao.pdf'))[0]!.signature).toBe('Signature is Valid.');

    // Without --resume an existing output stops the batch before the PIN.
    const again = await cli([jobs]);
    expect(again.status).toBe(64);
    expect(again.stderr).toMatch(/^Đã có 3 tệp kết quả .*--resume/m);

    // --resume: the three done are skipped (untouched), the missing input now exists and gets signed.
    const issuedBefore = readFileSync(join(dir, 'out/main.issued.pdf'));
    await writeSample(dir, 'missing.pdf');
    const resumed = await cli([jobs, '--resume']);
    expect(resumed.stderr.trim().split('\n')).toEqual([
      `[1/4] Bỏ qua (đã ký trước đó): ${join(dir, 'out/main.issued.pdf')}`,
      `[2/4] Bỏ qua (đã ký trước đó): ${join(dir, 'out/pl1.signed.pdf')}`,
      `[3/4] Bỏ qua (đã ký trước đó): ${join(dir, 'out/ban.sao.pdf')}`,
      `[4/4] Đã ký: ${join(dir, 'out/missing.signed.pdf')}`,
      'Xong: 1 tệp đã ký, 3 tệp bỏ qua (đã ký trước đó), 0 tệp lỗi.',
    ]);
    expect(resumed.status).toBe(0);
    expect(readFileSync(join(dir, 'out/main.issued.pdf')).equals(issuedBefore)).toBe(true);
  });

  it('a bad line is refused with its number, before any PIN or signature', () => {
    const jobs = join(dir, 'bad.jsonl');
    writeFileSync(jobs, `${JSON.stringify({ kind: 'appendix', input: 'a.pdf', output: 'b.pdf', ref: '1/A-B' })}\n{"kind":"issue","input":"a.pdf"}\n`);
    const r = spawnCli(argv([jobs]), env());
    expect(r.status).toBe(64);
    expect(r.stderr).toMatch(/^Lỗi: Dòng 2 của tệp danh sách không hợp lệ \(trường /m);
    expect(() => parseJobLines('{"kind":"copy","input":"a","output":"b","form":"BẢN SAO","agency":"X"}')).toThrow();
  });

  it('progress payloads are JSON-safe and match the exported schema', async () => {
    const input = await writeSample(dir, 'p.pdf');
    const seen: BatchProgress[] = [];
    await signBatch([{ kind: 'appendix', input, output: join(dir, 'p.signed.pdf'), options: { ref: '01/TB-UBND' } },
      { kind: 'appendix', input: join(dir, 'none.pdf'), output: join(dir, 'none.signed.pdf'), options: { ref: '01/TB-UBND' } }],
    pemSigner(pki, 'agency'), { onProgress: (p) => seen.push(p) });
    expect(seen.map((p) => [p.index, p.done, p.total, p.item.status])).toEqual([[0, 1, 2, 'signed'], [1, 2, 2, 'failed']]);
    for (const p of seen) {
      expect(JSON.parse(JSON.stringify(p))).toEqual(p);
      expect(batchProgressSchema.parse(p)).toEqual(p);
    }
    expect(existsSync(join(dir, 'none.signed.pdf'))).toBe(false);
  });
});
