/**
 * The verifier reads SignedData by walking asn1js's tree (verify/signed-data.ts) instead of matching it
 * against pkijs's schemas. For every CMS shape the fixtures make, and for thousands of damaged copies,
 * the walk must read what pkijs reads, and refuse only what pkijs refuses too (or, for a malformed
 * encapsulated content, what RFC 5652 does not allow).
 */
import { spawnSync } from 'node:child_process';
import { constants, createHash, sign as cryptoSign } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { describe, expect, it } from 'vitest';
import { verifyCms } from '../../src-main/core/verify/cms';
import { loadTrustAnchors, verifyPdf } from '../../src-main/core/verify/index';
import { makeBasePdf } from '../fixtures-gen/base-pdf';
import { addSignature } from '../fixtures-gen/pades';
import { loadPki } from '../helpers/pki';
import { hashOf } from '../../src-main/core/verify/hashes';
import { readContentInfo, readSignedData, SignedDataError, type SignedDataView } from '../../src-main/core/verify/signed-data';
import { buildCms, buildTimestampToken } from '../fixtures-gen/pades';
import { identity } from '../fixtures-gen/test-certs';
import { rng } from '../helpers/rng';

const der = (b: { toBER(sizeOnly?: boolean): ArrayBuffer }) => Buffer.from(b.toBER(false)).toString('hex');
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/**
 * What the verifier takes from a SignedData, as read by pkijs — without the certificate and CRL sets,
 * which the verifier takes out before either reads the rest (cms.ts takeCertificateSets).
 */
function byPkijs(root: asn1js.AsnType) {
  const ci = new pkijs.ContentInfo({ schema: root });
  const content = ci.content as asn1js.Sequence;
  content.valueBlock.value = content.valueBlock.value.filter((b) => !(b.idBlock.tagClass === 3 && b.idBlock.tagNumber <= 1 && b.idBlock.isConstructed));
  const sd = new pkijs.SignedData({ schema: content });
  const eContent = sd.encapContentInfo.eContent;
  return {
    contentType: ci.contentType,
    eContentType: sd.encapContentInfo.eContentType,
    eContent: eContent ? hex(Buffer.concat(eContent.idBlock.isConstructed ? (eContent.valueBlock.value as asn1js.OctetString[]).map((p) => Buffer.from(p.valueBlock.valueHexView)) : [Buffer.from(eContent.valueBlock.valueHexView)])) : null,
    signerInfos: sd.signerInfos.map((si) => ({
      sid: si.sid instanceof pkijs.IssuerAndSerialNumber
        ? { issuer: hex(new Uint8Array(si.sid.issuer.valueBeforeDecode)), serial: hex(si.sid.serialNumber.valueBlock.valueHexView) }
        : { keyId: hex(((si.sid as asn1js.Constructed).valueBlock.value[0] as asn1js.OctetString).valueBlock.valueHexView) },
      digestAlgorithm: si.digestAlgorithm.algorithmId,
      signedAttrs: si.signedAttrs ? { encoded: hex(new Uint8Array(si.signedAttrs.encodedValue)), attributes: si.signedAttrs.attributes.map((a) => ({ type: a.type, values: a.values.map(der) })) } : null,
      signatureAlgorithm: { oid: si.signatureAlgorithm.algorithmId, params: si.signatureAlgorithm.algorithmParams ? der(si.signatureAlgorithm.algorithmParams) : null },
      signature: hex(si.signature.valueBlock.valueHexView),
      unsignedAttrs: (si.unsignedAttrs?.attributes ?? []).map((a) => ({ type: a.type, values: a.values.map(der) })),
    })),
  };
}

