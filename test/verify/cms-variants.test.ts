import { beforeAll, describe, expect, it } from 'vitest';
import { loadPki } from '../helpers/pki';
import { makeBasePdf } from '../fixtures-gen/base-pdf';
import { addSignature, buildCms, type PadesOptions } from '../fixtures-gen/pades';
import { identity } from '../fixtures-gen/test-certs';
import { largeCrl } from '../fixtures-gen/crl';
import { pdfsigVerdicts } from '../fixtures-gen/pdfsig';
import { extractSignatures, opensslVerify } from '../sign/helpers/oracles';
import { hashOf } from '../../src-main/core/verify/hashes';
import { cmsCertificates, withoutCertificateSets } from '../../src-main/core/trust/cms-certificates';
import { LEADER_RECT, verifyWithoutRevocation } from './helpers';

// Issue 9, classes 1 and 4: CMS shapes that real signers produce. Each file is generated here; where a
// reference tool (pdfsig) can judge it, its verdict is asserted beside ours.
const pki = loadPki();
const verify = verifyWithoutRevocation(pki);
let base: Buffer;
beforeAll(async () => { base = await makeBasePdf(); });

const sign = (opts: Partial<PadesOptions>): Buffer => addSignature(base, { signer: identity('rsa'), widget: { page: 0, rect: LEADER_RECT }, ...opts });
/** Flips one byte inside the signed part of the last revision (page content), keeping the file readable. */
function tamper(pdf: Buffer): Buffer {
  const out = Buffer.from(pdf);
  const at = out.indexOf('BT', 0, 'latin1');
  out[at + 3] = out[at + 3] === 0x31 ? 0x32 : 0x31;
  return out;
}

describe('class 1: RSA without signed attributes, adbe.pkcs7.sha1', () => {
  it('adbe.pkcs7.detached without signed attributes passes (the DigestInfo is compared, not re-hashed), as pdfsig says', async () => {
    const pdf = sign({ subFilter: 'adbe.pkcs7.detached', variant: { noSignedAttrs: true } });
    const r = await verify(pdf);
    expect(r.signatures[0]!.reasons).toEqual([]);
    expect(r.overall).toBe('TOTAL_PASSED');
    expect(pdfsigVerdicts(pdf)[0]!.signature).toBe('Signature is Valid.');
  });
  it('…and a changed byte in what it covers is a broken signature', async () => {
    const r = await verify(tamper(sign({ subFilter: 'adbe.pkcs7.detached', variant: { noSignedAttrs: true } })));
    expect(r.overall).toBe('TOTAL_FAILED');
    expect(r.signatures[0]!.subIndication).toBe('SIG_CRYPTO_FAILURE');
  });
  it('adbe.pkcs7.sha1 verifies cryptographically and is graded INDETERMINATE for SHA-1 only; tampering is a hash failure', async () => {
    const pdf = sign({ subFilter: 'adbe.pkcs7.sha1' });
    const r = await verify(pdf);
    expect(r.signatures[0]!.indication).toBe('INDETERMINATE');
    expect(r.signatures[0]!.subIndication).toBe('CRYPTO_CONSTRAINTS_FAILURE');
    expect(r.signatures[0]!.reasons.join()).toMatch(/SHA-1/);
    expect(pdfsigVerdicts(pdf)[0]!.signature).toBe('Signature is Valid.');
    const t = await verify(tamper(pdf));
    expect(t.signatures[0]!.indication).toBe('TOTAL_FAILED');
    expect(t.signatures[0]!.subIndication).toBe('HASH_FAILURE');
  });
  it('adbe.pkcs7.sha1 without signed attributes (plain RSA over the encapsulated digest) verifies too', async () => {
    const r = await verify(sign({ subFilter: 'adbe.pkcs7.sha1', variant: { noSignedAttrs: true } }));
    expect(r.signatures[0]!.subIndication).toBe('CRYPTO_CONSTRAINTS_FAILURE');
  });
});

