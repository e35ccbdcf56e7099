import { constants, createHash, generateKeyPairSync, verify as nodeVerify, X509Certificate } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { afterAll, describe, expect, it } from 'vitest';
import { buildPadesCms } from '../../src-main/core/cms/signed-data';
import { oid } from '../../src-main/core/cms/der';
import { OID } from '../../src-main/core/cms/oids';
import type { SignatureAlgorithm } from '../../src-main/core/crypto/signer';
import { loadPki } from '../helpers/pki';
import { issuingChain, pemSigner, softwareSigner } from './helpers/software-signer';

const ab = (b: Uint8Array) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
const der = (o: { toSchema(): asn1js.AsnType }) => Buffer.from(o.toSchema().toBER(false));

/** The AlgorithmIdentifiers pkijs writes for each algorithm: what the hand-written DER must equal. */
function pkijsAlgorithm(alg: SignatureAlgorithm): Buffer {
  if (alg === 'RSA_PKCS1_SHA256') return der(new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256WithRSA, algorithmParams: new asn1js.Null() }));
  if (alg === 'ECDSA_SHA256') return der(new pkijs.AlgorithmIdentifier({ algorithmId: OID.ecdsaWithSha256 }));
  const sha256 = new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256, algorithmParams: new asn1js.Null() });
  const params = new pkijs.RSASSAPSSParams({
    hashAlgorithm: sha256,
    maskGenAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.mgf1, algorithmParams: sha256.toSchema() }),
    saltLength: 32,
  });
  return der(new pkijs.AlgorithmIdentifier({ algorithmId: OID.rsaPss, algorithmParams: params.toSchema() }));
}

