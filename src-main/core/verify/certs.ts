import { X509Certificate, createHash } from 'node:crypto';
import pkijs from 'pkijs';
import { accessUris, basicConstraintsCa, distributionPointUris, EXT, keyPurposes, keyUsageBits, requireCertificateFields, type CertificateFields } from '../crypto/cert-fields';
import { tlv } from '../crypto/der-read';
import { parseBer } from './ber';

/**
 * One certificate, parsed once: Node's object for crypto, its fields read from the DER for chains and
 * names, and pkijs's object only where pkijs itself needs one (OCSP requests and responses, a name
 * comparison across encodings), built on first use.
 */
export interface Cert {
  der: Buffer;
  x509: X509Certificate;
  fields: CertificateFields;
  readonly pkijs: pkijs.Certificate;
  /** SHA-256 of the DER, hex: identity for sets and caches. */
  id: string;
}

/**
 * Parsed certificates by SHA-256 of their DER. The same few certificates (the agency's, its CA's) come
 * back in every signature of a file and in every file of a day. Bounded: the oldest entry goes first.
 */
const parsed = new Map<string, Cert>();
const MAX_PARSED = 512;

function pkijsCertificate(der: Buffer): pkijs.Certificate {
  const asn = parseBer(new Uint8Array(der));
  if (asn.offset === -1) throw new Error('certificate is not BER');
  return new pkijs.Certificate({ schema: asn.result });
}

export function parseCert(input: Buffer): Cert {
  // Bytes after the certificate (a newline at the end of a .der file) are not part of it: its identity,
  // its ESS hash and the chain see the certificate alone.
  const outer = tlv(input, 0, input.length);
  const der = outer && outer.end < input.length ? input.subarray(0, outer.end) : input;
  const id = createHash('sha256').update(der).digest('hex');
  const known = parsed.get(id);
  if (known) return known;
  const own = Buffer.from(der);
  const x509 = new X509Certificate(own);
  // Node's parser accepted it; certificates are DER by definition (RFC 5280 §4.1), so one the strict
  // reader refuses (BER lengths, a repeated extension) is refused here too.
  const fields = requireCertificateFields(own);
  let full: pkijs.Certificate | undefined;
  const cert: Cert = { der: own, x509, fields, id, get pkijs() { return (full ??= pkijsCertificate(own)); } };
  if (parsed.size >= MAX_PARSED) parsed.delete(parsed.keys().next().value!);
  parsed.set(id, cert);
  return cert;
}

/** The certificates among `ders` that parse; anything else is not a certificate and is left out. */
export function parseCerts(ders: readonly Buffer[]): Cert[] {
  return ders.flatMap((d) => {
    try { return [parseCert(d)]; } catch { return []; }
  });
}

const ext = (c: Cert, oid: string) => c.fields.extensions.get(oid)?.value;

export const KU = { digitalSignature: 0x80, nonRepudiation: 0x40, keyCertSign: 0x04 } as const;

/** Key-usage bits of the first byte, or null when the extension is absent (any usage). */
export function keyUsage(c: Cert): number | null {
  const e = ext(c, EXT.KEY_USAGE);
  return e ? (keyUsageBits(e)[0] ?? 0) : null;
}

export function extKeyUsage(c: Cert): string[] | null {
  const e = ext(c, EXT.EXT_KEY_USAGE);
  return e ? keyPurposes(e) : null;
}

export function isCa(c: Cert): boolean {
  const e = ext(c, EXT.BASIC_CONSTRAINTS);
  return e ? basicConstraintsCa(e) : false;
}

export function ocspUrls(c: Cert): string[] {
  const e = ext(c, EXT.AUTHORITY_INFO_ACCESS);
  return e ? accessUris(e, '1.3.6.1.5.5.7.48.1') : [];
}

export function crlUrls(c: Cert): string[] {
  const e = ext(c, EXT.CRL_DISTRIBUTION_POINTS);
  return e ? distributionPointUris(e) : [];
}

/** Attribute of the subject by OID (CN 2.5.4.3, O 2.5.4.10), NFC. */
export function subjectField(c: Cert, oid: string): string | null {
  const v = c.fields.subjectAttributes.find((t) => t.type === oid)?.value;
  return typeof v === 'string' ? v.normalize('NFC') : null;
}

export const OID = {
  CN: '2.5.4.3',
  O: '2.5.4.10',
  TITLE: '2.5.4.12',
  GIVEN: '2.5.4.42',
  SURNAME: '2.5.4.4',
} as const;

/**
 * An organisation certificate: CN equals O and there is no personal name or title. The Vietnamese
 * agency certificates name the agency in CN; personal ones carry a person's name and usually a title.
 */
export function isOrganisation(c: Cert): boolean {
  const cn = subjectField(c, OID.CN);
  const o = subjectField(c, OID.O);
  const personal = subjectField(c, OID.TITLE) ?? subjectField(c, OID.GIVEN) ?? subjectField(c, OID.SURNAME);
  return cn !== null && o !== null && cn === o && personal === null;
}

/**
 * A certificate's issuer or subject is the name `other` (from a CMS or a CRL), given as written: the
 * bytes as written, else pkijs's comparison (string preparation and a locale comparison, which loads
 * ICU's collation: needed only when the encodings differ). `otherParsed` builds pkijs's form of the
 * name; it is called only then.
 */
export function sameName(c: Cert, which: 'issuer' | 'subject', other: Uint8Array, otherParsed: () => pkijs.RelativeDistinguishedNames): boolean {
  if (c.fields[which].equals(other)) return true;
  try {
    return c.pkijs[which].isEqual(otherParsed());
  } catch {
    // A certificate Node and the DER reader accept but pkijs cannot parse (one a signer appended with
    // an oversized extension, say), or a name pkijs cannot read: compared as written only, never a
    // crash of the verdict.
    return false;
  }
}

export function sha256(b: Uint8Array): Buffer {
  return createHash('sha256').update(b).digest();
}
