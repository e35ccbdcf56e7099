import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { OID } from './oids';
import { parsedCertificate } from './certificates';
import { toArrayBuffer } from './der';

/**
 * The PAdES baseline signed attributes (ETSI EN 319 142-1): content-type, message-digest and ESS
 * signing-certificate-v2 — and deliberately no signing-time (the claimed time lives in /M).
 */
export function padesSignedAttributes(messageDigest: Buffer, signerCertDer: Buffer): pkijs.Attribute[] {
  return sortByEncoding([
    new pkijs.Attribute({ type: OID.contentType, values: [new asn1js.ObjectIdentifier({ value: OID.data })] }),
    new pkijs.Attribute({ type: OID.messageDigest, values: [new asn1js.OctetString({ valueHex: toArrayBuffer(messageDigest) })] }),
    new pkijs.Attribute({ type: OID.signingCertificateV2, values: [signingCertificateV2(signerCertDer)] }),
  ]);
}

/**
 * SigningCertificateV2 { certs SEQUENCE OF ESSCertIDv2 }. hashAlgorithm is omitted because SHA-256 is
 * its DER DEFAULT; issuerSerial is included so a verifier can match the certificate without hashing
 * every candidate.
 */
function signingCertificateV2(certDer: Buffer): asn1js.Sequence {
  const cert = parsedCertificate(certDer);
  const certHash = createHash('sha256').update(certDer).digest();
  const issuerSerial = new asn1js.Sequence({
    value: [
      // GeneralNames with one directoryName [4] (EXPLICIT, because Name is a CHOICE).
      new asn1js.Sequence({
        value: [new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 4 }, value: [cert.issuer.toSchema()] })],
      }),
      cert.serialNumber,
    ],
  });
  const essCertIdV2 = new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: toArrayBuffer(certHash) }), issuerSerial] });
  return new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertIdV2] })] });
}

/**
 * DER wants SET OF members ordered by their encodings; pkijs keeps insertion order, so order them here
 * and then the bytes we sign and the bytes pkijs embeds are the same.
 */
function sortByEncoding(attrs: pkijs.Attribute[]): pkijs.Attribute[] {
  const enc = attrs.map((a) => ({ a, der: Buffer.from(a.toSchema().toBER(false)) }));
  enc.sort((x, y) => Buffer.compare(x.der, y.der));
  return enc.map((e) => e.a);
}

/**
 * The bytes the key signs: the DER of SET OF Attribute, i.e. the [0] IMPLICIT signedAttrs with its tag
 * byte turned into 0x31 (RFC 5652 §5.4).
 */
export function bytesToSign(signedAttrs: pkijs.SignedAndUnsignedAttributes): Buffer {
  const der = Buffer.from(signedAttrs.toSchema().toBER(false));
  if (der[0] !== 0xa0) throw new Error(`signedAttrs tag is 0x${der[0]?.toString(16)}, expected 0xa0`);
  der[0] = 0x31;
  return der;
}

export { toArrayBuffer } from './der';
