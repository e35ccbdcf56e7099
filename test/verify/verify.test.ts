import { beforeAll, describe, expect, it } from 'vitest';
import { extractSignedRevision, verifyPdf, loadTrustAnchors, type VerificationReport } from '../../src-main/core/verify/index';
import { loadPki } from '../helpers/pki';
import { makeBasePdf } from '../fixtures-gen/base-pdf';
import { signWithP12 } from '../fixtures-gen/signpdf';
import { addSignature } from '../fixtures-gen/pades';
import { identity } from '../fixtures-gen/test-certs';
import { pdfsigVerdicts, signWithPdfsig } from '../fixtures-gen/pdfsig';
import { verificationReportSchema } from '../../src-main/core/verify/report-schema';
import { isoVietnam } from '../../src-main/contract/time';

const pki = loadPki();
const verify = (pdf: Buffer, now?: Date): Promise<VerificationReport> =>
  verifyPdf(pdf, { trustAnchors: loadTrustAnchors(pki.trustDir), revocation: 'skip', ...(now ? { now } : {}) });
const rect: [number, number, number, number] = [330, 470, 510, 550];

let base: Buffer;
let twoSigs: Buffer;
beforeAll(async () => {
  base = await makeBasePdf();
  const leader = await signWithP12(base, { p12: 'leader2', widgetRect: rect });
  twoSigs = await signWithP12(leader, { p12: 'agency', widgetRect: [300, 480, 360, 540] });
});

describe('valid signatures from independent signers', () => {
  it('Đ3.1 @signpdf leader + agency: both pass, names NFC, organisation told apart, schema-valid', async () => {
    const r = await verify(twoSigs);
    expect(r.overall).toBe('TOTAL_PASSED');
    expect(r.signatures.map((s) => s.signerName)).toEqual(['Trần Thị Bình'.normalize('NFC'), 'UBND tỉnh Thử Nghiệm'.normalize('NFC')]);
    expect(r.signatures.map((s) => s.signerIsOrganisation)).toEqual([false, true]);
    expect(r.signatures[0]!.summaryVi).toBe('Hợp lệ');
    expect(r.signatures[0]!.coverage).toBe('ENTIRE_REVISION');
    expect(r.signatures[1]!.coverage).toBe('ENTIRE_FILE');
    expect(r.signatures[0]!.signingTimeSource).toBe('claimed');
    expect(verificationReportSchema().safeParse(JSON.parse(JSON.stringify(r))).success).toBe(true);
  });
  it('pdfsig agrees on the valid samples', () => {
    const v = pdfsigVerdicts(twoSigs);
    expect(v).toHaveLength(2);
    for (const s of v) expect(s).toEqual({ signature: 'Signature is Valid.', certificate: 'Certificate is Trusted.' });
  });
  it('pdfsig -add-signature (BER CMS, adbe.pkcs7.detached) passes', async () => {
    const r = await verify(signWithPdfsig(base));
    expect(r.overall).toBe('TOTAL_PASSED');
    expect(r.signatures[0]!.subFilter).toBe('adbe.pkcs7.detached');
    expect(r.signatures[0]!.signerIsOrganisation).toBe(true);
  });
  it.each([['rsa', 'sha256'], ['pss', 'sha256'], ['ecdsa', 'sha256'], ['rsa', 'sha384'], ['rsa', 'sha512']] as const)('PAdES %s with %s passes', async (alg, digest) => {
    const pdf = addSignature(base, { signer: identity(alg === 'ecdsa' ? 'ec' : 'rsa'), alg, digest, widget: { page: 0, rect } });
    const r = await verify(pdf);
    expect(r.overall).toBe('TOTAL_PASSED');
    expect(r.signatures[0]!.subFilter).toBe('ETSI.CAdES.detached');
  });
  it('reads a base file with xref streams and object streams', async () => {
    const r = await verify(addSignature(await makeBasePdf({ objectStreams: true }), { signer: identity('rsa'), widget: { page: 0, rect } }));
    expect(r.overall).toBe('TOTAL_PASSED');
  });
});

describe('timestamps', () => {
  it('a valid signature timestamp gives the signing time', async () => {
    const tsa = identity('tsa'); // issued first: the token time must not precede the TSA certificate
    const signer = identity('rsa');
    const time = new Date(Math.floor(Date.now() / 1000) * 1000 + 1000);
    const r = await verify(addSignature(base, { signer, tsa: { id: tsa, time } }));
    expect(r.overall).toBe('TOTAL_PASSED');
    expect(r.signatures[0]!.signingTimeSource).toBe('timestamp');
    expect(r.signatures[0]!.signingTime).toBe(isoVietnam(time));
    expect(r.signatures[0]!.timestamp).toMatchObject({ valid: true, tsaName: 'VANTHU Test TSA' });
  });
  it('a token from a certificate without the timeStamping EKU is not used', async () => {
    const r = await verify(addSignature(base, { signer: identity('rsa'), tsa: { id: identity('ec'), time: new Date(Date.now() + 1000) } }));
    expect(r.signatures[0]!.timestamp?.valid).toBe(false);
    expect(r.signatures[0]!.signingTimeSource).toBe('claimed');
    expect(r.signatures[0]!.warnings!.join(' ')).toContain('timeStamping');
  });
  it('a document timestamp validates against the ByteRange', async () => {
    const signed = addSignature(base, { signer: identity('rsa'), widget: { page: 0, rect } });
    const r = await verify(addSignature(signed, { signer: identity('tsa'), docTimestamp: true, tsa: { id: identity('tsa'), time: new Date(Date.now() + 1000) } }));
    expect(r.overall).toBe('TOTAL_PASSED');
    expect(r.signatures[1]!.isDocTimestamp).toBe(true);
    expect(r.signatures[0]!.changesAfter.every((c) => c.allowed)).toBe(true);
  });
});

