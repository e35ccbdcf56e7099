/**
 * CMS SignedData for PAdES (ETSI.CAdES.detached).
 *
 * Why pkijs and not node-forge: the key never leaves the token, so the SignerInfo must be assembled
 * around an *external* signature value. pkijs lets us build signedAttrs, hand their DER to any signer
 * and embed the returned bytes, for RSA PKCS#1 v1.5, RSASSA-PSS and ECDSA alike. node-forge's PKCS#7
 * signer wants a synchronous private-key object and supports neither PSS nor ECDSA
 * (digitalbazaar/forge#729).
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { KeySigner, SignatureAlgorithm } from '../crypto/signer';
import { cachedChain, parsedCertificate } from './certificates';
import { tlv, TAG } from './der';
import { OID } from './oids';
import { bytesToSign, padesSignedAttributes, toArrayBuffer } from './signed-attributes';

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

export async function buildPadesCms(input: CmsInput): Promise<Buffer> {
  const { signer } = input;
  const cert = parsedCertificate(signer.certificate);
  const signedAttrs = new pkijs.SignedAndUnsignedAttributes({
    type: 0,
    attributes: padesSignedAttributes(input.messageDigest, signer.certificate),
  });
  const toSign = bytesToSign(signedAttrs);
  const signature = await signer.sign(toSign);
  if (signature.length === 0) throw new Error('key holder returned an empty signature');

  const signerInfo = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber }),
    digestAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 }),
    signedAttrs,
    signatureAlgorithm: signatureAlgorithmIdentifier(signer.algorithm),
    signature: new asn1js.OctetString({ valueHex: toArrayBuffer(signature) }),
  });
  if (input.timestamp) {
    const token = await input.timestamp(signature);
    const parsed = asn1js.fromBER(toArrayBuffer(token));
    if (parsed.offset === -1) throw new Error('timestamp token is not valid BER');
    signerInfo.unsignedAttrs = new pkijs.SignedAndUnsignedAttributes({
      type: 1,
      attributes: [new pkijs.Attribute({ type: OID.signatureTimeStampToken, values: [parsed.result] })],
    });
  }

  const chain = cachedChain(signer.certificate, signer.chain, input.intermediates ?? []);
  const der = contentInfo([signer.certificate, ...chain], Buffer.from(signerInfo.toSchema().toBER(false)));
  assertSameSignedBytes(der, toSign);
  return der;
}

const oidDer = (oid: string) => Buffer.from(new asn1js.ObjectIdentifier({ value: oid }).toBER(false));
const sha256AlgorithmDer = tlv(TAG.SEQUENCE, oidDer(OID.sha256));

/**
 * ContentInfo { signedData, [0] SignedData { 1, {sha256}, {data}, [0] certificates, {signerInfo} } }
 * (RFC 5652 §5.1), the certificates copied as given: signer first, then its issuers.
 */
function contentInfo(certificates: readonly Buffer[], signerInfo: Buffer): Buffer {
  const signedData = tlv(TAG.SEQUENCE,
    tlv(TAG.INTEGER, Buffer.from([1])),
    tlv(TAG.SET, sha256AlgorithmDer),
    tlv(TAG.SEQUENCE, oidDer(OID.data)),
    tlv(TAG.CONTEXT_0, ...certificates),
    tlv(TAG.SET, signerInfo));
  return tlv(TAG.SEQUENCE, oidDer(OID.signedData), tlv(TAG.CONTEXT_0, signedData));
}

/**
 * Post-condition: the signedAttrs embedded in the output are byte-for-byte the ones that were signed
 * (the [0] IMPLICIT form of the signed SET). A mismatch would yield a CMS that no verifier accepts, so
 * fail here instead.
 */
function assertSameSignedBytes(cmsDer: Buffer, signed: Buffer): void {
  const embedded = Buffer.from(signed);
  embedded[0] = 0xa0;
  if (cmsDer.indexOf(embedded) < 0) throw new Error('embedded signedAttrs differ from the signed bytes');
}

function signatureAlgorithmIdentifier(alg: SignatureAlgorithm): pkijs.AlgorithmIdentifier {
  switch (alg) {
    case 'RSA_PKCS1_SHA256':
      return new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256WithRSA, algorithmParams: new asn1js.Null() });
    case 'ECDSA_SHA256':
      return new pkijs.AlgorithmIdentifier({ algorithmId: OID.ecdsaWithSha256 });
    case 'RSA_PSS_SHA256': {
      const sha256 = new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256, algorithmParams: new asn1js.Null() });
      const params = new pkijs.RSASSAPSSParams({
        hashAlgorithm: sha256,
        maskGenAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.mgf1, algorithmParams: sha256.toSchema() }),
        saltLength: 32,
      });
      return new pkijs.AlgorithmIdentifier({ algorithmId: OID.rsaPss, algorithmParams: params.toSchema() });
    }
  }
}

/** Upper bound for the CMS size, used to size the /Contents placeholder before signing. */
export function estimateCmsSize(signer: KeySigner, withTimestamp: boolean, intermediates: readonly Buffer[] = []): number {
  const chain = signer.certificate.length + [...signer.chain, ...intermediates].reduce((n, c) => n + c.length, 0);
  const raw = chain + 2048 + (withTimestamp ? 8192 : 0);
  return Math.ceil(raw / 4096) * 4096;
}
