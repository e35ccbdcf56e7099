import { beforeAll, describe, expect, it } from 'vitest';
import { loadPki } from '../helpers/pki';
import { makeBasePdf } from '../fixtures-gen/base-pdf';
import { encryptWithQpdf, type Encryption } from '../fixtures-gen/encrypt';
import { pdfsigVerdicts, signWithPdfsig } from '../fixtures-gen/pdfsig';
import { PdfFile } from '../../src-main/core/pdf/parse/document';
import { verifyWithoutRevocation } from './helpers';
import * as H from '../fixtures-gen/hostile';
import { verificationReportSchema } from '../../src-main/core/verify/report-schema';

// Issue 9, class 5 (encryption): "protected" PDFs that open without a password are decrypted for
// reading; a real user password gives INDETERMINATE "cần mật khẩu để mở". Files are encrypted by qpdf
// and signed by pdfsig (poppler), both independent of this code.
const pki = loadPki();
const verify = verifyWithoutRevocation(pki);
let base: Buffer;
beforeAll(async () => { base = await makeBasePdf(); });

describe('class 5: permission-only encryption', () => {
  it.each([
    ['rc4-40', 'Standard R2', 'RC4 40'], ['rc4-128', 'Standard R3', 'RC4 128'], ['aes-128', 'Standard R4', 'AESV2 128'], ['aes-256', 'Standard R6', 'AESV3 256'],
  ] as const)('%s: decrypted for reading, the signature passes as pdfsig says', async (how: Encryption, handler, method) => {
    const pdf = signWithPdfsig(encryptWithQpdf(base, how));
    const file = new PdfFile(pdf);
    expect(file.encryption).toMatchObject({ needsPassword: false, unsupported: false });
    const r = await verify(pdf);
    expect(r.signatures).toHaveLength(1);
    expect(r.signatures[0]!.reasons).toEqual([]);
    expect(r.overall).toBe('TOTAL_PASSED');
    expect(r.structureFindings!.join()).toContain(`ENCRYPTED: ${handler}, ${method}-bit`);
    // Strings are decrypted: the field name pdfsig wrote reads back as text.
    expect(r.signatures[0]!.fieldName).toMatch(/^[\x20-\x7e]+$/);
    expect(pdfsigVerdicts(pdf)[0]).toEqual({ signature: 'Signature is Valid.', certificate: 'Certificate is Trusted.' });
  });
  it('a changed byte under the encryption is still a broken signature', async () => {
    const pdf = signWithPdfsig(encryptWithQpdf(base, 'aes-256'));
    const at = pdf.indexOf('stream', 0, 'latin1') + 20;
    pdf[at] = pdf[at]! ^ 0xff;
    const r = await verify(pdf);
    expect(r.overall).not.toBe('TOTAL_PASSED');
    expect(r.signatures[0]?.indication ?? r.overall).toBe('TOTAL_FAILED');
  });
  it.each(['rc4-128', 'aes-256'] as const)('%s with a real user password: INDETERMINATE, "cần mật khẩu để mở"', async (how) => {
    const r = await verify(encryptWithQpdf(base, how, 'mat-khau'));
    expect(r.overall).toBe('INDETERMINATE');
    expect(r.summaryVi).toMatch(/cần mật khẩu để mở/);
    expect(r.structureFindings!.join()).toMatch(/PASSWORD_REQUIRED/);
  });
});

describe('fuzz: 100 mutations of an encrypted signed file, and of one with a broken /Prev, fixed seed', () => {
  it('never crashes, never hangs, always returns a schema-valid report without an internal error', async () => {
    const seeds = [signWithPdfsig(encryptWithQpdf(base, 'aes-256')), signWithPdfsig(encryptWithQpdf(base, 'rc4-128'))];
    const r = H.rng(20261206);
    for (let i = 0; i < 100; i++) {
      let pdf = seeds[i % 2]!;
      for (let k = 0; k < 1 + Math.floor(r() * 3); k++) pdf = H.mutate(pdf, r);
      if (i % 3 === 0) pdf = Buffer.concat([pdf, Buffer.from('\n1 0 obj\n<</X 1>>\nendobj\ntrailer\n<</Size 2 /Prev 99999999>>\nstartxref\n5\n%%EOF\n', 'latin1')]);
      const report = await verify(pdf);
      expect(verificationReportSchema().safeParse(JSON.parse(JSON.stringify(report))).success).toBe(true);
      expect(report.structureFindings?.join(' ') ?? '').not.toContain('internal error');
    }
  }, 120_000);
});