describe('the CMS written as DER (cms/signed-data.ts)', () => {
  const pki = loadPki();
  const dir = mkdtempSync(join(tmpdir(), 'vanthu-cms-build-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes object identifiers as asn1js does', () => {
    for (const o of [...Object.values(OID), '2.5.4.3', '0.9.2342.19200300.100.1.25', '2.999.1', '1.2.840.113549.1.9.16.2.47', '2.16.840.1.101.3.4.2.1']) {
      expect(oid(o).toString('hex'), o).toBe(Buffer.from(new asn1js.ObjectIdentifier({ value: o }).toBER(false)).toString('hex'));
    }
    for (const bad of ['', '1', '3.1', '1.40', '1.2.x', '1..2']) expect(() => oid(bad), bad).toThrow();
  });

  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const cases: Array<[SignatureAlgorithm, () => ReturnType<typeof pemSigner>]> = [
    ['RSA_PKCS1_SHA256', () => pemSigner(pki, 'agency')],
    ['RSA_PSS_SHA256', () => pemSigner(pki, 'agency', 'RSA_PSS_SHA256')],
    // An EC key under a self-signed certificate: only the CMS shape is under test here.
    ['ECDSA_SHA256', () => {
      const keyPem = ec.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
      const keyFile = join(dir, 'ec.key');
      writeFileSync(keyFile, keyPem);
      const certPem = execFileSync('openssl', ['req', '-new', '-x509', '-key', keyFile, '-subj', '/CN=Thử EC/O=VANTHU', '-days', '2'], { encoding: 'utf8' });
      return softwareSigner(ec.privateKey, certPem, [], 'ECDSA_SHA256');
    }],
  ];

  for (const [alg, make] of cases) {
    it(`is read back by pkijs field by field, and the signature verifies over the signed attributes: ${alg}`, async () => {
      const signer = make();
      const digest = createHash('sha256').update(`tài liệu ${alg}`).digest();
      let signedBytes: Buffer | null = null;
      const cms = await buildPadesCms({ messageDigest: digest, signer: { ...signer, sign: async (d) => { signedBytes = d; return signer.sign(d); } }, intermediates: issuingChain(pki) });
      const ci = pkijs.ContentInfo.fromBER(ab(cms));
      expect(ci.contentType).toBe(OID.signedData);
      const sd = new pkijs.SignedData({ schema: ci.content });
      expect(Buffer.from(sd.toSchema().toBER(false)).equals(Buffer.from((ci.content as asn1js.AsnType).toBER(false)))).toBe(true);
      expect(sd.version).toBe(1);
      expect(sd.digestAlgorithms.map((a) => a.algorithmId)).toEqual([OID.sha256]);
      expect(sd.encapContentInfo.eContentType).toBe(OID.data);
      expect(sd.encapContentInfo.eContent).toBeUndefined();
      const certs = (sd.certificates ?? []) as pkijs.Certificate[];
      expect(Buffer.from(certs[0]!.toSchema().toBER(false)).equals(signer.certificate)).toBe(true);
      const si = sd.signerInfos[0]!;
      expect(sd.signerInfos).toHaveLength(1);
      const cert = pkijs.Certificate.fromBER(ab(signer.certificate));
      expect(si.sid).toBeInstanceOf(pkijs.IssuerAndSerialNumber);
      expect((si.sid as pkijs.IssuerAndSerialNumber).issuer.isEqual(cert.issuer)).toBe(true);
      expect((si.sid as pkijs.IssuerAndSerialNumber).serialNumber.isEqual(cert.serialNumber)).toBe(true);
      expect(si.digestAlgorithm.algorithmId).toBe(OID.sha256);
      expect(der(si.signatureAlgorithm).equals(pkijsAlgorithm(alg))).toBe(true);
      // The signed attributes: sorted as DER sorts a SET OF, the digest given, the certificate's hash.
      const attrs = si.signedAttrs!.attributes;
      const encodings = attrs.map((a) => der(a));
      expect([...encodings].sort(Buffer.compare)).toEqual(encodings);
      const byType = new Map(attrs.map((a) => [a.type, a.values[0]]));
      expect([...byType.keys()].sort()).toEqual([OID.contentType, OID.messageDigest, OID.signingCertificateV2].sort());
      expect((byType.get(OID.contentType) as asn1js.ObjectIdentifier).valueBlock.toString()).toBe(OID.data);
      expect(Buffer.from((byType.get(OID.messageDigest) as asn1js.OctetString).valueBlock.valueHexView).equals(digest)).toBe(true);
      // SigningCertificateV2 { certs { ESSCertIDv2 { certHash, IssuerSerial { { [4] issuer }, serial } } } }
      const kids = (b: asn1js.AsnType | undefined) => (b as asn1js.Sequence).valueBlock.value;
      const [certId] = kids(kids(byType.get(OID.signingCertificateV2))[0]);
      const [certHash, issuerSerial] = kids(certId);
      expect(Buffer.from((certHash as asn1js.OctetString).valueBlock.valueHexView).equals(createHash('sha256').update(signer.certificate).digest())).toBe(true);
      const [names, serial] = kids(issuerSerial);
      const directoryName = kids(names)[0] as asn1js.Constructed;
      expect(directoryName.idBlock.tagClass).toBe(3);
      expect(directoryName.idBlock.tagNumber).toBe(4);
      expect(new pkijs.RelativeDistinguishedNames({ schema: directoryName.valueBlock.value[0] }).isEqual(cert.issuer)).toBe(true);
      expect((serial as asn1js.Integer).isEqual(cert.serialNumber)).toBe(true);
      // The bytes signed are the attributes' SET OF, and what the CMS carries is them as [0] IMPLICIT.
      const signed = Buffer.from(si.signedAttrs!.toSchema().toBER(false));
      signed[0] = 0x31;
      expect(signed.equals(signedBytes!)).toBe(true);
      const key = new X509Certificate(signer.certificate).publicKey;
      const sig = Buffer.from(si.signature.valueBlock.valueHexView);
      expect(alg === 'RSA_PSS_SHA256' ? nodeVerify('sha256', signed, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, sig) : nodeVerify('sha256', signed, key, sig)).toBe(true);
      expect(si.unsignedAttrs).toBeUndefined();
    });
  }

  it('embeds a timestamp token as the unsigned attribute, byte for byte, and refuses one that is not one DER element', async () => {
    const signer = pemSigner(pki, 'agency');
    const token = readFileSync(join(pki.certs, 'issuing-ca.der')); // any one DER SEQUENCE stands in for the token
    const cms = await buildPadesCms({ messageDigest: Buffer.alloc(32, 7), signer, timestamp: async () => token });
    const sd = new pkijs.SignedData({ schema: pkijs.ContentInfo.fromBER(ab(cms)).content });
    const un = sd.signerInfos[0]!.unsignedAttrs!;
    expect(un.type).toBe(1);
    expect(un.attributes.map((a) => a.type)).toEqual([OID.signatureTimeStampToken]);
    expect(Buffer.from(un.attributes[0]!.values[0]!.toBER(false)).equals(token)).toBe(true);
    for (const bad of [Buffer.concat([token, Buffer.from([0])]), token.subarray(0, token.length - 1), Buffer.from([0x04, 0x01, 0x00])]) {
      await expect(buildPadesCms({ messageDigest: Buffer.alloc(32), signer, timestamp: async () => bad })).rejects.toThrow(/timestamp token/);
    }
  });
});
