import { beforeAll, describe, expect, it } from 'vitest';
import { verifyPdf, type VerificationReport } from '../../src-main/core/verify/index';
import { verificationReportSchema } from '../../src-main/core/verify/report-schema';
import { loadPki } from '../helpers/pki';
import { makeBasePdf } from '../fixtures-gen/base-pdf';
import { addSignature } from '../fixtures-gen/pades';
import { identity } from '../fixtures-gen/test-certs';
import * as H from '../fixtures-gen/hostile';

const pki = loadPki();
const verify = (pdf: Buffer): Promise<VerificationReport> => verifyPdf(pdf, { trustDir: pki.trustDir, revocation: 'skip' });

function expectVerdict(r: VerificationReport): void {
  expect(verificationReportSchema().safeParse(JSON.parse(JSON.stringify(r))).success).toBe(true);
  expect(r.structureFindings?.join(' ') ?? '').not.toContain('internal error');
}

describe('hostile input ends in a verdict, in bounded time and memory', () => {
  it.each([
    ['empty', Buffer.alloc(0)],
    ['not a PDF', Buffer.from('hello world')],
    ['header only', Buffer.from('%PDF-1.7\n')],
    ['no xref', Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n')],
    ['startxref past the end', Buffer.from('%PDF-1.7\nstartxref\n999999\n%%EOF\n')],
  ])('%s → TOTAL_FAILED, unreadable', async (_name, pdf) => {
    const r = await verify(pdf);
    expect(r.overall).toBe('TOTAL_FAILED');
    expect(r.summaryVi).toMatch(/^Không hợp lệ — tệp PDF bị hỏng/);
    expectVerdict(r);
  });
  it('a /Prev loop', async () => {
    const r = await verify(H.prevLoop());
    expect(r.structureFindings!.join(' ')).toMatch(/loop/);
    expectVerdict(r);
  });
  it('nesting 100 000 deep stops at the nesting limit (no stack overflow)', async () => {
    const r = await verify(H.deepNesting(100_000));
    expectVerdict(r);
    expect(r.signatures).toEqual([]);
  });
  it('a 200 MB decompression bomb in an xref stream is refused', async () => {
    const r = await verify(H.xrefStreamBomb(200));
    expect(r.overall).toBe('TOTAL_FAILED');
    expect(r.structureFindings!.join(' ')).toMatch(/size limit|budget/);
  });
  it('a content-stream bomb under a signed page does not blow up the modification analysis', async () => {
    const signed = addSignature(H.compressionBomb(100), { signer: identity('rsa') });
    const withAnnot = addSignature(signed, { signer: identity('agency'), widget: { page: 0, rect: [10, 10, 50, 50] } });
    const r = await verify(withAnnot);
    expectVerdict(r);
    expect(r.signatures).toHaveLength(2);
  });
  it('an absurd /Contents and ByteRange', async () => {
    const r = await verify(H.absurdContents(3 * 1024 * 1024));
    expect(r.overall).not.toBe('TOTAL_PASSED');
    expectVerdict(r);
    const r2 = await verify(H.absurdContents(1000));
    expect(r2.signatures[0]).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'FORMAT_FAILURE' });
  });
  it('600 revisions exceed the revision limit', async () => {
    const r = await verify(H.manyRevisions(600));
    expect(r.overall).toBe('TOTAL_FAILED');
    expect(r.structureFindings!.join(' ')).toMatch(/too many revisions/);
  });
  it('a long reference chain is cut at the chain limit', async () => {
    expectVerdict(await verify(H.referenceChain(5000)));
  });
});

describe('fuzz: 300 mutations of a two-signature file, fixed seed', () => {
  let seed: Buffer;
  beforeAll(async () => {
    const one = addSignature(await makeBasePdf({ textField: {} }), { signer: identity('rsa'), widget: { page: 0, rect: [330, 470, 510, 550] } });
    seed = addSignature(one, { signer: identity('agency'), widget: { page: 0, rect: [300, 480, 360, 540] }, contentsBytes: 4096 });
  });
  it('never crashes, never hangs, always returns a schema-valid report', async () => {
    const r = H.rng(20261126);
    let passed = 0;
    for (let i = 0; i < 300; i++) {
      let pdf = seed;
      for (let k = 0; k < 1 + Math.floor(r() * 3); k++) pdf = H.mutate(pdf, r);
      const report = await verify(pdf);
      expectVerdict(report);
      if (report.overall === 'TOTAL_PASSED') passed++;
    }
    // Most mutations must be noticed; a few land in harmless places (padding, whitespace).
    expect(passed).toBeLessThan(150);
  }, 120_000);
});