describe('class 4: CMS variants', () => {
  it('a signer identified by subjectKeyIdentifier is found (certificate with and without the extension)', async () => {
    const pdf = sign({ variant: { sidBySki: true } });
    expect((await verify(pdf)).overall).toBe('TOTAL_PASSED');
    expect(opensslVerify(pki, extractSignatures(pdf)[0]!).ok).toBe(true);
    expect((await verify(sign({ signer: identity('rsa-no-ski'), variant: { sidBySki: true } }))).overall).toBe('TOTAL_PASSED');
  });
  it('a carried certificate written with BER indefinite lengths is read as its DER', async () => {
    const signer = identity('rsa');
    const pdf = sign({
      makeCms: (signed) => {
        const cms = buildCms(hashOf('sha256', Buffer.concat(signed)), { signer });
        const at = cms.indexOf(signer.cert);
        expect(at).toBeGreaterThan(0);
        expect(signer.cert.subarray(0, 2).toString('hex')).toBe('3082');
        // 30 82 LL LL → 30 80 … 00 00: the same length, so the enclosing lengths still hold.
        return Buffer.concat([cms.subarray(0, at), Buffer.from([0x30, 0x80]), signer.cert.subarray(4), Buffer.alloc(2), cms.subarray(at + signer.cert.length)]);
      },
    });
    const r = await verify(pdf);
    expect(r.signatures[0]!.reasons).toEqual([]);
    expect(r.overall).toBe('TOTAL_PASSED');
  });
  it.each(['ed25519', 'ed448'] as const)('%s signatures verify (Ed448 with its SHAKE256 digest); a changed byte fails', async (alg) => {
    const pdf = sign({ signer: identity(alg), alg });
    const r = await verify(pdf);
    expect(r.signatures[0]!.reasons).toEqual([]);
    expect(r.overall).toBe('TOTAL_PASSED');
    expect((await verify(tamper(pdf))).signatures[0]!.indication).toBe('TOTAL_FAILED');
  });
  it('SHAKE256 as the message digest under an RSA signature is a known digest (it used to be unknown)', async () => {
    const r = await verify(sign({ digest: 'shake256' }));
    expect(r.signatures[0]!.reasons).toEqual([]);
    expect(r.overall).toBe('TOTAL_PASSED');
  });
  it('an unknown signature algorithm is graded INDETERMINATE, not called forged', async () => {
    const id = identity('rsa');
    const oddAlg = (signed: Buffer[]) => {
      const der = buildCms(hashOf('sha256', ...signed), { signer: id });
      const oid = Buffer.from('06092a864886f70d01010b', 'hex'); // sha256WithRSAEncryption in the SignerInfo…
      const at = der.lastIndexOf(oid);
      return Buffer.concat([der.subarray(0, at), Buffer.from('06092a864886f70d01017f', 'hex'), der.subarray(at + oid.length)]); // …made an unassigned arc
    };
    const r = await verify(sign({ makeCms: oddAlg }));
    expect(r.signatures[0]!.indication).toBe('INDETERMINATE');
    expect(r.signatures[0]!.subIndication).toBe('CRYPTO_CONSTRAINTS_FAILURE');
    expect(r.signatures[0]!.reasons.join()).toMatch(/unsupported signature algorithm/);
  });
  it('a CMS with a 6,000-entry embedded CRL is read', async () => {
    const crl = largeCrl(6_000);
    expect(crl.length).toBeGreaterThan(120_000);
    const r = await verify(sign({ variant: { crls: [crl] }, contentsBytes: crl.length + 16_384 }));
    expect(r.signatures[0]!.reasons).toEqual([]);
    expect(r.overall).toBe('TOTAL_PASSED');
  });
  it('plain DER: the certificate and CRL sets are cut out before asn1js reads the rest, which keeps every other byte', () => {
    const crl = largeCrl(2_000);
    const der = buildCms(Buffer.alloc(32, 7), { signer: identity('rsa'), variant: { crls: [crl] } });
    const split = withoutCertificateSets(Buffer.concat([der, Buffer.alloc(64)]), 1_000_000)!;
    expect(split.certificates).toEqual(cmsCertificates(der)!.certificates);
    expect(split.certificates.length).toBeGreaterThan(0);
    expect(cmsCertificates(split.rest)!.certificates).toEqual([]);
    expect(der.length - split.rest.length).toBeGreaterThan(crl.length);
    // What remains (version, digest algorithms, content, SignerInfos) is carried over byte for byte.
    const infos = der.subarray(der.length - 300);
    expect(split.rest.includes(infos)).toBe(true);
    // BER (an indefinite length) is not cut here: the verifier's full parse reads it.
    expect(withoutCertificateSets(Buffer.concat([Buffer.from([0x30, 0x80]), der.subarray(2 + (der[1]! & 0x7f)), Buffer.alloc(2)]), 1_000_000)).toBeNull();
  });
  it.each([
    ['duplicate signed attributes', { variant: { duplicateAttribute: true } }, /appears twice/],
    ['two SignerInfos', { variant: { secondSignerInfo: true } }, /2 SignerInfos/],
  ] as const)('%s: INDETERMINATE with the reason, not a format failure', async (_, opts, why) => {
    const r = await verify(sign(opts));
    expect(r.signatures[0]!.indication).toBe('INDETERMINATE');
    expect(r.signatures[0]!.subIndication).toBe('SIG_CONSTRAINTS_FAILURE');
    expect(r.signatures[0]!.reasons.join()).toMatch(why);
    expect(r.signatures[0]!.summaryVi).toMatch(/cấu trúc bất thường/);
  });
  it('encapsulated content: the document digest as eContent is graded; unrelated content never passes', async () => {
    const id = identity('rsa');
    const asDigest = (signed: Buffer[]) => { const inner = hashOf('sha256', ...signed); return buildCms(hashOf('sha256', inner), { signer: id }, { type: '1.2.840.113549.1.7.1', content: inner }); };
    const unrelated = () => { const other = Buffer.from('some other text'); return buildCms(hashOf('sha256', other), { signer: id }, { type: '1.2.840.113549.1.7.1', content: other }); };
    const a = await verify(sign({ makeCms: asDigest }));
    expect(a.signatures[0]!.indication).toBe('INDETERMINATE');
    expect(a.signatures[0]!.reasons.join()).toMatch(/encapsulated content/);
    const b = await verify(sign({ makeCms: unrelated }));
    expect(b.signatures[0]!.indication).toBe('INDETERMINATE');
    expect(b.signatures[0]!.reasons.join()).toMatch(/not the document bytes/);
  });
});

describe('graded answers', () => {
  it('an unknown /SubFilter (e.g. adbe.x509.rsa_sha1) is INDETERMINATE with the reason, not forged', async () => {
    const pdf = sign({});
    const at = pdf.indexOf('/SubFilter /ETSI.CAdES.detached', 0, 'latin1');
    pdf.write('/SubFilter /adbe.x509.rsa_sha1  ', at, 'latin1');
    const r = await verify(pdf);
    expect(r.signatures[0]!.indication).toBe('INDETERMINATE');
    expect(r.signatures[0]!.subIndication).toBe('FORMAT_FAILURE');
    expect(r.signatures[0]!.summaryVi).toMatch(/chưa được hỗ trợ/);
  });
});
