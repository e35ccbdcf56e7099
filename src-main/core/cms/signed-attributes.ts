import { createHash } from 'node:crypto';
import { requireCertificateFields } from '../crypto/cert-fields';
import { oid, tlv, TAG } from './der';
import { OID } from './oids';

/** What a signer certificate contributes to every CMS it signs: worked out once per certificate. */
export interface SignerIdentity {
  /** IssuerAndSerialNumber, the SignerInfo's sid: the issuer Name and serial INTEGER as the certificate holds them. */
  sid: Buffer;
  /** The signing-certificate-v2 Attribute. */
  signingCertificate: Buffer;
}

const identities = new WeakMap<Buffer, SignerIdentity>();

export function signerIdentity(certDer: Buffer): SignerIdentity {
  let id = identities.get(certDer);
  if (id) return id;
  const fields = requireCertificateFields(certDer);
  const serial = tlv(TAG.INTEGER, fields.serial);
  // SigningCertificateV2 { certs SEQUENCE OF ESSCertIDv2 { certHash, issuerSerial } }: hashAlgorithm is
  // left out because SHA-256 is its DER DEFAULT; issuerSerial lets a verifier match the certificate
  // without hashing every candidate. GeneralNames holds one directoryName [4], EXPLICIT (Name is a CHOICE).
  const issuerSerial = tlv(TAG.SEQUENCE, tlv(TAG.SEQUENCE, tlv(TAG.CONTEXT_4, fields.issuer)), serial);
  const essCertIdV2 = tlv(TAG.SEQUENCE, tlv(TAG.OCTET_STRING, createHash('sha256').update(certDer).digest()), issuerSerial);
  id = {
    sid: tlv(TAG.SEQUENCE, fields.issuer, serial),
    signingCertificate: attribute(OID.signingCertificateV2, tlv(TAG.SEQUENCE, tlv(TAG.SEQUENCE, essCertIdV2))),
  };
  identities.set(certDer, id);
  return id;
}

/** Attribute { type, values SET OF } with one value. */
export const attribute = (type: string, value: Buffer): Buffer => tlv(TAG.SEQUENCE, oid(type), tlv(TAG.SET, value));

/**
 * The bytes the key signs: the DER SET OF the PAdES baseline signed attributes (ETSI EN 319 142-1):
 * content-type, message-digest and ESS signing-certificate-v2 — and deliberately no signing-time (the
 * claimed time lives in /M). The CMS carries the same bytes as [0] IMPLICIT (RFC 5652 §5.4).
 */
export function signedAttributes(messageDigest: Buffer, id: SignerIdentity): Buffer {
  const attrs = [
    attribute(OID.contentType, oid(OID.data)),
    attribute(OID.messageDigest, tlv(TAG.OCTET_STRING, messageDigest)),
    id.signingCertificate,
  ];
  // DER orders the members of a SET OF by their encodings.
  return tlv(TAG.SET, ...attrs.sort(Buffer.compare));
}
