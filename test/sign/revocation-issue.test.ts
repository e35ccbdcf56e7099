/**
 * Điều 3.2 before the agency signs: the leader check of `sign issue` runs the verifier's full
 * revocation path (embedded DSS → cache → OCSP → CRL) against a real `openssl ocsp` responder and a
 * CRL served on loopback (test/fixtures-gen/revocation-server.ts).
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { yearInVietnam } from '../../src-main/contract/time';
import { approvePdf, issuePdf, type IssueOptions } from '../../src-main/core/pdf/sign/index';
import { clearRevocationCache } from '../../src-main/core/verify/revocation';
import { demoSettings } from '../../src-main/core/config';
import { DEAD_URL, RevocationServers, serialOf } from '../fixtures-gen/revocation-server';
import { repoRoot } from '../helpers/pki';
import { runCli } from './helpers/cli';
import { useSignEnv } from './helpers/env';
import { isPrefix, SEAL_PNG, SIGNATURE_PNG, writeSample } from './helpers/fixtures';
import { extractSignatures, opensslVerify, pdfsig, qpdfCheck } from './helpers/oracles';
import { verifyPdf } from '../../src-main/core/verify/index';
import { issuingChain, p12Signer } from './helpers/software-signer';
import { startTestTsa, type TestTsa } from './helpers/tsa';

const { pki, tokens, dir } = useSignEnv('revocation-issue');
const leader2Serial = serialOf(join(pki.certs, 'leader2.crt'));
// leader2 revoked an hour ago: before any signature these tests make.
const revokedBefore = new RevocationServers([leader2Serial], new Date(Date.now() - 3600_000));
let revokedAfter: RevocationServers | null = null;
let tsa: TestTsa;
let deadUrl: string;
let goodLeader: string;
let revokedLeader: string;
let stampedLeader: string;
const YEAR = yearInVietnam();

beforeAll(async () => {
  await revokedBefore.start();
  tsa = await startTestTsa(pki);
  deadUrl = DEAD_URL;
  const input = await writeSample(dir, 'input.pdf');
  goodLeader = join(dir, 'good-leader.pdf');
  revokedLeader = join(dir, 'revoked-leader.pdf');
  stampedLeader = join(dir, 'stamped-leader.pdf');
  await approvePdf(input, goodLeader, tokens.leader(), { image: SIGNATURE_PNG, intermediates: issuingChain(pki) });
  await approvePdf(input, revokedLeader, p12Signer(pki, 'leader2'), { image: SIGNATURE_PNG, signerName: 'Nguyễn Văn An', intermediates: issuingChain(pki) });
  await approvePdf(input, stampedLeader, p12Signer(pki, 'leader2'), { image: SIGNATURE_PNG, signerName: 'Nguyễn Văn An', intermediates: issuingChain(pki), tsa: { url: tsa.url } });
  // The revocation the second responder reports comes after the leader's time-stamp (whole seconds).
  await new Promise((r) => setTimeout(r, 1500));
  revokedAfter = new RevocationServers([leader2Serial], new Date());
  await revokedAfter.start();
});
afterAll(async () => {
  await revokedBefore.stop();
  await revokedAfter?.stop();
  await tsa?.stop();
});
beforeEach(() => clearRevocationCache());

const issueOpts = (servers: { ocspUrl: string; crlUrl: string }, extra: Partial<IssueOptions> = {}): IssueOptions => ({
  number: 4, notation: 'QĐ-UBND', date: { year: YEAR, month: 5, day: 6 }, stamp: SEAL_PNG, intermediates: issuingChain(pki),
  trust: { trustDir: pki.trustDir, ocspUrlOverride: servers.ocspUrl, crlUrlOverride: servers.crlUrl, networkTimeoutMs: 2000, revocationCacheDir: mkdtempSync(join(dir, 'cache-')) },
  ...extra,
});
const deadNetwork = () => ({ ocspUrl: deadUrl, crlUrl: deadUrl });

describe('Đ3.2 leader revocation before issuing (core)', () => {
  it('Đ3.2 refuses a leader signature whose certificate was revoked before it signed, and writes nothing', async () => {
    const out = join(dir, 'revoked-issued.pdf');
    await expect(issuePdf(revokedLeader, out, tokens.agency(), issueOpts(revokedBefore))).rejects.toMatchObject({
      code: 'SIGN_REFUSED', vi: expect.stringContaining('đã bị thu hồi'),
    });
    expect(existsSync(out)).toBe(false);
  });

  it('Đ3.2 refuses it through the CRL when the OCSP responder is down', async () => {
    const out = join(dir, 'revoked-crl-issued.pdf');
    await expect(issuePdf(revokedLeader, out, tokens.agency(), issueOpts({ ocspUrl: deadUrl, crlUrl: revokedBefore.crlUrl }))).rejects.toMatchObject({
      code: 'SIGN_REFUSED', vi: expect.stringContaining('đã bị thu hồi'),
    });
    expect(existsSync(out)).toBe(false);
  });

  it('Đ3.2 accepts a leader certificate revoked after a trusted time-stamp proved the signing time', async () => {
    const out = join(dir, 'revoked-after-issued.pdf');
    const r = await issuePdf(stampedLeader, out, tokens.agency(), issueOpts(revokedAfter!));
    expect(r.leaderReport).toMatchObject({ indication: 'TOTAL_PASSED' });
    expect(r.leaderReport!.revocation).toMatchObject({ status: 'revoked' });
    expect(r.unknownRevocationAccepted).toBe(false);
    expect(existsSync(out)).toBe(true);
  });

  it('Đ3.2 refuses without the revocation time-stamp proof: the same certificate, no time-stamp', async () => {
    const out = join(dir, 'revoked-after-unstamped.pdf');
    await expect(issuePdf(revokedLeader, out, tokens.agency(), issueOpts(revokedAfter!))).rejects.toMatchObject({ code: 'SIGN_REFUSED' });
    expect(existsSync(out)).toBe(false);
  });

  it('Đ3.2 network down and an empty cache: refused saying why; issued only on the explicit choice, which the result records', async () => {
    const refusedOut = join(dir, 'unknown-refused.pdf');
    await expect(issuePdf(goodLeader, refusedOut, tokens.agency(), issueOpts(deadNetwork()))).rejects.toMatchObject({
      code: 'SIGN_REFUSED', vi: expect.stringMatching(/có bị thu hồi hay không.*--accept-unknown-revocation/),
      message: expect.stringContaining('TRY_LATER'),
    });
    expect(existsSync(refusedOut)).toBe(false);
    const out = join(dir, 'unknown-accepted.pdf');
    const r = await issuePdf(goodLeader, out, tokens.agency(), issueOpts(deadNetwork(), { acceptUnknownRevocation: true }));
    expect(r.unknownRevocationAccepted).toBe(true);
    expect(r.leaderReport).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER' });
  });

  it('Đ3.2 offline with the answer in the revocation cache: accepted from the cache', async () => {
    const opts = issueOpts(revokedBefore);
    await issuePdf(goodLeader, join(dir, 'cache-fill.pdf'), tokens.agency(), opts);
    clearRevocationCache();
    const r = await issuePdf(goodLeader, join(dir, 'cache-hit.pdf'), tokens.agency(), {
      ...opts, offline: true, trust: { ...opts.trust!, ocspUrlOverride: deadUrl, crlUrlOverride: deadUrl },
    });
    expect(r.leaderReport!.revocation).toMatchObject({ status: 'good', source: 'cache' });
    expect(r.unknownRevocationAccepted).toBe(false);
  });
});

describe('PAdES B-LT at issuing', () => {
  it('Đ3.2 an issued file verifies with the network off and an empty cache: TOTAL_PASSED for every signature, from its DSS', async () => {
    const out = join(dir, 'b-lt.pdf');
    const r = await issuePdf(goodLeader, out, tokens.agency(), issueOpts(revokedBefore));
    expect(r.ltv).toBe(true);
    const bytes = readFileSync(out);
    expect(isPrefix(readFileSync(goodLeader), bytes)).toBe(true);
    expect(bytes.toString('latin1')).toMatch(/\/DSS \d+ 0 R/);
    clearRevocationCache();
    const report = await verifyPdf(bytes, { trustDir: pki.trustDir, offline: true });
    expect(report.signatures).toHaveLength(5);
    for (const sig of report.signatures) {
      expect(sig.indication).toBe('TOTAL_PASSED');
      expect(sig.revocation).toMatchObject({ status: 'good', source: 'dss' });
    }
    expect(report.overall).toBe('TOTAL_PASSED');
    qpdfCheck(out);
    expect(pdfsig(pki, out).map((x) => x.signature)).toEqual(Array(5).fill('Signature is Valid.'));
    for (const sig of extractSignatures(bytes)) expect(opensslVerify(pki, sig).ok).toBe(true);
  });

  it('Đ3.2 with a TSA, issuing ends in B-LTA (a document timestamp over the DSS): offline TOTAL_PASSED and no TSA revocation warning (the TSA shares the signers\' issuing CA, whose CRL the DSS carries)', async () => {
    const out = join(dir, 'b-lt-tsa.pdf');
    const r = await issuePdf(goodLeader, out, tokens.agency(), issueOpts(revokedBefore, { tsa: { url: tsa.url } }));
    expect(r.ltv).toBe(true);
    clearRevocationCache();
    const report = await verifyPdf(readFileSync(out), { trustDir: pki.trustDir, offline: true });
    expect(report.signatures.map((x) => x.indication)).toEqual(Array(6).fill('TOTAL_PASSED'));
    expect(report.signatures.map((x) => x.isDocTimestamp ?? false)).toEqual([false, false, false, false, false, true]);
    qpdfCheck(out);
    for (const sig of report.signatures) expect((sig.warnings ?? []).join(' ')).not.toContain('TSA revocation status unknown');
  });

  it('Đ3.2 the DSS completes chains from certificates the file carries: no configured intermediate, offline TOTAL_PASSED', async () => {
    const out = join(dir, 'b-lt-carried.pdf');
    // The agency signatures embed only their own certificate; the issuing CA travels in the leader's CMS.
    const r = await issuePdf(goodLeader, out, tokens.agency(), issueOpts(revokedBefore, { intermediates: [] }));
    expect(r.ltv).toBe(true);
    clearRevocationCache();
    const report = await verifyPdf(readFileSync(out), { trustDir: pki.trustDir, offline: true });
    expect(report.signatures.map((x) => x.indication)).toEqual(Array(5).fill('TOTAL_PASSED'));
  });

  it('adds no DSS when no revocation answer could be had (isolated network)', async () => {
    const out = join(dir, 'no-dss.pdf');
    const r = await issuePdf(goodLeader, out, tokens.agency(), issueOpts(deadNetwork(), { acceptUnknownRevocation: true }));
    expect(r.ltv).toBe(false);
    expect(readFileSync(out).toString('latin1')).not.toMatch(/\/DSS/);
  });
});

describe('Đ3.2 vanthu sign issue (CLI, agency settings without the demo profile)', () => {
  const stamp = join(repoRoot, 'resources/images/sample-seal-red.png');
  const chain = join(pki.certs, 'issuing-ca.crt');
  const config = (servers: { ocspUrl: string; crlUrl: string }, name: string): Record<string, string> => {
    const dataDir = join(dir, `cli-${name}`);
    const file = join(dir, `settings-${name}.json`);
    writeFileSync(file, JSON.stringify({
      ...demoSettings({ ...process.env, VANTHU_DATA_DIR: dataDir, VANTHU_TEST_PKI: join(pki.certs, '..') }),
      demo: false, ocspUrlOverride: servers.ocspUrl, crlUrlOverride: servers.crlUrl,
    }));
    return { VANTHU_PIN: pki.userPin, SOFTHSM2_CONF: pki.softhsm2Conf, VANTHU_DATA_DIR: dataDir, VANTHU_CONFIG: file };
  };
  const args = (from: string, to: string, extra: string[] = []) => ['sign', 'issue', from, '-o', to, '--book', 'di-qd', '--number', '9',
    '--date', `${YEAR}-03-09`, '--stamp', stamp, '--chain', chain, '--json', '--module', pki.module, '--token', pki.tokens.agency, '--key-id', pki.keyIds.agency, ...extra];

  it('Đ3.2 refuses a revoked leader before the PIN, with no output', async () => {
    const out = join(dir, 'cli-revoked.pdf');
    // A wrong PIN on purpose: the refusal must come before the PIN is used.
    const r = await runCli(args(revokedLeader, out), { ...config(revokedBefore, 'revoked'), VANTHU_PIN: '999999' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('đã bị thu hồi');
    expect(existsSync(out)).toBe(false);
  });

  it('Đ3.2 network down: refused saying why; --accept-unknown-revocation issues and warns', async () => {
    const env = config(deadNetwork(), 'dead');
    const refusedOut = join(dir, 'cli-unknown-refused.pdf');
    const refused = await runCli(args(goodLeader, refusedOut), env);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain('--accept-unknown-revocation');
    expect(existsSync(refusedOut)).toBe(false);
    const out = join(dir, 'cli-unknown-accepted.pdf');
    const r = await runCli(args(goodLeader, out, ['--accept-unknown-revocation']), env);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('theo lựa chọn của văn thư');
    expect((JSON.parse(r.stdout) as { issued: { unknownRevocationAccepted: boolean } }).issued.unknownRevocationAccepted).toBe(true);
    expect(existsSync(out)).toBe(true);
  });

  it('Đ3.2 sign batch: the revoked leader\'s file fails alone with the reason, the good one is issued', async () => {
    const jobs = join(dir, 'jobs.jsonl');
    const line = (input: string, output: string, number: number) =>
      JSON.stringify({ kind: 'issue', input, output, book: 'di-qd', number, date: `${YEAR}-03-09`, stamp });
    writeFileSync(jobs, [line(revokedLeader, join(dir, 'batch-revoked.pdf'), 21), line(goodLeader, join(dir, 'batch-good.pdf'), 22)].join('\n'));
    const r = await runCli(['sign', 'batch', jobs, '--chain', chain, '--json', '--module', pki.module, '--token', pki.tokens.agency, '--key-id', pki.keyIds.agency],
      config(revokedBefore, 'batch'));
    const res = JSON.parse(r.stdout) as { results: Array<{ status: string; error?: { message: string } }> };
    expect(res.results.map((x) => x.status)).toEqual(['failed', 'signed']);
    expect(res.results[0]!.error!.message).toContain('đã bị thu hồi');
    expect(existsSync(join(dir, 'batch-revoked.pdf'))).toBe(false);
    expect(existsSync(join(dir, 'batch-good.pdf'))).toBe(true);
  });
});
