import { createVerify, publicDecrypt, verify as cryptoVerify, constants, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import { berNodeLimit, parseBer } from './ber';
import pkijs from 'pkijs';
import { parseCert, sameName, sha256, type Cert } from './certs';
import { EXT, subjectKeyId } from '../crypto/cert-fields';
import { withoutCertificateSets } from '../trust/cms-certificates';
import { digestName, hashOf } from './hashes';
import { octets, readContentInfo, readSignedData, type SignedDataView, type SignerInfoView } from './signed-data';

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

const SIG_HASH: Record<string, string> = {
  '1.2.840.113549.1.1.5': 'sha1',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.113549.1.1.14': 'sha224',
  '1.2.840.10045.4.1': 'sha1',
  '1.2.840.10045.4.3.1': 'sha224',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
};
const RSA_ENCRYPTION = '1.2.840.113549.1.1.1';
const RSA_PSS = '1.2.840.113549.1.1.10';
const EC_PUBLIC_KEY = '1.2.840.10045.2.1';
/** EdDSA (RFC 8419): the algorithm names the curve; the signature is over the message itself. */
const EDDSA: Record<string, string> = { '1.3.101.112': 'ed25519', '1.3.101.113': 'ed448' };

export { digestName } from './hashes';

/**
 * Why a CMS blob failed, in the terms of the ETSI sub-indications. FORMAT_FAILURE here means the blob
 * cannot be read as a signature at all; an unusual but readable structure is an `unusual` finding.
 */
export type CmsFailure = 'FORMAT_FAILURE' | 'HASH_FAILURE' | 'SIG_CRYPTO_FAILURE' | 'NO_SIGNING_CERTIFICATE_FOUND' | 'CRYPTO_CONSTRAINTS_FAILURE';

export interface CmsResult {
  ok: boolean;
  failure?: CmsFailure;
  reasons: string[];
  warnings: string[];
  /**
   * Structure the reference validators grade rather than reject (duplicate signed attributes, several
   * SignerInfos, encapsulated content in a detached signature): the signature verified, but the
   * caller answers INDETERMINATE with these reasons.
   */
  unusual: string[];
  signer: Cert | null;
  certificates: Cert[];
  digestAlgorithm: string | null;
  signatureAlgorithm: string | null;
  /** The hash the signature value is computed with (null for EdDSA, or when the algorithm is unknown). */
  signatureHash: string | null;
  signingTime: Date | null;
  /** The SignerInfo signature value (for the timestamp imprint). */
  signatureValue: Buffer | null;
  /** Unsigned attributes by OID: raw asn1 values. */
  unsigned: Map<string, asn1js.AsnType[]>;
  /** Encapsulated content (TSTInfo for timestamp tokens). */
  eContent: Buffer | null;
  /** Content type in the encapsulated content info. */
  eContentType: string | null;
  /** Signed attribute values by OID (the first occurrence of each). */
  signedAttrs: Map<string, asn1js.AsnType[]>;
}

/**
 * The detached content a signature covers, supplied by the caller: its digest (streamed over the
 * ByteRange once per algorithm) and, for algorithms that sign the message rather than a digest of it
 * (EdDSA, or ECDSA/PSS without signed attributes), the bytes themselves as chunks.
 */
export interface SignedContent {
  digest(hashName: string): Buffer;
  chunks(): Buffer[];
}

/** How the document bytes are bound: detached (PAdES, adbe.pkcs7.detached), or adbe.pkcs7.sha1 (eContent = SHA-1 of the bytes). */
export type CmsMode = 'detached' | 'sha1-encapsulated';

function fail(r: CmsResult, failure: CmsFailure, reason: string): CmsResult {
  r.ok = false;
  r.failure ??= failure;
  r.reasons.push(reason);
  return r;
}

function bytesContent(b: Buffer): SignedContent {
  return { digest: (h) => hashOf(h, b), chunks: () => [b] };
}

/**
 * Parses and verifies a CMS SignedData. For detached content the caller supplies it (`content`); for
 * encapsulated content (timestamp tokens, adbe.pkcs7.sha1) the eContent is the signed message. Checks
 * contentType and messageDigest, the signature (over DER(signedAttrs), or over the content itself when
 * there are no signed attributes) and the ESS signing-certificate binding. It does not build chains.
 */
export function verifyCms(der: Buffer, content: SignedContent | null, mode: CmsMode = 'detached'): CmsResult {
  const r: CmsResult = {
    ok: true, reasons: [], warnings: [], unusual: [], signer: null, certificates: [], digestAlgorithm: null, signatureAlgorithm: null, signatureHash: null,
    signingTime: null, signatureValue: null, unsigned: new Map(), eContent: null, eContentType: null, signedAttrs: new Map(),
  };
  let sd: SignedDataView;
  try {
    // Plain DER (nearly every signature): the certificate sets are cut out before asn1js reads the
    // rest, within the same node limit. Anything else, or a carried certificate that does not parse,
    // takes the full parse.
    const limit = berNodeLimit(der.length);
    const split = withoutCertificateSets(der, limit);
    const certs = split?.certificates.map(carriedCert);
    const fast = split && certs!.every((c) => c !== null) ? split : null;
    const asn = fast ? parseBer(new Uint8Array(fast.rest), limit - fast.cutNodes) : parseBer(new Uint8Array(der), limit);
    if (asn.offset === -1) return fail(r, 'FORMAT_FAILURE', `CMS is not BER: ${asn.result.error}`);
    const ci = readContentInfo(asn.result);
    if (ci.contentType !== CMS_OID.signedData) return fail(r, 'FORMAT_FAILURE', `CMS content type ${ci.contentType} is not signedData`);
    const carried = fast ? [] : takeCertificateSets(ci.content);
    sd = readSignedData(ci.content);
    if (fast) r.certificates.push(...(certs as Cert[]));
    for (const der of carried) {
      const cert = carriedCert(der);
      if (cert) r.certificates.push(cert);
      else r.warnings.push('an embedded certificate does not parse');
    }
  } catch (e) {
    return fail(r, 'FORMAT_FAILURE', `CMS does not parse: ${(e as Error).message}`);
  }
  if (sd.signerInfos.length === 0) return fail(r, 'FORMAT_FAILURE', 'CMS has no SignerInfo');
  r.eContentType = sd.eContentType;
  r.eContent = sd.eContent;
  let signed: SignedContent;
  if (!content) {
    signed = bytesContent(r.eContent ?? Buffer.alloc(0));
  } else if (mode === 'sha1-encapsulated') {
    if (!r.eContent) return fail(r, 'FORMAT_FAILURE', 'adbe.pkcs7.sha1 signature without the encapsulated SHA-1 digest');
    if (!r.eContent.equals(content.digest('sha1'))) return fail(r, 'HASH_FAILURE', 'the encapsulated SHA-1 digest does not match the signed bytes');
    signed = bytesContent(r.eContent);
  } else if (r.eContent) {
    // A detached PDF signature should not carry content; it binds the document only if that content is
    // the document's digest (the adbe.pkcs7.sha1 layout under another /SubFilter).
    const bound = [r.eContent.length === 20 ? 'sha1' : 'sha256'].some((h) => r.eContent!.equals(content.digest(h)));
    if (!bound) return fail(r, 'CRYPTO_CONSTRAINTS_FAILURE', 'the CMS signs encapsulated content of its own, not the document bytes');
    r.unusual.push('a detached signature carries the document digest as encapsulated content');
    signed = bytesContent(r.eContent);
  } else {
    signed = content;
  }
  if (sd.signerInfos.length > 1) r.unusual.push(`CMS has ${sd.signerInfos.length} SignerInfos; the first one is the signature verified`);
  const si = sd.signerInfos[0]!;
  r.signatureAlgorithm = si.signatureAlgorithm.oid;
  r.signatureValue = si.signature;
  r.digestAlgorithm = digestName(si.digestAlgorithm.oid);
  if (!r.digestAlgorithm) return fail(r, 'CRYPTO_CONSTRAINTS_FAILURE', `unknown digest algorithm ${si.digestAlgorithm.oid}`);
  for (const a of si.unsignedAttrs) r.unsigned.set(a.type, a.values);

  // Signer certificate: by issuer+serial or by subject key identifier.
  r.signer = findSigner(si, r.certificates);
  if (!r.signer) return fail(r, 'NO_SIGNING_CERTIFICATE_FOUND', 'the signer certificate is not in the CMS');

  const key = r.signer.x509.publicKey;
  let outcome: Outcome;
  if (si.signedAttrs) {
    for (const a of si.signedAttrs.attributes) {
      if (r.signedAttrs.has(a.type)) { r.unusual.push(`signed attribute ${a.type} appears twice`); continue; }
      r.signedAttrs.set(a.type, a.values);
    }
    const ct = r.signedAttrs.get(CMS_OID.contentType)?.[0];
    const md = octets(r.signedAttrs.get(CMS_OID.messageDigest)?.[0]);
    if (!(ct instanceof asn1js.ObjectIdentifier)) return fail(r, 'FORMAT_FAILURE', 'signed attributes lack contentType');
    if (ct.valueBlock.toString() !== r.eContentType) return fail(r, 'FORMAT_FAILURE', 'contentType attribute differs from the encapsulated content type');
    if (!md) return fail(r, 'FORMAT_FAILURE', 'signed attributes lack messageDigest');
    if (!md.equals(signed.digest(r.digestAlgorithm))) return fail(r, 'HASH_FAILURE', 'messageDigest does not match the signed bytes');
    const st = r.signedAttrs.get(CMS_OID.signingTime)?.[0];
    if (st instanceof asn1js.UTCTime || st instanceof asn1js.GeneralizedTime) r.signingTime = st.toDate();
    // DER(SET OF Attribute): the [0] IMPLICIT bytes as received, tag changed to SET (RFC 5652 §5.4).
    const tbs = Buffer.from(si.signedAttrs.encoded);
    tbs[0] = 0x31;
    outcome = verifySignatureValue(r, si, key, bytesContent(tbs), false);
  } else {
    if (!content) return fail(r, 'FORMAT_FAILURE', 'timestamp token without signed attributes');
    r.warnings.push('no signed attributes: the signature is over the document digest directly');
    outcome = verifySignatureValue(r, si, key, signed, true);
  }
  if (outcome === 'unsupported') return fail(r, 'CRYPTO_CONSTRAINTS_FAILURE', r.reasons.pop() ?? 'unsupported signature algorithm');
  if (outcome === 'bad') return fail(r, 'SIG_CRYPTO_FAILURE', 'the signature value does not verify with the signer key');
  if (si.signedAttrs) checkEss(r);
  if (r.digestAlgorithm === 'sha1') r.warnings.push('SHA-1 digest');
  return r;
}

/**
 * The full parse's counterpart of withoutCertificateSets, for a CMS that is not plain DER or carries a
 * certificate that does not parse: takes the certificates [0] and CRLs [1] out of a parsed SignedData
 * and returns each plain certificate's bytes as carried, for parseCert, which reads each certificate
 * once per process (the same CA certificates return in every signature). Attribute
 * and other certificate formats (tagged choices) are skipped; the CRLs here are not used (revocation
 * data comes from the DSS, the signed archival attribute or the network).
 */
function takeCertificateSets(signedData: unknown): Buffer[] {
  if (!(signedData instanceof asn1js.Sequence)) return [];
  const certificates: Buffer[] = [];
  signedData.valueBlock.value = signedData.valueBlock.value.filter((block) => {
    if (block.idBlock.tagClass !== 3 || block.idBlock.tagNumber > 1 || !block.idBlock.isConstructed) return true;
    if (block.idBlock.tagNumber === 0 && block instanceof asn1js.Constructed) {
      for (const c of block.valueBlock.value) {
        if (c.idBlock.tagClass === 1 && c.idBlock.tagNumber === 16) certificates.push(Buffer.from(c.valueBeforeDecodeView));
      }
    }
    return false;
  });
  return certificates;
}

/**
 * A carried certificate, parsed. Nearly all are DER as carried (their signature is over DER). One a
 * streaming encoder wrote with an indefinite outer length is re-encoded first, as pkijs once did for
 * all: OpenSSL would read the BER as it is, and the ESS hash, which is over DER, would then not match.
 */
function carriedCert(carried: Buffer): Cert | null {
  try {
    if (carried[1] !== 0x80) return parseCert(carried);
    const asn = parseBer(new Uint8Array(carried));
    return asn.offset === -1 ? null : parseCert(Buffer.from(new pkijs.Certificate({ schema: asn.result }).toSchema().toBER(false)));
  } catch {
    return null;
  }
}

function findSigner(si: SignerInfoView, certs: Cert[]): Cert | null {
  const sid = si.sid;
  if (sid.kind === 'issuerAndSerial') {
    // The serial first: serials rarely collide, and names cost more to compare.
    const issuer = () => new pkijs.RelativeDistinguishedNames({ schema: sid.issuer });
    return certs.find((c) => sid.serial.equals(c.fields.serial) && sameName(c, 'issuer', sid.issuer.valueBeforeDecodeView, issuer)) ?? null;
  }
  const ski = sid.keyId;
  return certs.find((c) => {
    const e = c.fields.extensions.get(EXT.SUBJECT_KEY_ID);
    const v = e ? subjectKeyId(e.value) : null;
    // Without the extension, the identifier is by convention the SHA-1 of the public key bits (RFC 5280 §4.2.1.2).
    return v ? v.equals(ski) : hashOf('sha1', c.fields.publicKeyBits).equals(ski);
  }) ?? null;
}

type Outcome = 'ok' | 'bad' | 'unsupported';

/**
 * Verifies the SignerInfo signature over `message`. With `overContent` (no signed attributes) the
 * message is the document: RSA PKCS#1 v1.5 is checked by recovering the DigestInfo and comparing it to
 * the content digest (no second pass over the document); the other schemes need the bytes.
 */
function verifySignatureValue(r: CmsResult, si: SignerInfoView, key: KeyObject, message: SignedContent, overContent: boolean): Outcome {
  const alg = si.signatureAlgorithm.oid;
  const sig = r.signatureValue!;
  const unsupported = (why: string): Outcome => { r.reasons.push(why); return 'unsupported'; };
  const keyType = key.asymmetricKeyType;
  try {
    const eddsa = EDDSA[alg];
    if (eddsa) {
      if (keyType !== eddsa) return 'bad';
      return cryptoVerify(null, Buffer.concat(message.chunks()), key, sig) ? 'ok' : 'bad';
    }
    if (alg === RSA_PSS) {
      // RFC 4055 §3.1: a signature's RSASSA-PSS identifier MUST carry its parameters (their DEFAULTs
      // would mean SHA-1, and OpenSSL refuses it without them).
      if (!si.signatureAlgorithm.params) return unsupported('RSASSA-PSS without parameters');
      let p: pkijs.RSASSAPSSParams;
      try { p = new pkijs.RSASSAPSSParams({ schema: si.signatureAlgorithm.params }); } catch { return unsupported('bad RSASSA-PSS parameters'); }
      const hash = digestName(p.hashAlgorithm.algorithmId);
      if (!hash) return unsupported(`unknown RSASSA-PSS hash ${p.hashAlgorithm.algorithmId}`);
      r.signatureHash = hash;
      if (hash === 'sha1') r.warnings.push('SHA-1 signature algorithm');
      return streamVerify(hash, message, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: p.saltLength }, sig);
    }
    const hash = SIG_HASH[alg] ?? (alg === RSA_ENCRYPTION || alg === EC_PUBLIC_KEY ? r.digestAlgorithm! : null);
    if (!hash || hash === 'shake256') return unsupported(`unsupported signature algorithm ${alg}${hash ? ` with ${hash}` : ''}`);
    r.signatureHash = hash;
    if (hash === 'sha1') r.warnings.push('SHA-1 signature algorithm');
    if (keyType === 'rsa' && overContent) return rsaDigestInfoMatches(key, sig, hash, message.digest(hash)) ? 'ok' : 'bad';
    if (keyType !== 'rsa' && keyType !== 'ec') return unsupported(`key type ${keyType ?? 'unknown'} with ${alg}`);
    return streamVerify(hash, message, key, sig);
  } catch {
    return 'bad';
  }
}

