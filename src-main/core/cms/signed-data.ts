/**
 * CMS SignedData for PAdES (ETSI.CAdES.detached).
 *
 * The key never leaves the token, so the SignerInfo is assembled around an *external* signature value:
 * the signed attributes' DER goes to the signer and the returned bytes are embedded, for RSA PKCS#1
 * v1.5, RSASSA-PSS and ECDSA alike (node-forge's PKCS#7 signer wants a private-key object and supports
 * neither PSS nor ECDSA, digitalbazaar/forge#729). It is written as DER directly (der.ts), not built in
 * pkijs: an issue makes four signatures with one certificate, every part but the digest and the
 * signature value is the same each time, and pkijs's object building and serialising cost about a
 * millisecond a signature, between the token's signatures. What is written is checked by the verifier,
 * openssl and pdfsig in the tests, and read back by pkijs (test/sign/cms-build.test.ts).
 */
import { tlv as readTlv } from '../crypto/der-read';
import type { KeySigner, SignatureAlgorithm } from '../crypto/signer';
import { cachedChain } from './certificates';
import { oid, tlv, TAG } from './der';
import { OID } from './oids';
import { attribute, signedAttributes, signerIdentity } from './signed-attributes';

export interface CmsInput {
  /** SHA-256 over the ByteRange. */
  messageDigest: Buffer;
  signer: KeySigner;
  /**
   * Optional B-T step: gets the SignerInfo signature value, returns a DER TimeStampToken (ContentInfo)
   * to embed as the unsigned attribute id-aa-signatureTimeStampToken.
   */
  timestamp?: (signatureValue: Buffer) => Promise<Buffer>;
  /** Certificates that may complete the chain when the holder gives none (configured intermediates). */
  intermediates?: readonly Buffer[];
}

/** Hands the signed attributes to the signer before its first await (incremental-signer.ts counts on it). */
export async function buildPadesCms(input: CmsInput): Promise<Buffer> {
  const { signer } = input;
  const id = signerIdentity(signer.certificate);
  const toSign = signedAttributes(input.messageDigest, id);
  // Taken before the key holder sees the bytes: what is embedded is what was handed over to be signed,
  // whatever the holder does with its buffer.
  const implicit = Buffer.from(toSign);
  implicit[0] = TAG.CONTEXT_0;
  const signature = await signer.sign(toSign);
  if (signature.length === 0) throw new Error('key holder returned an empty signature');
  let unsigned: Buffer[] = [];
  if (input.timestamp) {
    const token = await input.timestamp(signature);
    const whole = readTlv(token, 0, token.length);
    if (!whole || whole.tag !== TAG.SEQUENCE || whole.end !== token.length) throw new Error('timestamp token is not one DER ContentInfo');
    unsigned = [tlv(TAG.CONTEXT_1, attribute(OID.signatureTimeStampToken, token))];
  }
  const signerInfo = tlv(TAG.SEQUENCE,
    tlv(TAG.INTEGER, Buffer.from([1])),
    id.sid,
    SHA256_ALGORITHM,
    implicit,
    signatureAlgorithm(signer.algorithm),
    tlv(TAG.OCTET_STRING, signature),
    ...unsigned);
  const chain = cachedChain(signer.certificate, signer.chain, input.intermediates ?? []);
  return contentInfo([signer.certificate, ...chain], signerInfo);
}

/** AlgorithmIdentifier { sha256 } with its parameters absent (RFC 5754 §2: SHOULD be absent for digests in CMS). */
const SHA256_ALGORITHM = tlv(TAG.SEQUENCE, oid(OID.sha256));
const NULL = Buffer.from([TAG.NULL, 0]);

/**
 * ContentInfo { signedData, [0] SignedData { 1, {sha256}, {data}, [0] certificates, {signerInfo} } }
 * (RFC 5652 §5.1), the certificates copied as given: signer first, then its issuers.
 */
function contentInfo(certificates: readonly Buffer[], signerInfo: Buffer): Buffer {
  const signedData = tlv(TAG.SEQUENCE,
    tlv(TAG.INTEGER, Buffer.from([1])),
    tlv(TAG.SET, SHA256_ALGORITHM),
    tlv(TAG.SEQUENCE, oid(OID.data)),
    tlv(TAG.CONTEXT_0, ...certificates),
    tlv(TAG.SET, signerInfo));
  return tlv(TAG.SEQUENCE, oid(OID.signedData), tlv(TAG.CONTEXT_0, signedData));
}

function signatureAlgorithm(alg: SignatureAlgorithm): Buffer {
  switch (alg) {
    case 'RSA_PKCS1_SHA256':
      return tlv(TAG.SEQUENCE, oid(OID.sha256WithRSA), NULL);
    case 'ECDSA_SHA256':
      // RFC 5758 §3.2: the parameters field is absent.
      return tlv(TAG.SEQUENCE, oid(OID.ecdsaWithSha256));
    case 'RSA_PSS_SHA256': {
      // RSASSA-PSS-params (RFC 4055 §3.1) with every field that differs from its DEFAULT: SHA-256,
      // MGF1 over SHA-256, a 32-byte salt; trailerField 1 is the DEFAULT and left out.
      const sha256 = tlv(TAG.SEQUENCE, oid(OID.sha256), NULL);
      const params = tlv(TAG.SEQUENCE,
        tlv(TAG.CONTEXT_0, sha256),
        tlv(TAG.CONTEXT_1, tlv(TAG.SEQUENCE, oid(OID.mgf1), sha256)),
        tlv(TAG.CONTEXT_2, tlv(TAG.INTEGER, Buffer.from([32]))));
      return tlv(TAG.SEQUENCE, oid(OID.rsaPss), params);
    }
  }
}

/** Upper bound for the CMS size, used to size the /Contents placeholder before signing. */
export function estimateCmsSize(signer: KeySigner, withTimestamp: boolean, intermediates: readonly Buffer[] = []): number {
  const chain = signer.certificate.length + [...signer.chain, ...intermediates].reduce((n, c) => n + c.length, 0);
  const raw = chain + 2048 + (withTimestamp ? 8192 : 0);
  return Math.ceil(raw / 4096) * 4096;
}
