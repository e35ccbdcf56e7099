/**
 * PAdES B-LT at issuing (docs/signing.md, "Validation data at issuing"): after the agency's
 * signatures, one more incremental revision adds a /DSS with the certificates and the OCSP responses
 * and CRLs that validate every signature in the file, leader and agency, so a recipient with no network
 * and an empty cache can still judge them. The answers are the verifier's own: the file is verified
 * once online (which fills the revocation cache), and what the cache then holds for each certificate
 * of each chain is embedded. Nothing is fetched twice and no second revocation logic exists here.
 */
import { PDFArray, PDFDict, PDFName, PDFRef, type PDFDocument } from '@cantoo/pdf-lib';
import { PdfFile } from '../parse/document';
import { signatureEntries } from '../parse/signatures';
import { parseCert, type Cert } from '../../verify/certs';
import { verifyCms } from '../../verify/cms';
import { dssCertificates } from '../../verify/dss';
import { buildChain } from '../../verify/chain';
import { loadTrustAnchors } from '../../verify/trust';
import { cacheKey, RevocationCache } from '../../trust/revocation-cache';
import type { VerificationReport } from '../../verify/report';
import type { IncrementalSigner } from './incremental-signer';
import type { VerifyOptions, VerifyPdf } from './leader-check';

export interface ValidationData { certs: Buffer[]; ocsps: Buffer[]; crls: Buffer[] }

export interface CollectOptions {
  trustDir?: string;
  trustAnchors?: readonly Buffer[];
  revocationCacheDir?: string;
  /** Certificates that may complete the signers' chains (configured intermediates, the token's chain). */
  pool: readonly Buffer[];
}

/**
 * The data for every signature of a report just made online. `complete` is false when some signer's
 * own certificate has no revocation answer to embed (the file then validates offline only partly).
 */
export function collectValidationData(report: VerificationReport, opts: CollectOptions): ValidationData & { complete: boolean } {
  const anchors = parseAll(opts.trustAnchors ?? (opts.trustDir ? loadTrustAnchors(opts.trustDir) : []));
  const pool = parseAll(opts.pool);
  const cache = new RevocationCache(opts.revocationCacheDir ?? null);
  const certs = new Map<string, Buffer>();
  const answers = new Map<string, Buffer>();
  const crls = new Map<string, Buffer>();
  let complete = true;
  for (const sig of report.signatures) {
    if (!sig.certificate) continue;
    const path = buildChain(parseCert(Buffer.from(sig.certificate, 'base64')), pool, anchors).path;
    if (!path) { complete = false; continue; }
    path.forEach((cert, i) => {
      const issuer = path[i + 1];
      if (!anchors.some((a) => a.id === cert.id)) certs.set(cert.id, cert.der);
      if (!issuer) return;
      const ocsp = cache.get(cacheKey('ocsp', cert.der));
      const crl = cache.get(cacheKey('crl', issuer.der));
      if (ocsp) answers.set(ocsp.meta.key, ocsp.der);
      if (crl) crls.set(crl.meta.key, crl.der);
      if (i === 0 && !ocsp && !crl) complete = false;
    });
  }
  return { certs: [...certs.values()], ocsps: [...answers.values()], crls: [...crls.values()], complete };
}

/**
 * Verifies the file as signed so far (online unless `offline`, filling the revocation cache) and appends
 * the DSS revision. Returns whether every signer's certificate got revocation data; nothing is appended
 * when no answer at all could be had (an isolated network: the file stays B-B/B-T).
 */
export async function embedValidationData(s: IncrementalSigner, verify: VerifyPdf, opts: VerifyOptions & { pool: readonly Buffer[] }): Promise<boolean> {
  const { pool, ...verifyOpts } = opts;
  const bytes = Buffer.from(s.result());
  const report = await verify(bytes, verifyOpts);
  const data = collectValidationData(report, { ...verifyOpts, pool: [...pool, ...carriedCertificates(bytes)] });
  if (data.ocsps.length + data.crls.length === 0) return false;
  await s.appendUnsigned((doc) => addDss(doc, data));
  return data.complete;
}

/** Adds (or extends) the catalog's /DSS in the document's next incremental revision. */
export function addDss(doc: PDFDocument, data: ValidationData): void {
  const ctx = doc.context;
  const existing = doc.catalog.lookupMaybe(PDFName.of('DSS'), PDFDict);
  const dss = ctx.obj({ Type: 'DSS' }) as PDFDict;
  for (const [key, ders] of [['Certs', data.certs], ['OCSPs', data.ocsps], ['CRLs', data.crls]] as const) {
    // What an earlier DSS already carries stays: a recipient may rely on it for the earlier signatures.
    const refs = [...(existing?.lookupMaybe(PDFName.of(key), PDFArray)?.asArray() ?? []), ...ders.map((d) => ctx.register(ctx.stream(d)))];
    if (refs.length > 0) dss.set(PDFName.of(key), ctx.obj(refs));
  }
  doc.catalog.set(PDFName.of('DSS'), ctx.register(dss));
  ctx.snapshot!.markRefForSave(ctx.trailerInfo.Root as PDFRef);
}

/**
 * Certificates the file already carries — in each signature's CMS and in an earlier DSS — so a
 * leader's chain through a CA this agency does not configure still reaches the recipient.
 */
function carriedCertificates(bytes: Buffer): Buffer[] {
  const file = new PdfFile(bytes);
  const out = dssCertificates(file).map((c) => c.der);
  for (const entry of signatureEntries(file)) {
    if (!entry.contents) continue;
    try {
      out.push(...verifyCms(entry.contents.bytes, null).certificates.map((c) => c.der));
    } catch {
      // The verifier has already judged a malformed signature; it only contributes no certificates.
    }
  }
  return out;
}

function parseAll(ders: readonly Buffer[]): Cert[] {
  return ders.flatMap((d) => {
    try { return [parseCert(d)]; } catch { return []; }
  });
}