function byWalk(root: asn1js.AsnType) {
  const ci = readContentInfo(root);
  const sd: SignedDataView = readSignedData(ci.content);
  return {
    contentType: ci.contentType,
    eContentType: sd.eContentType,
    eContent: sd.eContent ? hex(sd.eContent) : null,
    signerInfos: sd.signerInfos.map((si) => ({
      sid: si.sid.kind === 'issuerAndSerial' ? { issuer: hex(si.sid.issuer.valueBeforeDecodeView), serial: hex(si.sid.serial) } : { keyId: hex(si.sid.keyId) },
      digestAlgorithm: si.digestAlgorithm.oid,
      // pkijs keeps the encoding with its tag already turned into SET's (what is signed); the walk keeps it as received.
      signedAttrs: si.signedAttrs ? { encoded: hex(Buffer.concat([Buffer.from([0x31]), si.signedAttrs.encoded.subarray(1)])), attributes: si.signedAttrs.attributes.map((a) => ({ type: a.type, values: a.values.map(der) })) } : null,
      signatureAlgorithm: { oid: si.signatureAlgorithm.oid, params: si.signatureAlgorithm.params ? der(si.signatureAlgorithm.params) : null },
      signature: hex(si.signature),
      unsignedAttrs: si.unsignedAttrs.map((a) => ({ type: a.type, values: a.values.map(der) })),
    })),
  };
}

const parse = (b: Buffer) => asn1js.fromBER(new Uint8Array(b));
/** asn1js throws on some damaged strings; the verifier's parse is inside its own try. */
const tryParse = (b: Buffer) => { try { return parse(b); } catch { return null; } };

describe('reading SignedData by walking the tree (verify/signed-data.ts)', () => {
  const digest = createHash('sha256').update('văn bản').digest();
  const tsa = { id: identity('tsa'), time: new Date('2026-12-01T03:00:00Z') };
  const corpus: Array<[string, Buffer]> = [
    ['rsa', buildCms(digest, { signer: identity('rsa') })],
    ['ecdsa', buildCms(digest, { signer: identity('ec'), alg: 'ecdsa' })],
    ['pss', buildCms(digest, { signer: identity('rsa'), alg: 'pss' })],
    ['ed25519', buildCms(digest, { signer: identity('ed25519'), alg: 'ed25519' })],
    ['sid by SKI', buildCms(digest, { signer: identity('rsa'), variant: { sidBySki: true } })],
    ['no signed attributes', buildCms(digest, { signer: identity('rsa'), variant: { noSignedAttrs: true } })],
    ['duplicate attribute, signing time', buildCms(digest, { signer: identity('rsa'), signingTime: new Date('2026-12-01T00:00:00Z'), variant: { duplicateAttribute: true } })],
    ['with a timestamp', buildCms(digest, { signer: identity('rsa'), tsa })],
    ['encapsulated', buildCms(digest, { signer: identity('rsa') }, { type: '1.2.840.113549.1.7.1', content: Buffer.from('nội dung') })],
    ['timestamp token', buildTimestampToken(digest, tsa.id, tsa.time)],
  ];

  for (const [name, cms] of corpus) {
    it(`reads what pkijs reads: ${name}`, () => {
      const asn = parse(cms);
      expect(asn.offset).not.toBe(-1);
      expect(byWalk(asn.result)).toEqual(byPkijs(asn.result));
    });
  }

  it('on damaged copies, accepts only what pkijs accepts, and reads it the same', () => {
    const random = rng(20261206);
    let compared = 0;
    let refusedBoth = 0;
    const refusedByWalkOnly: Array<{ refusal: string; bytes: Buffer }> = [];
    for (let n = 0; n < 3000; n++) {
      const [, base] = corpus[n % corpus.length]!;
      const b = Buffer.from(base);
      for (let k = 1 + Math.floor(random() * 3); k > 0; k--) b[Math.floor(random() * b.length)] = Math.floor(random() * 256);
      const asn = tryParse(b);
      if (!asn || asn.offset === -1) continue;
      let walk: ReturnType<typeof byWalk> | null = null;
      let refusal = '';
      try { walk = byWalk(asn.result); } catch (e) { expect(e).toBeInstanceOf(SignedDataError); refusal = (e as Error).message; }
      let reference: ReturnType<typeof byPkijs> | null = null;
      try { reference = byPkijs(asn.result); } catch { /* refused */ }
      if (walk) {
        expect(reference, `pkijs refuses what the walk accepts (copy ${n})`).not.toBeNull();
        expect(walk).toEqual(reference);
        compared++;
      } else if (!reference) refusedBoth++;
      else refusedByWalkOnly.push({ refusal, bytes: b });
    }
    // Where the walk is stricter than pkijs (an AlgorithmIdentifier or Attribute with extra elements, a
    // primitive where a SET belongs, an issuer that is no Name), OpenSSL refuses the CMS too.
    for (const { refusal, bytes } of refusedByWalkOnly) {
      const r = spawnSync('openssl', ['cms', '-cmsout', '-inform', 'DER', '-noout'], { input: bytes });
      expect(r.status, `OpenSSL reads a CMS the walk refuses (${refusal})`).not.toBe(0);
    }
    // The damage must reach both sides: some copies read (most damage breaks the BER itself, or lands
    // in the certificates, which neither reads here), some refused.
    expect(compared, `refused by both: ${refusedBoth}`).toBeGreaterThan(50);
    expect(refusedBoth).toBeGreaterThan(30);
  });
});

