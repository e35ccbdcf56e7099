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
import { extractLines, type TextLine } from '../../src-main/core/pdf/layout/text-lines';
import { issuePdf } from '../../src-main/core/pdf/sign/index';
import { checkConformance } from '../../src-main/core/scan/conformance';
import { digitize } from '../../src-main/core/scan/digitize';
import { insertDigitized } from '../../src-main/core/register/digitized';
import { requireDigitizedHere, sha256Hex } from '../../src-main/core/scan/provenance';
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
  insertDigitized(db, { sha256: sha256Hex(r.pdf), source: 'scan', pageCount: 1, conforms: true, ocr: true, actor: 'test' });
}, 180_000);
afterAll(() => tokens?.close());

/**
 * Issues a scan with the agency signature. A scan has no text blanks to find: the clerk places number,
 * date and seal where the paper shows them (the screen proposes them); here, where the printed original
 * has them (the scan is 1:1). `dayOver` moves the day onto a line of body text instead.
 */
async function issueScan(input: string, out: string, o: { stamp?: Buffer; dayOver?: TextLine } = {}) {
  const lines = (await extractLines(paperBytes, [0])).lines;
  const boxes = issueBoxes(lines);
  const date = { year: 2026, month: 3, day: 9 };
  const image = await leaderImage(paperBytes, undefined, 'Nguyễn Văn An');
  const day = o.dayOver ? { page: 0, x: o.dayOver.x0 + 10, width: 60, baseline: o.dayOver.y, size: o.dayOver.size } : boxes.day!;
  return issuePdf(input, out, tokens.agency(), {
    number: 8, notation: 'QĐ-UBND', date, stamp: o.stamp ?? SEAL_PNG, trust: { trustDir: pki.trustDir }, intermediates: issuingChain(pki),
    jobType: 'digitized',
    numberAt: centreText(boxes.number!, decree30Number(8), ISSUE_FACE.number),
    dayAt: centreText(day, decree30Day(date.day), ISSUE_FACE.day),
    monthAt: centreText(boxes.month!, decree30Month(date.month), ISSUE_FACE.month),
    sealRect: sealOver(image!, 36),
  });
}

const verifyIssued = (bytes: Buffer) => verifyPdf(bytes, { trustDir: pki.trustDir, offline: true, revocation: 'skip' });

describe('issuing a document digitised here with the agency signature', () => {
  it('Đ14.4, Đ17.4.c passes the gate, is signed without a leader signature; pdfsig, qpdf and our verifier find every signature valid', async () => {
    const bytes = readFileSync(digitised);
    expect(() => requireDigitizedHere(db, bytes)).not.toThrow();
    const out = join(dir, 'issued.pdf');
    const r = await issueScan(digitised, out);
    expect(r.leader).toBeNull();
    const issued = readFileSync(out);
    expect(issued.subarray(0, bytes.length).equals(bytes)).toBe(true);
    const sigs = pdfsig(pki, out);
    expect(sigs).toHaveLength(4);
    for (const s of sigs) expect(s.signature).toBe('Signature is Valid.');
    expect(qpdfCheck(out)).toContain('No syntax or stream encoding errors');
    const report = await verifyIssued(issued);
    expect(report.signatures).toHaveLength(4);
    // Number and date lie over paper-white pixels of the scan, the red seal over the paper's signature.
    const changes = report.signatures.flatMap((s) => s.changesAfter);
    expect(changes.filter((c) => !c.allowed)).toEqual([]);
    expect(changes.map((c) => c.kind)).toEqual(expect.arrayContaining(['NEW_SIGNATURE', 'SEAL_ON_SCAN']));
    expect([report.overall, report.disallowedChange]).toEqual(['TOTAL_PASSED', false]);
    // The scan under the signatures still meets the standard: signing added no image.
    expect(checkConformance(issued).conforms).toBe(true);
  }, 120_000);

  it('Đ14.4 a widget over text of the scan, and an opaque "seal" over the signature, are reported as covering signed content', async () => {
    // The day written over a line of the body, and a seal image whose background is opaque white.
    const body = (await extractLines(paperBytes, [0])).lines.find((l) => l.text.length > 60 && l.y < 600)!;
    const opaqueSeal = join(dir, 'opaque-seal.png');
    execFileSync('convert', ['-size', '300x300', 'xc:white', '-fill', 'none', '-stroke', 'red', '-strokewidth', '14', '-draw', 'circle 150,150 150,20', '-alpha', 'set', `PNG32:${opaqueSeal}`]);
    const out = join(dir, 'overlay.pdf');
    await issueScan(digitised, out, { stamp: readFileSync(opaqueSeal), dayOver: body });
    for (const s of pdfsig(pki, out)) expect(s.signature).toBe('Signature is Valid.');
    const report = await verifyIssued(readFileSync(out));
    const refused = report.signatures.flatMap((s) => s.changesAfter).filter((c) => !c.allowed);
    // Each later update is listed under every earlier signature: one refusal per update, the day's and the seal's.
    expect([...new Set(refused.map((c) => `${c.revision}:${c.kind}`))]).toHaveLength(2);
    expect(new Set(refused.map((c) => c.kind))).toEqual(new Set(['OVERLAY']));
    expect(refused.map((c) => c.descriptionVi)).toEqual(expect.arrayContaining([expect.stringContaining('che lên nội dung đã ký ở trang 1')]));
    expect([report.overall, report.disallowedChange]).not.toEqual(['TOTAL_PASSED', false]);
    expect(report.disallowedChange).toBe(true);
  }, 120_000);

  it('Đ14.4 a scan kept as JPEG (pass-through) is read through its JPEG pixels: issued with the agency signature, it verifies', async () => {
    const jpeg = join(dir, 'scan.jpg');
    execFileSync('convert', [scanned, '-quality', '90', '-density', '300', '-units', 'PixelsPerInch', jpeg]);
    const r = await digitize([{ name: 'scan.jpg', bytes: readFileSync(jpeg) }], { ocr: false });
    expect(r.report.conforms, r.report.summaryVi).toBe(true);
    const input = join(dir, 'digitised-jpeg.pdf');
    writeFileSync(input, r.pdf);
    const out = join(dir, 'issued-jpeg.pdf');
    await issueScan(input, out);
    expect(qpdfCheck(out)).toContain('No syntax or stream encoding errors');
    const report = await verifyIssued(readFileSync(out));
    expect(report.signatures.flatMap((s) => s.changesAfter).filter((c) => !c.allowed)).toEqual([]);
    expect(report.overall).toBe('TOTAL_PASSED');
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