function streamVerify(hash: string, message: SignedContent, key: KeyObject | { key: KeyObject; padding: number; saltLength: number }, sig: Buffer): Outcome {
  const v = createVerify(hash);
  for (const c of message.chunks()) v.update(c);
  return v.verify(key, sig) ? 'ok' : 'bad';
}

/**
 * RSA PKCS#1 v1.5 over a known digest: recover the DigestInfo from the signature and compare it to the
 * digest. The algorithm inside must be the one expected; a missing NULL parameter is tolerated (older
 * signers omit it, RFC 8017 §9.2 note 2).
 */
function rsaDigestInfoMatches(key: KeyObject, sig: Buffer, hash: string, digest: Buffer): boolean {
  const info = publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, sig);
  const asn = parseBer(new Uint8Array(info));
  if (asn.offset === -1 || asn.offset !== info.length) return false;
  const seq = asn.result;
  if (!(seq instanceof asn1js.Sequence) || seq.valueBlock.value.length !== 2) return false;
  const [algSeq, value] = seq.valueBlock.value;
  if (!(algSeq instanceof asn1js.Sequence) || !(value instanceof asn1js.OctetString)) return false;
  const oid = algSeq.valueBlock.value[0];
  const params = algSeq.valueBlock.value.slice(1);
  if (!(oid instanceof asn1js.ObjectIdentifier) || digestName(oid.valueBlock.toString()) !== hash) return false;
  if (params.length > 1 || (params.length === 1 && !(params[0] instanceof asn1js.Null))) return false;
  return Buffer.from(value.valueBlock.valueHexView).equals(digest);
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
    const actual = hashName === 'sha256' ? sha256(r.signer!.der) : hashOf(hashName, r.signer!.der);
    if (!actual.equals(h)) fail(r, 'NO_SIGNING_CERTIFICATE_FOUND', 'the ESS signing-certificate hash does not match the signer certificate');
  } catch {
    fail(r, 'FORMAT_FAILURE', 'malformed ESS signing-certificate attribute');
  }
}

export function hasEss(r: CmsResult): boolean {
  return r.signedAttrs.has(CMS_OID.signingCertificateV2) || r.signedAttrs.has(CMS_OID.signingCertificate);
}
