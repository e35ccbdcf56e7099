import { createHash, verify as cryptoVerify, constants, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { parseCert, sha256, type Cert } from './certs';

export const CMS_OID = {
  signedData: '1.2.840.113549.1.7.2',
  data: '1.2.840.113549.1.7.1',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificate: '1.2.840.113549.1.9.16.2.12',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  signatureTimeStamp: '1.2.840.113549.1.9.16.2.14',
  revocationArchival: '1.2.840.113583.1.1.8',
} as const;

const DIGESTS: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

const SIG_HASH: Record<string, string> = {
  '1.2.840.113549.1.1.5': 'sha1',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.1': 'sha1',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
};

export function digestName(oid: string): string | null { return DIGESTS[oid] ?? null; }

/** Why a CMS blob failed, in the terms of the ETSI sub-indications. */
export type CmsFailure = 'FORMAT_FAILURE' | 'HASH_FAILURE' | 'SIG_CRYPTO_FAILURE' | 'NO_SIGNING_CERTIFICATE_FOUND' | 'CRYPTO_CONSTRAINTS_FAILURE';

export interface CmsResult {
  ok: boolean;
  failure?: CmsFailure;
  reasons: string[];
  warnings: string[];
  signer: Cert | null;
  certificates: Cert[];
  digestAlgorithm: string | null;
  signatureAlgorithm: string | null;
  signingTime: Date | null;
  /** The SignerInfo signature value (for the timestamp imprint). */
  signatureValue: Buffer | null;
  /** Unsigned attributes by OID: raw asn1 values. */
  unsigned: Map<string, asn1js.AsnType[]>;
  /** Encapsulated content (TSTInfo for timestamp tokens). */
  eContent: Buffer | null;
  /** Content type in the encapsulated content info. */
  eContentType: string | null;
  /** Signed attribute values by OID. */
  signedAttrs: Map<string, asn1js.AsnType[]>;
}

/** Hash of the detached content, computed by the caller (streamed over the ByteRange). */
export type ContentDigester = (hashName: string) => Buffer;

function fail(r: CmsResult, failure: CmsFailure, reason: string): CmsResult {
  r.ok = false;
  r.failure ??= failure;
  r.reasons.push(reason);
  return r;
}

function octets(o: asn1js.AsnType | undefined): Buffer | null {
  if (!(o instanceof asn1js.OctetString)) return null;
  if (o.idBlock.isConstructed) {
    const parts = (o.valueBlock.value as asn1js.OctetString[]).map((p) => Buffer.from(p.valueBlock.valueHexView));
    return Buffer.concat(parts);
  }
  return Buffer.from(o.valueBlock.valueHexView);
}

/**
 * Parses and verifies a CMS SignedData with exactly one SignerInfo. For detached content the caller
 * hashes it (`digest`); for encapsulated content (timestamp tokens) it is hashed here. Checks
 * contentType and messageDigest, the signature over DER(signedAttrs) and the ESS signing-certificate
 * binding. It does not build chains.
 */
export function verifyCms(der: Buffer, digest: ContentDigester | null): CmsResult {
  const r: CmsResult = {
    ok: true, reasons: [], warnings: [], signer: null, certificates: [], digestAlgorithm: null, signatureAlgorithm: null,
    signingTime: null, signatureValue: null, unsigned: new Map(), eContent: null, eContentType: null, signedAttrs: new Map(),
  };
  let sd: pkijs.SignedData;
  try {
    const asn = asn1js.fromBER(new Uint8Array(der));
    if (asn.offset === -1) return fail(r, 'FORMAT_FAILURE', `CMS is not BER: ${asn.result.error}`);
    const ci = new pkijs.ContentInfo({ schema: asn.result });
    if (ci.contentType !== CMS_OID.signedData) return fail(r, 'FORMAT_FAILURE', `CMS content type ${ci.contentType} is not signedData`);
    sd = new pkijs.SignedData({ schema: ci.content });
  } catch (e) {
    return fail(r, 'FORMAT_FAILURE', `CMS does not parse: ${(e as Error).message}`);
  }
  if (sd.signerInfos.length !== 1) return fail(r, 'FORMAT_FAILURE', `CMS has ${sd.signerInfos.length} SignerInfos, expected exactly one`);
  for (const c of sd.certificates ?? []) {
    if (c instanceof pkijs.Certificate) {
      try { r.certificates.push(parseCert(Buffer.from(c.toSchema().toBER(false)))); } catch { r.warnings.push('an embedded certificate does not parse'); }
    }
  }
  r.eContentType = sd.encapContentInfo.eContentType;
  r.eContent = sd.encapContentInfo.eContent ? octets(sd.encapContentInfo.eContent) : null;
  if (digest && r.eContent) return fail(r, 'FORMAT_FAILURE', 'detached signature carries encapsulated content');
  const si = sd.signerInfos[0]!;
  r.digestAlgorithm = digestName(si.digestAlgorithm.algorithmId);
  r.signatureAlgorithm = si.signatureAlgorithm.algorithmId;
  r.signatureValue = Buffer.from(si.signature.valueBlock.valueHexView);
  if (!r.digestAlgorithm) return fail(r, 'CRYPTO_CONSTRAINTS_FAILURE', `unknown digest algorithm ${si.digestAlgorithm.algorithmId}`);
  for (const a of si.unsignedAttrs?.attributes ?? []) r.unsigned.set(a.type, a.values);

  // Signer certificate: by issuer+serial or by subject key identifier.
  r.signer = findSigner(si, r.certificates);
  if (!r.signer) return fail(r, 'NO_SIGNING_CERTIFICATE_FOUND', 'the signer certificate is not in the CMS');

  const contentHash = (name: string): Buffer => (digest ? digest(name) : createHash(name).update(r.eContent ?? Buffer.alloc(0)).digest());
  const key = r.signer.x509.publicKey;
  if (si.signedAttrs) {
    for (const a of si.signedAttrs.attributes) {
      if (r.signedAttrs.has(a.type)) return fail(r, 'FORMAT_FAILURE', `signed attribute ${a.type} appears twice`);
      r.signedAttrs.set(a.type, a.values);
    }
    const ct = r.signedAttrs.get(CMS_OID.contentType)?.[0];
    const md = octets(r.signedAttrs.get(CMS_OID.messageDigest)?.[0]);
    if (!(ct instanceof asn1js.ObjectIdentifier)) return fail(r, 'FORMAT_FAILURE', 'signed attributes lack contentType');
    if (ct.valueBlock.toString() !== r.eContentType) return fail(r, 'FORMAT_FAILURE', 'contentType attribute differs from the encapsulated content type');
    if (!md) return fail(r, 'FORMAT_FAILURE', 'signed attributes lack messageDigest');
    if (!md.equals(contentHash(r.digestAlgorithm))) return fail(r, 'HASH_FAILURE', 'messageDigest does not match the signed bytes');
    const st = r.signedAttrs.get(CMS_OID.signingTime)?.[0];
    if (st instanceof asn1js.UTCTime || st instanceof asn1js.GeneralizedTime) r.signingTime = st.toDate();
    // DER(SET OF Attribute): the [0] IMPLICIT bytes as received, tag changed to SET (RFC 5652 §5.4).
    const tbs = Buffer.from(si.signedAttrs.encodedValue);
    tbs[0] = 0x31;
    const ok = verifyRaw(r, si, key, (h) => ({ kind: 'data', data: tbs, hash: h }));
    if (!ok) return fail(r, 'SIG_CRYPTO_FAILURE', 'the signature value does not verify with the signer key');
    checkEss(r);
  } else {
    if (!digest) return fail(r, 'FORMAT_FAILURE', 'timestamp token without signed attributes');
    r.warnings.push('no signed attributes: the signature is over the document digest directly');
    const ok = verifyRaw(r, si, key, (h) => ({ kind: 'digest', digest: contentHash(h), hash: h }));
    if (!ok) return fail(r, 'SIG_CRYPTO_FAILURE', 'the signature value does not verify with the signer key');
  }
  if (r.digestAlgorithm === 'sha1') r.warnings.push('SHA-1 digest');
  return r;
}

function findSigner(si: pkijs.SignerInfo, certs: Cert[]): Cert | null {
  if (si.sid instanceof pkijs.IssuerAndSerialNumber) {
    const sid = si.sid;
    return certs.find((c) => c.pkijs.issuer.isEqual(sid.issuer) && c.pkijs.serialNumber.isEqual(sid.serialNumber)) ?? null;
  }
  const ski = octets(si.sid as asn1js.OctetString);
  if (!ski) return null;
  return certs.find((c) => {
    const e = c.pkijs.extensions?.find((x) => x.extnID === '2.5.29.14');
    const v = e ? octets(e.parsedValue as asn1js.OctetString) : null;
    return v?.equals(ski) ?? false;
  }) ?? null;
}

type Tbs = { kind: 'data'; data: Buffer; hash: string } | { kind: 'digest'; digest: Buffer; hash: string };

function verifyRaw(r: CmsResult, si: pkijs.SignerInfo, key: KeyObject, tbsFor: (hash: string) => Tbs): boolean {
  const alg = si.signatureAlgorithm.algorithmId;
  const sig = r.signatureValue!;
  let hash = SIG_HASH[alg] ?? r.digestAlgorithm!;
  let options: { padding?: number; saltLength?: number } = {};
  if (alg === '1.2.840.113549.1.1.10') {
    try {
      const p = new pkijs.RSASSAPSSParams({ schema: si.signatureAlgorithm.algorithmParams });
      hash = digestName(p.hashAlgorithm.algorithmId) ?? 'sha1';
      options = { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: p.saltLength };
    } catch {
      r.reasons.push('bad RSASSA-PSS parameters');
      return false;
    }
  } else if (!(alg in SIG_HASH) && alg !== '1.2.840.113549.1.1.1' && alg !== '1.2.840.10045.2.1') {
    r.reasons.push(`unsupported signature algorithm ${alg}`);
    return false;
  }
  if (hash === 'sha1') r.warnings.push('SHA-1 signature algorithm');
  const tbs = tbsFor(hash);
  try {
    if (tbs.kind === 'data') return cryptoVerify(hash, tbs.data, { key, ...options }, sig);
    // Without signed attributes the signature covers the content hash; verify from the precomputed digest.
    return verifyDigest(hash, tbs.digest, key, options, sig);
  } catch {
    return false;
  }
}

/**
 * Verifies a signature from a precomputed digest: ECDSA signs the digest itself; RSA PKCS#1 v1.5 signs
 * DigestInfo(digest). PSS without signed attributes is not supported (never produced in practice).
 */
function verifyDigest(hash: string, digest: Buffer, key: KeyObject, options: { padding?: number; saltLength?: number }, sig: Buffer): boolean {
  if (key.asymmetricKeyType === 'ec') return cryptoVerify(null, digest, key, sig);
  if (options.padding === constants.RSA_PKCS1_PSS_PADDING) return false;
  const prefixes: Record<string, string> = {
    sha1: '3021300906052b0e03021a05000414',
    sha256: '3031300d060960864801650304020105000420',
    sha384: '3041300d060960864801650304020205000430',
    sha512: '3051300d060960864801650304020305000440',
  };
  const p = prefixes[hash];
  if (!p) return false;
  return cryptoVerify(null, Buffer.concat([Buffer.from(p, 'hex'), digest]), { key, padding: constants.RSA_PKCS1_PADDING }, sig);
}

/** ESS signing-certificate(-v2): the first certHash must be the hash of the signer certificate. */
function checkEss(r: CmsResult): void {
  const v2 = r.signedAttrs.get(CMS_OID.signingCertificateV2)?.[0];
  const v1 = r.signedAttrs.get(CMS_OID.signingCertificate)?.[0];
  const attr = v2 ?? v1;
  if (!attr) { r.warnings.push('no ESS signing-certificate attribute'); return; }
  try {
    const seq = attr as asn1js.Sequence;
    const certs = seq.valueBlock.value[0] as asn1js.Sequence;
    const first = certs.valueBlock.value[0] as asn1js.Sequence;
    let hashName = v2 ? 'sha256' : 'sha1';
    let i = 0;
    const items = first.valueBlock.value;
    if (v2 && items[0] instanceof asn1js.Sequence) {
      const alg = new pkijs.AlgorithmIdentifier({ schema: items[0] });
      hashName = digestName(alg.algorithmId) ?? '';
      i = 1;
    }
    const h = octets(items[i]);
    if (!hashName || !h) { fail(r, 'FORMAT_FAILURE', 'malformed ESS signing-certificate attribute'); return; }
    const actual = hashName === 'sha256' ? sha256(r.signer!.der) : createHash(hashName).update(r.signer!.der).digest();
    if (!actual.equals(h)) fail(r, 'NO_SIGNING_CERTIFICATE_FOUND', 'the ESS signing-certificate hash does not match the signer certificate');
  } catch {
    fail(r, 'FORMAT_FAILURE', 'malformed ESS signing-certificate attribute');
  }
}

export function hasEss(r: CmsResult): boolean {
  return r.signedAttrs.has(CMS_OID.signingCertificateV2) || r.signedAttrs.has(CMS_OID.signingCertificate);
}
