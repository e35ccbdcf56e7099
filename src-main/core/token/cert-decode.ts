import { X509Certificate } from 'node:crypto';
import { nfc } from '../../contract/text';
import { EXT, keyUsageBits, requireCertificateFields, type NameAttribute } from '../crypto/cert-fields';

/** What the clerk and the signer need to know about a certificate, JSON-safe. */
export interface CertificateFacts {
  subject: string;
  commonName: string;
  organisation: string | null;
  title: string | null;
  issuer: string;
  issuerCommonName: string | null;
  /** Hex, lower case, no leading-zero padding beyond what the DER holds. */
  serial: string;
  notBefore: string;
  notAfter: string;
  keyUsage: string[];
  keyAlgorithm: 'RSA' | 'EC' | 'OTHER';
  /** RSA modulus bits or EC field bits. */
  keySize: number;
  namedCurve: string | null;
}

const SHORT: Record<string, string> = {
  '2.5.4.3': 'CN', '2.5.4.6': 'C', '2.5.4.7': 'L', '2.5.4.8': 'ST', '2.5.4.10': 'O', '2.5.4.11': 'OU',
  '2.5.4.12': 'T', '2.5.4.5': 'SERIALNUMBER', '1.2.840.113549.1.9.1': 'E', '0.9.2342.19200300.100.1.1': 'UID',
};
const KEY_USAGE = ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign', 'encipherOnly', 'decipherOnly'];
const CURVE_BITS: Record<string, number> = { prime256v1: 256, secp384r1: 384, secp521r1: 521, 'P-256': 256, 'P-384': 384, 'P-521': 521 };

interface Rdn { type: string; value: string }

function rdns(name: NameAttribute[]): Rdn[] {
  return name.map((a) => ({ type: a.type, value: nfc(a.value ?? '') }));
}

/** RFC 4514 order: most specific first. */
function dnString(list: Rdn[]): string {
  return [...list].reverse().map((r) => `${SHORT[r.type] ?? r.type}=${r.value.replace(/([,+"\\<>;=])/g, '\\$1')}`).join(', ');
}

const field = (list: Rdn[], oid: string) => list.find((r) => r.type === oid)?.value ?? null;

export function decodeCertificate(der: Buffer): CertificateFacts {
  // Node's parse first: it refuses what is not a certificate before the field reader looks at it.
  const key = new X509Certificate(der).publicKey;
  const cert = requireCertificateFields(der);
  const subject = rdns(cert.subjectAttributes);
  const issuer = rdns(cert.issuerAttributes);
  const ku = cert.extensions.get(EXT.KEY_USAGE);
  const kuBits = ku ? keyUsageBits(ku.value) : Buffer.alloc(0);
  const keyUsage = KEY_USAGE.filter((_, i) => ((kuBits[i >> 3] ?? 0) & (0x80 >> (i & 7))) !== 0);
  const details = key.asymmetricKeyDetails ?? {};
  const keyAlgorithm = key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss' ? 'RSA' : key.asymmetricKeyType === 'ec' ? 'EC' : 'OTHER';
  const namedCurve = details.namedCurve ?? null;
  return {
    subject: dnString(subject),
    commonName: field(subject, '2.5.4.3') ?? '',
    organisation: field(subject, '2.5.4.10'),
    title: field(subject, '2.5.4.12'),
    issuer: dnString(issuer),
    issuerCommonName: field(issuer, '2.5.4.3'),
    // The DER sign byte is not part of the number people compare with other tools.
    serial: cert.serial.toString('hex').replace(/^(?:00)+(?=..)/, ''),
    notBefore: cert.notBefore.toISOString(),
    notAfter: cert.notAfter.toISOString(),
    keyUsage,
    keyAlgorithm,
    keySize: details.modulusLength ?? (namedCurve ? CURVE_BITS[namedCurve] ?? 0 : 0),
    namedCurve,
  };
}

/** Raw subject and issuer DER, for chain building by exact name match. */
export function nameBytes(der: Buffer): { subject: Buffer; issuer: Buffer } {
  const { subject, issuer } = requireCertificateFields(der);
  return { subject: Buffer.from(subject), issuer: Buffer.from(issuer) };
}

/** The public key as the token stores it: RSA modulus, or the EC point (uncompressed). */
export function publicKeyMaterial(der: Buffer): { modulus?: Buffer; ecPoint?: Buffer } {
  const jwk = new X509Certificate(der).publicKey.export({ format: 'jwk' });
  if (jwk.n) return { modulus: Buffer.from(jwk.n, 'base64url') };
  if (jwk.x && jwk.y) return { ecPoint: Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')]) };
  return {};
}
