/**
 * The fields of an X.509 certificate that listing a token and checking a chain read: serial, names,
 * validity, public key bits and extensions, taken from the DER with der-read.ts. A pkijs parse of one
 * certificate costs 3–6 ms on a cold process (≈ 13 ms of `vanthu token list`, 15 ms of `vanthu
 * verify`); this costs a small fraction of one. Cryptography (signatures, keys) stays with Node's
 * X509Certificate, which callers construct first: bytes it refuses never reach this reader.
 */
import { children, contents, DER, element, oidText, stringText, timeValue, tlv, type Tlv } from './der-read';

export interface NameAttribute {
  /** Attribute type OID, e.g. 2.5.4.3 (CN). */
  type: string;
  /** Its text, or null when the value is not a string type. */
  value: string | null;
}

export interface CertificateExtension {
  critical: boolean;
  /** The extnValue OCTET STRING's contents: the extension's own DER. */
  value: Buffer;
}

export interface CertificateFields {
  /** The serialNumber INTEGER's contents as written (a leading 00 sign byte kept). */
  serial: Buffer;
  /** The issuer and subject Names as DER (tag and length included), for exact comparison. */
  issuer: Buffer;
  subject: Buffer;
  /** Every attribute of every RDN, in order (multi-valued RDNs flattened). */
  issuerAttributes: NameAttribute[];
  subjectAttributes: NameAttribute[];
  notBefore: Date;
  notAfter: Date;
  /** subjectPublicKey BIT STRING's bits (its unused-bits byte left out). */
  publicKeyBits: Buffer;
  extensions: ReadonlyMap<string, CertificateExtension>;
}

function nameAttributes(b: Uint8Array, name: Tlv): NameAttribute[] | null {
  if (name.tag !== DER.SEQUENCE) return null;
  const rdns = children(b, name, 256);
  if (!rdns) return null;
  const out: NameAttribute[] = [];
  for (const rdn of rdns) {
    const atvs = rdn.tag === DER.SET ? children(b, rdn, 32) : null;
    if (!atvs) return null;
    for (const atv of atvs) {
      const [type, value] = (atv.tag === DER.SEQUENCE ? children(b, atv, 2) : null) ?? [];
      const oid = type ? oidText(b, type) : null;
      if (!oid || !value) return null;
      out.push({ type: oid, value: stringText(b, value) });
    }
  }
  return out;
}

function extensionsOf(b: Uint8Array, wrapper: Tlv): Map<string, CertificateExtension> | null {
  const list = children(b, wrapper, 1)?.[0];
  const items = list?.tag === DER.SEQUENCE ? children(b, list, 256) : null;
  if (!items) return null;
  const out = new Map<string, CertificateExtension>();
  for (const item of items) {
    const parts = item.tag === DER.SEQUENCE ? children(b, item, 3) : null;
    const oid = parts?.[0] ? oidText(b, parts[0]) : null;
    const hasCritical = parts?.length === 3;
    const valueTlv = parts?.[hasCritical ? 2 : 1];
    if (!oid || !valueTlv || valueTlv.tag !== DER.OCTET_STRING || (hasCritical && parts![1]!.tag !== DER.BOOLEAN)) return null;
    if (out.has(oid)) return null; // RFC 5280 §4.2: an extension appears at most once
    out.set(oid, { critical: hasCritical && b[parts![1]!.body] !== 0, value: contents(b, valueTlv) });
  }
  return out;
}

/** The certificate's fields, or null when its DER is not the shape RFC 5280 gives it. */
export function certificateFields(der: Uint8Array): CertificateFields | null {
  const outer = tlv(der, 0, der.length);
  // Bytes after the certificate (a newline at the end of a .der file) are ignored, as OpenSSL does.
  if (!outer || outer.tag !== DER.SEQUENCE) return null;
  const tbs = children(der, outer, 3)?.[0];
  const f = tbs?.tag === DER.SEQUENCE ? children(der, tbs, 10) : null;
  if (!f) return null;
  const i = f[0]?.tag === 0xa0 ? 1 : 0; // [0] EXPLICIT version, absent for v1
  const [serial, , issuer, validity, subject, spki] = f.slice(i, i + 6);
  if (!serial || serial.tag !== DER.INTEGER || !issuer || !validity || !subject || !spki) return null;
  const [from, to] = (validity.tag === DER.SEQUENCE ? children(der, validity, 2) : null) ?? [];
  const notBefore = from ? timeValue(der, from) : null;
  const notAfter = to ? timeValue(der, to) : null;
  const key = spki.tag === DER.SEQUENCE ? children(der, spki, 2)?.[1] : undefined;
  const issuerAttributes = nameAttributes(der, issuer);
  const subjectAttributes = nameAttributes(der, subject);
  if (!notBefore || !notAfter || !key || key.tag !== DER.BIT_STRING || key.end === key.body || !issuerAttributes || !subjectAttributes) return null;
  const extWrapper = f.slice(i + 6).find((t) => t.tag === 0xa3);
  const extensions = extWrapper ? extensionsOf(der, extWrapper) : new Map<string, CertificateExtension>();
  if (!extensions) return null;
  return {
    serial: contents(der, serial),
    issuer: element(der, issuer),
    subject: element(der, subject),
    issuerAttributes,
    subjectAttributes,
    notBefore,
    notAfter,
    publicKeyBits: contents(der, key).subarray(1),
    extensions,
  };
}

