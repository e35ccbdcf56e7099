import { X509Certificate, createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import { parseBer } from './ber';
import * as pkijs from 'pkijs';

/** One certificate, parsed once: Node's object for crypto, pkijs's for extensions and names. */
export interface Cert {
  der: Buffer;
  x509: X509Certificate;
  pkijs: pkijs.Certificate;
  /** SHA-256 of the DER, hex: identity for sets and caches. */
  id: string;
}

/**
 * Parsed certificates by SHA-256 of their DER. The same few certificates (the agency's, its CA's) come
 * back in every signature of a file and in every file of a day; parsing one twice with pkijs costs more
 * than the rest of a chain check. Bounded: the oldest entry goes first.
 */
const parsed = new Map<string, Cert>();
const MAX_PARSED = 512;

export function parseCert(der: Buffer): Cert {
  const id = createHash('sha256').update(der).digest('hex');
  const known = parsed.get(id);
  if (known) return known;
  const x509 = new X509Certificate(der);
  const asn = parseBer(new Uint8Array(der));
  if (asn.offset === -1) throw new Error('certificate is not BER');
  const cert: Cert = { der: Buffer.from(der), x509, pkijs: new pkijs.Certificate({ schema: asn.result }), id };
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

function ext(c: Cert, oid: string): pkijs.Extension | undefined {
  return c.pkijs.extensions?.find((e) => e.extnID === oid);
}

export const KU = { digitalSignature: 0x80, nonRepudiation: 0x40, keyCertSign: 0x04 } as const;

/** Key-usage bits of the first byte, or null when the extension is absent (any usage). */
export function keyUsage(c: Cert): number | null {
  const e = ext(c, '2.5.29.15');
  if (!e) return null;
  const bits = e.parsedValue as asn1js.BitString | undefined;
  const view = bits?.valueBlock.valueHexView;
  return view && view.length > 0 ? view[0]! : 0;
}

export function extKeyUsage(c: Cert): string[] | null {
  const e = ext(c, '2.5.29.37');
  return e ? ((e.parsedValue as pkijs.ExtKeyUsage | undefined)?.keyPurposes ?? []) : null;
}

export function isCa(c: Cert): boolean {
  const e = ext(c, '2.5.29.19');
  return Boolean((e?.parsedValue as pkijs.BasicConstraints | undefined)?.cA);
}

function uris(names: pkijs.GeneralName[] | undefined): string[] {
  return (names ?? []).filter((g) => g.type === 6 && typeof g.value === 'string').map((g) => g.value as string);
}

export function ocspUrls(c: Cert): string[] {
  const e = ext(c, '1.3.6.1.5.5.7.1.1');
  const ia = e?.parsedValue as pkijs.InfoAccess | undefined;
  return uris(ia?.accessDescriptions.filter((d) => d.accessMethod === '1.3.6.1.5.5.7.48.1').map((d) => d.accessLocation));
}

export function crlUrls(c: Cert): string[] {
  const e = ext(c, '2.5.29.31');
  const cdp = e?.parsedValue as pkijs.CRLDistributionPoints | undefined;
  const out: string[] = [];
  for (const dp of cdp?.distributionPoints ?? []) {
    if (Array.isArray(dp.distributionPoint)) out.push(...uris(dp.distributionPoint));
  }
  return out;
}

/** Attribute of the subject by OID (CN 2.5.4.3, O 2.5.4.10), NFC. */
export function subjectField(c: Cert, oid: string): string | null {
  const tv = c.pkijs.subject.typesAndValues.find((t) => t.type === oid);
  const v = (tv?.value as { valueBlock?: { value?: unknown } } | undefined)?.valueBlock?.value;
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
 * Two distinguished names are the same: their bytes as written, else pkijs's comparison (string
 * preparation and a locale comparison, which loads ICU's collation: needed only when encodings differ).
 */
export function sameName(a: pkijs.RelativeDistinguishedNames, b: pkijs.RelativeDistinguishedNames): boolean {
  return Buffer.from(a.valueBeforeDecode).equals(Buffer.from(b.valueBeforeDecode)) || a.isEqual(b);
}

export function sha256(b: Uint8Array): Buffer {
  return createHash('sha256').update(b).digest();
}