describe('certificate problems are reported', () => {
  it('Đ3.2 untrusted root (rogue-leader) → INDETERMINATE / NO_CERTIFICATE_CHAIN_FOUND', async () => {
    const r = await verify(await signWithP12(base, { p12: 'rogue-leader' }));
    expect(r.signatures[0]).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'NO_CERTIFICATE_CHAIN_FOUND' });
    expect(r.signatures[0]!.summaryVi).toMatch(/^Không xác định — /);
    expect(r.signatures[0]!.signerName).toBe('Nguyễn Văn An'.normalize('NFC'));
  });
  it('wrong key usage → INDETERMINATE / CHAIN_CONSTRAINTS_FAILURE', async () => {
    const r = await verify(await signWithP12(base, { p12: 'wrong-ku' }));
    expect(r.signatures[0]).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'CHAIN_CONSTRAINTS_FAILURE' });
  });
  it('expired certificate with only a claimed time → INDETERMINATE / OUT_OF_BOUNDS_NO_POE', async () => {
    const r = await verify(addSignature(base, { signer: identity('agency-expired') }));
    expect(r.signatures[0]).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'OUT_OF_BOUNDS_NO_POE', signingTimeSource: 'claimed' });
  });
  it('expired certificate back-dated by a claimed /M is still not trusted (no proof of existence)', async () => {
    const r = await verify(addSignature(base, { signer: identity('agency-expired'), claimedTime: new Date('2020-06-01T00:00:00Z') }));
    // The test issuing CA itself did not exist in 2020, so this is NOT_YET_VALID; either way never valid.
    expect(r.signatures[0]!.indication).not.toBe('TOTAL_PASSED');
    expect(['OUT_OF_BOUNDS_NO_POE', 'NOT_YET_VALID']).toContain(r.signatures[0]!.subIndication);
  });
  it('expired at a time-stamped signing time → TOTAL_FAILED / EXPIRED', async () => {
    const r = await verify(addSignature(base, { signer: identity('agency-expired'), tsa: { id: identity('tsa'), time: new Date(Date.now() + 1000) } }));
    expect(r.signatures[0]).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'EXPIRED', signingTimeSource: 'timestamp' });
  });
  it('PAdES without the ESS signing-certificate-v2 attribute → INDETERMINATE / SIG_CONSTRAINTS_FAILURE', async () => {
    const r = await verify(addSignature(base, { signer: identity('rsa'), ess: false }));
    expect(r.signatures[0]).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'SIG_CONSTRAINTS_FAILURE' });
  });
  it('ESS bound to another certificate → INDETERMINATE / NO_SIGNING_CERTIFICATE_FOUND', async () => {
    const r = await verify(addSignature(base, { signer: identity('rsa'), essFor: identity('ec').cert }));
    expect(r.signatures[0]).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'NO_SIGNING_CERTIFICATE_FOUND' });
  });
});

describe('integrity', () => {
  it('Đ5.1, Đ7.1 one changed byte inside the signed range → TOTAL_FAILED / HASH_FAILURE', async () => {
    const pdf = Buffer.from(twoSigs);
    const at = pdf.indexOf('%', 5, 'latin1') + 1; // the binary comment on line 2
    pdf[at] = pdf[at]! ^ 0x01;
    const r = await verify(pdf);
    expect(r.signatures.map((s) => s.subIndication)).toEqual(['HASH_FAILURE', 'HASH_FAILURE']);
    expect(r.signatures[0]!.summaryVi).toBe('Không hợp lệ — nội dung đã bị thay đổi sau khi ký');
  });
  it('extractSignedRevision returns exactly the bytes the first signature covers, and it verifies alone', async () => {
    const r = await verify(twoSigs);
    const rev = extractSignedRevision(twoSigs, 0);
    expect(rev.length).toBe(r.signatures[0]!.revisionEnd);
    expect(rev.equals(twoSigs.subarray(0, rev.length))).toBe(true);
    const alone = await verify(rev);
    expect(alone.signatures).toHaveLength(1);
    expect(alone.overall).toBe('TOTAL_PASSED');
    expect(alone.signatures[0]!.coverage).toBe('ENTIRE_FILE');
  });
  it('a document without signatures is indeterminate with a plain sentence', async () => {
    const r = await verify(base);
    expect(r).toMatchObject({ overall: 'INDETERMINATE', signatures: [], summaryVi: 'Không xác định — văn bản không có chữ ký số.' });
  });
});
