/**
 * Điều 14.4 / 17.4.c end to end: a paper document (the Decree-30 sample, printed and scanned at 300 dpi)
 * is digitised here with OCR, passes the gate, is issued with the agency signature and no leader
 * signature, and verifies with our verifier, pdfsig and qpdf. The same scan digitised elsewhere does not
 * pass the gate.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decree30Day, decree30Month, decree30Number } from '../../src-main/contract/text';
import { centreText, ISSUE_FACE, issueBoxes, leaderImage, sealOver } from '../../src-main/core/pdf/layout/placement';
import { extractLines } from '../../src-main/core/pdf/layout/text-lines';
import { issuePdf } from '../../src-main/core/pdf/sign/index';
import { checkConformance } from '../../src-main/core/scan/conformance';
import { digitize } from '../../src-main/core/scan/digitize';
import { recordDigitized, requireDigitizedHere, sha256Hex } from '../../src-main/core/scan/provenance';
import { verifyPdf } from '../../src-main/core/verify/index';
import { loadPki, type TestPki } from '../helpers/pki';
import { dbAt } from '../migrations/helpers';
import { pdfsig, qpdfCheck } from '../sign/helpers/oracles';
import { SEAL_PNG, tempDir, writeSample } from '../sign/helpers/fixtures';
import { openTestTokens, type TestTokens } from '../sign/helpers/token';
import { issuingChain } from '../sign/helpers/software-signer';
import { scanOf } from './ocr-corpus';

let pki: TestPki;
let tokens: TestTokens;
let dir: string;
let scanned: string;
let digitised: string;
let paperBytes: Buffer;
const { db } = dbAt(60);

beforeAll(async () => {
  pki = loadPki();
  tokens = openTestTokens(pki);
  dir = tempDir('digitized');
  const paper = await writeSample(dir, 'paper.pdf');
  paperBytes = readFileSync(paper);
  scanned = scanOf(paper, 300, join(dir, 'scan.png'), { noise: true });
  const r = await digitize([{ name: 'scan.png', bytes: readFileSync(scanned) }], { ocr: true });
  expect(r.report.conforms, r.report.summaryVi).toBe(true);
  digitised = join(dir, 'digitised.pdf');
  writeFileSync(digitised, r.pdf);
  recordDigitized(db, { sha256: sha256Hex(r.pdf), source: 'scan', pageCount: 1, conforms: true, ocr: true, actor: 'test' });
}, 180_000);
afterAll(() => tokens?.close());

describe('issuing a document digitised here with the agency signature', () => {
  it('Đ14.4, Đ17.4.c passes the gate, is signed without a leader signature; pdfsig, qpdf and our verifier find every signature valid', async () => {
    const bytes = readFileSync(digitised);
    expect(() => requireDigitizedHere(db, bytes)).not.toThrow();
    // A scan has no text blanks to find: the clerk places number, date and seal where the paper shows
    // them (the screen proposes them); here, where the printed original has them (the scan is 1:1).
    const boxes = issueBoxes((await extractLines(paperBytes, [0])).lines);
    const date = { year: 2026, month: 3, day: 9 };
    const image = await leaderImage(paperBytes, undefined, 'Nguyễn Văn An');
    const out = join(dir, 'issued.pdf');
    const r = await issuePdf(digitised, out, tokens.agency(), {
      number: 8, notation: 'QĐ-UBND', date, stamp: SEAL_PNG, trust: { trustDir: pki.trustDir }, intermediates: issuingChain(pki),
      jobType: 'digitized',
      numberAt: centreText(boxes.number!, decree30Number(8), ISSUE_FACE.number),
      dayAt: centreText(boxes.day!, decree30Day(date.day), ISSUE_FACE.day),
      monthAt: centreText(boxes.month!, decree30Month(date.month), ISSUE_FACE.month),
      sealRect: sealOver(image!, 36),
    });
    expect(r.leader).toBeNull();
    const issued = readFileSync(out);
    expect(issued.subarray(0, bytes.length).equals(bytes)).toBe(true);
    const sigs = pdfsig(pki, out);
    expect(sigs).toHaveLength(4);
    for (const s of sigs) expect(s.signature).toBe('Signature is Valid.');
    expect(qpdfCheck(out)).toContain('No syntax or stream encoding errors');
    const report = await verifyPdf(issued, { trustDir: pki.trustDir, offline: true, revocation: 'skip' });
    expect(report.signatures).toHaveLength(4);
    // Every signature is intact and cryptographically valid by our verifier. Its overall verdict is not
    // asserted: it reads the agency's text and seal widgets over a full-page scan as covering signed
    // content (a scan has no blank space in the content-stream sense); see docs/digitization.md §7.
    for (const s of report.signatures) expect([s.fieldName, s.cryptoIndication ?? s.indication]).toEqual([s.fieldName, 'TOTAL_PASSED']);
    expect(report.signatures.at(-1)!.indication).toBe('TOTAL_PASSED');
    // The scan under the signatures still meets the standard: signing added no image.
    expect(checkConformance(issued).conforms).toBe(true);
  }, 120_000);

  it('Đ17.4.c the same scan digitised elsewhere (img2pdf + qpdf) conforms but cannot use the exception', () => {
    const elsewhere = join(dir, 'elsewhere.pdf');
    execFileSync('img2pdf', [scanned, '-o', join(dir, 'e13.pdf')]);
    execFileSync('qpdf', ['--min-version=1.4', join(dir, 'e13.pdf'), elsewhere]);
    const bytes = readFileSync(elsewhere);
    expect(checkConformance(bytes).conforms).toBe(true);
    expect(() => requireDigitizedHere(db, bytes)).toThrow(expect.objectContaining({ code: 'SIGN_REFUSED' }));
    // One byte changed in a file digitised here: not the recorded bytes any more.
    const changed = Buffer.from(readFileSync(digitised));
    const at = changed.length - 10;
    changed[at] = changed[at]! ^ 1;
    expect(() => requireDigitizedHere(db, changed)).toThrow(expect.objectContaining({ code: 'SIGN_REFUSED' }));
  });
});
