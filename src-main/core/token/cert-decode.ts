import { X509Certificate } from 'node:crypto';
import * as pkijs from 'pkijs';
import { nfc } from '../../contract/text';

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

function rdns(name: pkijs.RelativeDistinguishedNames): Rdn[] {
  return name.typesAndValues.map((tv) => {
    const v = (tv.value as { valueBlock?: { value?: unknown } }).valueBlock?.value;
    return { type: tv.type, value: nfc(typeof v === 'string' ? v : '') };
  });
}

/** RFC 4514 order: most specific first. */
function dnString(list: Rdn[]): string {
  return [...list].reverse().map((r) => `${SHORT[r.type] ?? r.type}=${r.value.replace(/([,+"\\<>;=])/g, '\\$1')}`).join(', ');
}

const field = (list: Rdn[], oid: string) => list.find((r) => r.type === oid)?.value ?? null;

export function decodeCertificate(der: Buffer): CertificateFacts {
  const cert = pkijs.Certificate.fromBER(der);
  const subject = rdns(cert.subject);
  const issuer = rdns(cert.issuer);
  const ku = cert.extensions?.find((e) => e.extnID === '2.5.29.15')?.parsedValue as { valueBlock?: { valueHexView?: Uint8Array } } | undefined;
  const kuBits = ku?.valueBlock?.valueHexView ?? new Uint8Array();
  const keyUsage = KEY_USAGE.filter((_, i) => ((kuBits[i >> 3] ?? 0) & (0x80 >> (i & 7))) !== 0);
  const key = new X509Certificate(der).publicKey;
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
    serial: Buffer.from(cert.serialNumber.valueBlock.valueHexView).toString('hex').replace(/^(?:00)+(?=..)/, ''),
    notBefore: cert.notBefore.value.toISOString(),
    notAfter: cert.notAfter.value.toISOString(),
    keyUsage,
    keyAlgorithm,
    keySize: details.modulusLength ?? (namedCurve ? CURVE_BITS[namedCurve] ?? 0 : 0),
    namedCurve,
  };
}

/** Raw subject and issuer DER, for chain building by exact name match. */
export function nameBytes(der: Buffer): { subject: Buffer; issuer: Buffer } {
  const cert = pkijs.Certificate.fromBER(der);
  return { subject: Buffer.from(cert.subject.toSchema().toBER()), issuer: Buffer.from(cert.issuer.toSchema().toBER()) };
}

/** The public key as the token stores it: RSA modulus, or the EC point (uncompressed). */
export function publicKeyMaterial(der: Buffer): { modulus?: Buffer; ecPoint?: Buffer } {
  const jwk = new X509Certificate(der).publicKey.export({ format: 'jwk' });
  if (jwk.n) return { modulus: Buffer.from(jwk.n, 'base64url') };
  if (jwk.x && jwk.y) return { ecPoint: Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')]) };
  return {};
}
