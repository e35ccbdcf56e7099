/**
 * The certificates a CMS SignedData carries, and which of them is the signer's, read straight from the
 * DER without verifying anything. Collecting validation data needs only that, and asn1js/pkijs parse a
 * signature's 8 KB in several milliseconds (schema matching), which made the B-LT revision cost more
 * than the four agency signatures. The verifier still parses and verifies everything its own way.
 */
import { tlv as derTlv } from '../cms/der';
import { certificateFields } from '../crypto/cert-fields';
import { children, contents, DER, element, subtreeNodes, tlv, type Tlv } from '../crypto/der-read';

export interface CarriedCertificates {
  certificates: Buffer[];
  /** The first SignerInfo's certificate when named by issuer and serial; null when named otherwise or absent. */
  signer: Buffer | null;
  /** Signature time-stamp tokens (ContentInfo DER) in the first SignerInfo's unsigned attributes. */
  timestamps: Buffer[];
}

/** DER of the id-aa-signatureTimeStampToken OID (1.2.840.113549.1.9.16.2.14). */
const SIGNATURE_TIME_STAMP = Buffer.from('060b2a864886f70d010910020e', 'hex');

/**
 * Certificates (DER, as carried) of a ContentInfo(SignedData), and the signer among them. Trailing
 * bytes (the zero padding of a PDF /Contents) are ignored. Null when the bytes are not plain DER of
 * that shape: the caller then uses the full parser.
 */
export function cmsCertificates(der: Uint8Array): CarriedCertificates | null {
  const sd = signedData(der)?.parts;
  if (!sd) return null;
  const certSet = sd.find((t) => t.tag === 0xa0);
  const infos = sd[sd.length - 1];
  const certificates = certSet ? (children(der, certSet, 256) ?? []).filter((t) => t.tag === 0x30).map((t) => element(der, t)) : [];
  const first = infos?.tag === 0x31 ? children(der, infos, 16)?.[0] : undefined;
  const sid = first ? children(der, first, 16)?.[1] : undefined;
  const sidParts = sid?.tag === 0x30 ? children(der, sid) : null;
  const unsigned = first ? children(der, first, 16)?.find((t) => t.tag === 0xa1) : undefined;
  const timestamps = (unsigned ? children(der, unsigned, 32) ?? [] : []).flatMap((attr) => {
    const [type, values] = children(der, attr) ?? [];
    if (!type || !values || !element(der, type).equals(SIGNATURE_TIME_STAMP)) return [];
    return (children(der, values, 4) ?? []).map((t) => element(der, t));
  });
  let signer: Buffer | null = null;
  if (sidParts?.length === 2 && sidParts[1]!.tag === DER.INTEGER) {
    const issuer = element(der, sidParts[0]!);
    const serial = contents(der, sidParts[1]!);
    signer = certificates.find((c) => { const f = certificateFields(c); return f !== null && f.issuer.equals(issuer) && f.serial.equals(serial); }) ?? null;
  }
  return { certificates, signer, timestamps };
}

/**
 * ContentInfo(SignedData)'s contentType element and SignedData's elements, read as DER; trailing bytes
 * (a PDF /Contents' zero padding) ignored. Null for anything else.
 */
function signedData(der: Uint8Array): { contentType: Tlv; parts: Tlv[] } | null {
  const ci = tlv(der, 0, der.length);
  const ciParts = ci && ci.tag === 0x30 ? children(der, ci) : null;
  if (ciParts?.length !== 2 || ciParts[1]!.tag !== 0xa0) return null;
  const explicit = children(der, ciParts[1]!);
  const parts = explicit?.length === 1 && explicit[0]!.tag === 0x30 ? children(der, explicit[0]!) : null;
  return parts ? { contentType: ciParts[0]!, parts } : null;
}

/** asn1js's own nesting limit, less the levels above a SignedData's sets. */
const SET_MAX_DEPTH = 96;

/**
 * The same ContentInfo(SignedData) without its certificate [0] and CRL [1] sets, the certificates as
 * carried, and how many elements were cut. The verifier hands asn1js only the rest: matching every
 * certificate and CRL entry node by node was most of reading a signature (~8 ms of a cold `vanthu
 * verify`), and each certificate is read once per process from its DER (verify/certs.ts).
 *
 * Null, and the verifier parses everything as before, unless the sets are what the full parse would
 * also accept: every member a SEQUENCE, well-formed DER all the way down, nested no deeper than asn1js
 * allows, and the cut elements within `nodeBudget` (the whole blob's node limit; the verifier gives the
 * rest what is left of it).
 */
export function withoutCertificateSets(der: Uint8Array, nodeBudget: number): { rest: Buffer; certificates: Buffer[]; cutNodes: number } | null {
  const sd = signedData(der);
  if (!sd) return null;
  const certificates: Buffer[] = [];
  const kept: Buffer[] = [];
  let cutNodes = 0;
  for (const t of sd.parts) {
    if (t.tag !== 0xa0 && t.tag !== 0xa1) { kept.push(element(der, t)); continue; }
    const set = children(der, t, 4096);
    const nodes = subtreeNodes(der, t, SET_MAX_DEPTH, nodeBudget - cutNodes);
    if (!set || nodes === null || set.some((m) => m.tag !== 0x30)) return null;
    cutNodes += nodes;
    if (t.tag === 0xa0) certificates.push(...set.map((c) => element(der, c)));
  }
  return { rest: derTlv(0x30, element(der, sd.contentType), derTlv(0xa0, derTlv(0x30, ...kept))), certificates, cutNodes };
}
