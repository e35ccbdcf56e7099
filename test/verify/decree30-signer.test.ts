/**
 * Cross-check with the project's own signer (src-main/core/pdf/sign, read-only here): the leader's
 * approval and the agency's number, day, month and seal signatures made on the SoftHSM tokens must be
 * recognised as the Decree-30 issuing pattern, and a tampered copy must not.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPki, type TestPki } from '../helpers/pki';
import { approvePdf, issuePdf } from '../../src-main/core/pdf/sign/index';
import { verifyPdf, type VerificationReport } from '../../src-main/core/verify/index';
import { openTestTokens, type TestTokens } from '../sign/helpers/token';
import { issuingChain } from '../sign/helpers/software-signer';
import { SEAL_PNG, SIGNATURE_PNG, tempDir, writeSample } from '../sign/helpers/fixtures';
import { evilAnnotation } from '../fixtures-gen/attacks';
import { yearInVietnam } from '../../src-main/contract/time';

let pki: TestPki;
let tokens: TestTokens;
let dir: string;
let issued: Buffer;
let report: VerificationReport;
const acceptUnknownRevocation = { acceptUnknownRevocation: true };

beforeAll(async () => {
  pki = loadPki();
  tokens = openTestTokens(pki);
  dir = tempDir('verify-d30');
  const input = await writeSample(dir, 'input.pdf');
  await approvePdf(input, join(dir, 'approved.pdf'), tokens.leader(), { image: SIGNATURE_PNG, intermediates: issuingChain(pki) });
  await issuePdf(join(dir, 'approved.pdf'), join(dir, 'issued.pdf'), tokens.agency(), {
    number: 5, notation: 'QĐ-UBND', date: { year: yearInVietnam(), month: 2, day: 7 }, stamp: SEAL_PNG,
    trust: { trustDir: pki.trustDir }, intermediates: issuingChain(pki),
    // This test judges the change classification; the test PKI's OCSP/CRL addresses are not served here,
    // so the leader's revocation is unknown and the clerk's explicit choice is taken.
    ...acceptUnknownRevocation,
  });
  issued = readFileSync(join(dir, 'issued.pdf'));
  report = await verifyPdf(issued, { trustDir: pki.trustDir, revocation: 'skip' });
});
afterAll(() => {
  tokens?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the project signer's Decree-30 output", () => {
  it('passes, every later widget classified as the issuing pattern', () => {
    expect(report.overall).toBe('TOTAL_PASSED');
    expect(report.disallowedChange).toBe(false);
    const leader = report.signatures[0]!;
    expect(leader.signerIsOrganisation).toBe(false);
    expect(report.signatures.slice(1).every((s) => s.signerIsOrganisation)).toBe(true);
    expect(leader.changesAfter.length).toBe(report.signatures.length - 1);
    for (const c of leader.changesAfter) expect(c).toMatchObject({ allowed: true, kind: 'DECREE30_ISSUING' });
    expect(report.summaryVi).toContain('sau chữ ký của lãnh đạo, văn thư đã thêm số, ngày và dấu');
  });
  it('an annotation over the body added afterwards is caught', async () => {
    const r = await verifyPdf(evilAnnotation(issued, [72, 500, 520, 640]), { trustDir: pki.trustDir, revocation: 'skip' });
    expect(r.disallowedChange).toBe(true);
  });
});
