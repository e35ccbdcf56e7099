/**
 * PAdES B-LT at issuing (docs/signing.md, "Validation data at issuing"): after the agency's
 * signatures, one more incremental revision adds a /DSS with the certificates and the OCSP responses
 * and CRLs that validate every signature in the file, leader and agency, so a recipient with no network
 * and an empty cache can still judge them. The answers are the verifier's own: each signer's chain goes
 * through the verifier's revocation path (chainRevocation: DSS, cache, OCSP, CRL), which leaves what it
 * fetched in the revocation cache, and what the cache then holds for each certificate is embedded.
 * Nothing is fetched twice, no signed range is hashed again, and no second revocation logic exists here.
 */
import { PDFArray, PDFDict, PDFName, PDFRef, type PDFDocument } from '@cantoo/pdf-lib';
import { PdfFile } from '../parse/document';
import { signatureEntries } from '../parse/signatures';
import { parseCert, type Cert } from '../../verify/certs';
import { buildChain } from '../../verify/chain';
import { chainRevocation } from '../../verify/chain-revocation';
import { verifyCms } from '../../verify/cms';
import { dssCertificates, dssRevocationData } from '../../verify/dss';
import { loadTrustAnchors } from '../../verify/trust';
import { cacheKey, RevocationCache } from '../../trust/revocation-cache';
import type { IncrementalSigner } from './incremental-signer';
import type { LeaderRevocationOptions } from './leader-check';

export interface ValidationData { certs: Buffer[]; ocsps: Buffer[]; crls: Buffer[] }

export interface CollectOptions {
  trustDir?: string;
  trustAnchors?: readonly Buffer[];
  revocationCacheDir?: string;
  /** Certificates that may complete the signers' chains (configured intermediates, the token's chain, the file's). */
  pool: readonly Buffer[];
}

/**
 * What the cache holds for each signer's chain. `complete` is false when some signer's own certificate
 * has no revocation answer to embed (the file then validates offline only partly).
 */
export function collectValidationData(signers: readonly Buffer[], opts: CollectOptions): ValidationData & { complete: boolean } {
  const anchors = parseAll(opts.trustAnchors ?? (opts.trustDir ? loadTrustAnchors(opts.trustDir) : []));
  const pool = parseAll(opts.pool);
  const cache = new RevocationCache(opts.revocationCacheDir ?? null);
  const certs = new Map<string, Buffer>();
  const answers = new Map<string, Buffer>();
  const crls = new Map<string, Buffer>();
  let complete = true;
  for (const signer of parseAll(signers)) {
    const path = buildChain(signer, pool, anchors).path;
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

export interface EmbedOptions extends LeaderRevocationOptions {
  trustDir?: string;
  trustAnchors?: readonly Buffer[];
  offline: boolean;
  now: Date;
  pool: readonly Buffer[];
}

/**
 * Asks the revocation path for every signer's chain (online unless `offline`) and appends the DSS
 * revision. Returns whether every signer's certificate got revocation data; nothing is appended when no
 * answer at all could be had (an isolated network: the file stays B-B/B-T).
 */
export async function embedValidationData(s: IncrementalSigner, opts: EmbedOptions): Promise<boolean> {
  const { pool: given, offline, now, ...trust } = opts;
  const file = new PdfFile(Buffer.from(s.result()));
  const carried = carriedCertificates(file);
  const pool = [...given, ...carried.certs];
  const embedded = dssRevocationData(file);
  for (const certificate of carried.signers) {
    // Only for its side effect: whatever the path fetches lands in the cache read below.
    await chainRevocation({ ...trust, certificate, chain: pool, signingTime: now, embedded, offline, now });
  }
  const data = collectValidationData(carried.signers, { ...trust, pool });
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
 * Each signature's signer certificate, and every certificate the file already carries — in the
 * signatures' CMS and in an earlier DSS — so a leader's chain through a CA this agency does not
 * configure still reaches the recipient. Parsing only: no signed range is hashed here.
 */
function carriedCertificates(file: PdfFile): { signers: Buffer[]; certs: Buffer[] } {
  const signers: Buffer[] = [];
  const certs = dssCertificates(file).map((c) => c.der);
  for (const entry of signatureEntries(file)) {
    if (!entry.contents) continue;
    try {
      const cms = verifyCms(entry.contents.bytes, null);
      // The agency's four signatures share one certificate: its chain is asked about once.
      if (cms.signer && !signers.some((d) => d.equals(cms.signer!.der))) signers.push(cms.signer.der);
      certs.push(...cms.certificates.map((c) => c.der));
    } catch {
      // A malformed signature contributes nothing; the verifier reports it to whoever reads the file.
    }
  }
  return { signers, certs };
}

function parseAll(ders: readonly Buffer[]): Cert[] {
  return ders.flatMap((d) => {
    try { return [parseCert(d)]; } catch { return []; }
  });
}
