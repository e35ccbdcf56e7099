import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/pki';
import { approvePdf, isEarlierOutput, signBatch, type BatchJob } from '../../src-main/core/pdf/sign/index';
import { pdfsig, qpdfCheck, requireTool } from './helpers/oracles';
import { useSignEnv } from './helpers/env';
import { issuingChain } from './helpers/software-signer';
import { SEAL_PNG, SIGNATURE_PNG, writeSample } from './helpers/fixtures';
import { cmsPrint, extractSignatures } from './helpers/oracles';

const { pki, tokens, dir } = useSignEnv('batch');

describe('signBatch', () => {
  it('signs many files with one login and reports progress; a failed file fails alone', async () => {
    const jobs: BatchJob[] = [];
    for (let i = 1; i <= 3; i++) {
      const input = await writeSample(dir, `att-${i}.pdf`, { pages: i });
      jobs.push({ kind: 'appendix', input, output: join(dir, `att-${i}.signed.pdf`), options: { ref: `0${i}/KH-UBND`, intermediates: issuingChain(pki) } });
    }
    const approved = join(dir, 'batch-approved.pdf');
    await approvePdf(await writeSample(dir, 'batch-main.pdf'), approved, tokens.leader(), { image: SIGNATURE_PNG, intermediates: issuingChain(pki) });
    // No OCSP responder or CRL server runs here (test/sign/revocation-issue.test.ts has them).
    jobs.push({ kind: 'issue', input: approved, output: join(dir, 'batch-issued.pdf'), options: { number: 15, notation: 'KH-UBND', stamp: SEAL_PNG, trust: { trustDir: pki.trustDir }, intermediates: issuingChain(pki), acceptUnknownRevocation: true } });
    jobs.push({ kind: 'appendix', input: join(dir, 'missing.pdf'), output: join(dir, 'missing.signed.pdf'), options: { ref: '09/KH-UBND' } });
    const signer = tokens.agency();
    const progress: Array<[number, number, string]> = [];
    const first = await signBatch(jobs, signer, { onProgress: (p) => progress.push([p.done, p.total, p.item.status]) });
    expect(first.map((r) => r.status)).toEqual(['signed', 'signed', 'signed', 'signed', 'failed']);
    expect(first[4]!.error).toMatchObject({ code: 'NOT_FOUND', message: 'Không tìm thấy tệp “missing.pdf”.' });
    expect(progress).toEqual([[1, 5, 'signed'], [2, 5, 'signed'], [3, 5, 'signed'], [4, 5, 'signed'], [5, 5, 'failed']]);
    expect(JSON.parse(JSON.stringify(first))).toEqual(first);
    for (const j of jobs.slice(0, 3)) expect(pdfsig(pki, j.output)[0]!.signature).toBe('Signature is Valid.');

    // Which outputs are already done is the resume rule's question, asked by sign.batch.
    const issued = readFileSync(jobs[3]!.output);
    expect(await isEarlierOutput(readFileSync(approved), issued, signer.certificate, { trustDir: pki.trustDir })).toBe(true);
    expect(await isEarlierOutput(readFileSync(jobs[1]!.input), issued, signer.certificate, { trustDir: pki.trustDir })).toBe(false);
    expect(await isEarlierOutput(readFileSync(approved), issued, tokens.leader().certificate, { trustDir: pki.trustDir })).toBe(false);
  });
});