/** The fields of a certificate that must read as RFC 5280 DER; throws when it does not. */
export function requireCertificateFields(der: Uint8Array): CertificateFields {
  const fields = certificateFields(der);
  if (!fields) throw new Error('certificate is not DER');
  return fields;
}

export const EXT = {
  KEY_USAGE: '2.5.29.15',
  EXT_KEY_USAGE: '2.5.29.37',
  BASIC_CONSTRAINTS: '2.5.29.19',
  SUBJECT_KEY_ID: '2.5.29.14',
  CRL_DISTRIBUTION_POINTS: '2.5.29.31',
  AUTHORITY_INFO_ACCESS: '1.3.6.1.5.5.7.1.1',
} as const;

/** Top-level element of an extension's value, with its children when constructed. */
function root(value: Buffer, tag: number): { t: Tlv; kids: Tlv[] | null } | null {
  const t = tlv(value, 0, value.length);
  return t && t.tag === tag && t.end === value.length ? { t, kids: tag & 0x20 ? children(value, t, 256) : null } : null;
}

/**
 * keyUsage's bits (first byte first), the unused bits of the last byte cleared; empty when the
 * extension is present but unreadable (no usage at all).
 */
export function keyUsageBits(value: Buffer): Buffer {
  const r = root(value, DER.BIT_STRING);
  if (!r || r.t.end === r.t.body) return Buffer.alloc(0);
  const unused = value[r.t.body]!;
  const bits = Buffer.from(contents(value, r.t).subarray(1));
  if (unused > 7 || (bits.length === 0 && unused > 0)) return Buffer.alloc(0);
  if (bits.length > 0) bits[bits.length - 1]! &= (0xff << unused) & 0xff;
  return bits;
}

/** extKeyUsage's purpose OIDs; empty when unreadable, as when any member is not an OID. */
export function keyPurposes(value: Buffer): string[] {
  const oids = (root(value, DER.SEQUENCE)?.kids ?? []).map((t) => oidText(value, t));
  return oids.every((o) => o !== null) ? (oids as string[]) : [];
}

/** basicConstraints' cA flag; false when unreadable. */
export function basicConstraintsCa(value: Buffer): boolean {
  const first = root(value, DER.SEQUENCE)?.kids?.[0];
  return first?.tag === DER.BOOLEAN && first.end === first.body + 1 && value[first.body] !== 0;
}

/** subjectKeyIdentifier's octets; null when unreadable. */
export function subjectKeyId(value: Buffer): Buffer | null {
  const r = root(value, DER.OCTET_STRING);
  return r ? contents(value, r.t) : null;
}

/** URIs among GeneralNames ([6] IA5String). */
function uris(b: Buffer, names: Tlv[]): string[] {
  return names.filter((g) => g.tag === 0x86).map((g) => b.toString('latin1', g.body, g.end));
}

/** authorityInfoAccess: the URIs of one access method (OCSP 1.3.6.1.5.5.7.48.1, caIssuers …48.2). */
export function accessUris(value: Buffer, method: string): string[] {
  return (root(value, DER.SEQUENCE)?.kids ?? []).flatMap((ad) => {
    const [m, where] = (ad.tag === DER.SEQUENCE ? children(value, ad, 2) : null) ?? [];
    return m && where && oidText(value, m) === method ? uris(value, [where]) : [];
  });
}

/** cRLDistributionPoints: the URIs of every point named by its full name. */
export function distributionPointUris(value: Buffer): string[] {
  return (root(value, DER.SEQUENCE)?.kids ?? []).flatMap((dp) => {
    const name = (dp.tag === DER.SEQUENCE ? children(value, dp, 3) : null)?.find((t) => t.tag === 0xa0);
    const full = name ? children(value, name, 1)?.[0] : undefined;
    return full?.tag === 0xa0 ? uris(value, children(value, full, 32) ?? []) : [];
  });
}