describe('what the SignerInfo fields may be (verifyCms)', () => {
  const content = Buffer.from('văn bản');
  const signed = { digest: (h: string) => hashOf(h, content), chunks: () => [content] };
  const signer = identity('rsa');
  const base = buildCms(hashOf('sha256', content), { signer });
  /** A CMS with its SignerInfo's signature algorithm and value replaced (the value made by `sign` over the signed attributes). */
  const withSignature = (algorithm: asn1js.AsnType, sign: (tbs: Buffer) => asn1js.AsnType, cms = base): Buffer => {
    const root = parse(cms).result as asn1js.Sequence;
    const sd = (root.valueBlock.value[1] as asn1js.Constructed).valueBlock.value[0] as asn1js.Sequence;
    const si = (sd.valueBlock.value.at(-1) as asn1js.Set).valueBlock.value[0] as asn1js.Sequence;
    const f = si.valueBlock.value;
    const tbs = Buffer.from(f[3]!.toBER(false));
    tbs[0] = 0x31;
    f[4] = algorithm;
    f[5] = sign(tbs);
    return Buffer.from(root.toBER(false));
  };
  const octet = (b: Buffer) => new asn1js.OctetString({ valueHex: new Uint8Array(b).buffer });

  it('judges the unchanged CMS as verified (the edits below are what fails)', () => {
    const same = withSignature(new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: '1.2.840.113549.1.1.11' }), new asn1js.Null()] }), (tbs) => octet(cryptoSign('sha256', tbs, signer.key)));
    expect(verifyCms(same, signed)).toMatchObject({ ok: true, signatureHash: 'sha256' });
  });

  it('reports SHA-1 as the signature hash, which the signature grading refuses like a SHA-1 digest', async () => {
    const sha1Algorithm = () => new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: '1.2.840.113549.1.1.5' }), new asn1js.Null()] });
    const sha1 = (tbs: Buffer) => octet(cryptoSign('sha1', tbs, signer.key));
    expect(verifyCms(withSignature(sha1Algorithm(), sha1), signed)).toMatchObject({ ok: true, digestAlgorithm: 'sha256', signatureHash: 'sha1' });
    const pdf = addSignature(await makeBasePdf(), {
      signer, makeCms: (parts) => withSignature(sha1Algorithm(), sha1, buildCms(hashOf('sha256', Buffer.concat(parts)), { signer })),
    });
    const report = await verifyPdf(pdf, { trustAnchors: loadTrustAnchors(loadPki().trustDir), revocation: 'skip' });
    expect(report.signatures[0]).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'CRYPTO_CONSTRAINTS_FAILURE' });
  });

  it('refuses RSASSA-PSS without its parameters (their DEFAULTs would be SHA-1)', () => {
    const pss = withSignature(new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: '1.2.840.113549.1.1.10' })] }),
      (tbs) => octet(cryptoSign('sha1', tbs, { key: signer.key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 20 })));
    expect(verifyCms(pss, signed)).toMatchObject({ ok: false, failure: 'CRYPTO_CONSTRAINTS_FAILURE' });
  });

  it('refuses a signature value split into a constructed OCTET STRING, as pkijs did', () => {
    const split = withSignature(new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: '1.2.840.113549.1.1.11' }), new asn1js.Null()] }), (tbs) => {
      const sig = cryptoSign('sha256', tbs, signer.key);
      return new asn1js.OctetString({ isConstructed: true, idBlock: { isConstructed: true }, value: [octet(sig.subarray(0, 100)), octet(sig.subarray(100))] } as never);
    });
    expect(verifyCms(split, signed)).toMatchObject({ ok: false, failure: 'FORMAT_FAILURE' });
  });
});
