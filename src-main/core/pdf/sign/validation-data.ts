/**
 * PAdES B-LT at issuing (docs/signing.md, "Validation data at issuing"): after the agency's
 * signatures, one more incremental revision adds a /DSS with the certificates and the OCSP responses
 * and CRLs that validate every signature in the file, leader and agency, so a recipient with no network
 * and an empty cache can still judge them. The answers are the verifier's own: each signer's chain goes
 * through the verifier's revocation path (chainRevocation: DSS, cache, OCSP, CRL), which leaves what it
 * fetched in the revocation cache, and what the cache then holds for each certificate is embedded.
 * Nothing is fetched twice, no signed range is hashed again, no signature is verified again, and no
 * second revocation logic exists here.
 */
import { decodePDFRawStream, PDFArray, PDFDict, PDFHexString, PDFName, PDFRawStream, PDFRef, PDFString, type PDFDocument, type PDFObject } from '@cantoo/pdf-lib';
import { hexStringBytes } from '../parse/lexer';
import { parseCerts } from '../../verify/certs';
import { buildChain, issuersByAia } from '../../verify/chain';
import { chainRevocation } from '../../verify/chain-revocation';
import { verifyCms } from '../../verify/cms';
import type { EmbeddedRevocation } from '../../verify/dss';
import { loadTrustAnchors } from '../../verify/trust';
import { aiaCacheDir } from '../../trust/aia';
import { cmsCertificates } from '../../trust/cms-certificates';
import { cacheKey, freshness, RevocationCache } from '../../trust/revocation-cache';
import type { TsaOptions } from '../../cms/timestamp';
import { appendDocumentTimestamp } from './doc-timestamp';
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
  const anchors = parseCerts(opts.trustAnchors ?? (opts.trustDir ? loadTrustAnchors(opts.trustDir) : []));
  const pool = parseCerts(opts.pool);
  const cache = new RevocationCache(opts.revocationCacheDir ?? null);
  const certs = new Map<string, Buffer>();
  const answers = new Map<string, Buffer>();
  const crls = new Map<string, Buffer>();
  let complete = true;
  for (const signer of parseCerts(signers)) {
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
  /** PAdES B-LTA: the TSA that time-stamps the document after the DSS revision (doc-timestamp.ts). */
  tsa?: TsaOptions;
  /**
   * The certificate every signature this job queued is made with. Without a `tsa` (whose certificates
   * only the token's answers carry), nothing else in those signatures is unknown: the data is then
   * collected, and the DSS revision written, while the token is still signing.
   */
  ownSigner?: Buffer;
}

/**
 * Asks the revocation path for every signer's chain (online unless `offline`) and appends the DSS
 * revision, then, with a `tsa`, the document time-stamp over it (B-LTA). Returns whether every
 * signer's certificate got revocation data; nothing is appended when no answer at all could be had
 * (an isolated network: the file stays B-B/B-T).
 *
 * Cheap by construction: the certificates are read from the signatures' DER (no CMS is parsed or
 * verified again, no copy of the file is made), and a signer whose certificate already has a fresh
 * answer in the cache — the leader, whose chain the leader check has just asked about — is not asked
 * again. Returns once every signature is made and the DSS revision follows them.
 */
export async function embedValidationData(s: IncrementalSigner, opts: EmbedOptions): Promise<boolean> {
  const { pool: given, offline, now, tsa, ownSigner, trustDir, ...rest } = opts;
  // The trust folder is read once here; every step below takes the anchors.
  const trust = { ...rest, trustAnchors: rest.trustAnchors ?? (trustDir ? loadTrustAnchors(trustDir) : []) };
  const early = ownSigner !== undefined && !tsa;
  if (!early) await s.settle();
  const carried = carriedCertificates(s, early ? ownSigner : null);
  const pool = [...given, ...carried.certs];
  await addAiaIssuers([...carried.signers, ...carried.tsas], pool, trust, offline);
  const cache = new RevocationCache(trust.revocationCacheDir ?? null);
  for (const certificate of [...carried.signers, ...carried.tsas]) {
    if (hasFreshAnswer(cache, certificate, pool, now)) continue;
    // Only for its side effect: whatever the path fetches lands in the cache read below.
    await chainRevocation({ ...trust, certificate, chain: pool, signingTime: now, embedded: carried.embedded, offline, now });
  }
  // A TSA without an answer leaves the file valid offline (the verifier only warns), so it does not count against `complete`.
  const data = collectValidationData(carried.signers, { ...trust, pool });
  const tsaData = collectValidationData(carried.tsas, { ...trust, pool });
  for (const key of ['certs', 'ocsps', 'crls'] as const) data[key] = unique([...data[key], ...tsaData[key]]);
  if (data.ocsps.length + data.crls.length === 0) return false;
  await s.appendUnsigned((doc) => addDss(doc, data));
  if (tsa) await appendDocumentTimestamp(s, tsa, now);
  return data.complete;
}

/**
 * Issuers of the signers' chains that no certificate at hand supplies, from their AIA "CA Issuers"
 * addresses (the leader check's verification has usually fetched them already: then from the cache),
 * so the DSS carries the whole chain.
 */
async function addAiaIssuers(certificates: readonly Buffer[], pool: Buffer[], trust: Omit<EmbedOptions, 'pool' | 'offline' | 'now' | 'tsa'>, offline: boolean): Promise<void> {
  const anchors = parseCerts(trust.trustAnchors ?? (trust.trustDir ? loadTrustAnchors(trust.trustDir) : []));
  const aia = { cacheDir: trust.revocationCacheDir ? aiaCacheDir(trust.revocationCacheDir) : null, offline, ...(trust.networkTimeoutMs ? { timeoutMs: trust.networkTimeoutMs } : {}) };
  for (const c of parseCerts(certificates)) {
    const known = parseCerts(pool);
    if (buildChain(c, known, anchors).path) continue;
    pool.push(...(await issuersByAia(c, known, anchors, aia)).added.map((a) => a.der));
  }
}

/** A fresh cached OCSP response for the certificate, or a fresh CRL of one of the pool's certificates that issued it. */
function hasFreshAnswer(cache: RevocationCache, certificate: Buffer, pool: readonly Buffer[], now: Date): boolean {
  const fresh = (key: string) => { const e = cache.get(key); return e !== null && freshness(e.meta, now) === 'fresh'; };
  if (fresh(cacheKey('ocsp', certificate))) return true;
  const leaf = parseCerts([certificate])[0];
  return leaf !== undefined && parseCerts(pool).some((c) => c.x509.subject === leaf.x509.issuer && leaf.x509.checkIssued(c.x509) && fresh(cacheKey('crl', c.der)));
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

/** Bounds for what a hostile input's form and DSS may make us read. */
const MAX_FIELDS = 10_000;
const MAX_DSS_ITEMS = 500;

/**
 * Each signature's signer certificate and its time-stamp's TSA certificate, and every certificate the
 * file already carries — in the signatures' CMS and in an earlier DSS — so a leader's chain through a CA this agency does not
 * configure still reaches the recipient; and the earlier DSS's revocation data. The input's signatures
 * are read from the document pdf-lib already parsed, ours from the revisions just written — or, given
 * `ownSigner`, not read at all: they carry that certificate and the chain the caller's pool holds.
 */
function carriedCertificates(s: IncrementalSigner, ownSigner: Buffer | null): { signers: Buffer[]; tsas: Buffer[]; certs: Buffer[]; embedded: EmbeddedRevocation } {
  const signers: Buffer[] = ownSigner ? [ownSigner] : [];
  const certs = dssStreams(s.doc, 'Certs');
  const tsas: Buffer[] = [];
  const pending = [...inputSignatureContents(s), ...(ownSigner ? [] : ownSignatureContents(s))].map((contents) => ({ contents, tsa: false }));
  // Each signature, then each signature time-stamp token found in one: a TSA's chain needs its data too.
  for (let i = 0; i < pending.length && i < MAX_FIELDS; i++) {
    const { contents, tsa } = pending[i]!;
    const read = cmsCertificates(contents) ?? { certificates: [], signer: null, timestamps: [] };
    let signer = read.signer;
    certs.push(...read.certificates);
    pending.push(...read.timestamps.map((token) => ({ contents: token, tsa: true })));
    if (!signer) {
      // Named by key identifier, or not plain DER: the full parser finds it (no signed range is hashed).
      try { signer = verifyCms(Buffer.from(contents), null).signer?.der ?? null; } catch { signer = null; }
    }
    // The agency's four signatures share one certificate (and one TSA): its chain is asked about once.
    const into = tsa ? tsas : signers;
    if (signer && !into.some((d) => d.equals(signer!))) into.push(signer);
  }
  return { signers, tsas, certs, embedded: { ocsps: dssStreams(s.doc, 'OCSPs'), crls: dssStreams(s.doc, 'CRLs') } };
}

/** /Contents of the signature fields the input already had (ours hold only placeholders in pdf-lib's objects). */
function inputSignatureContents(s: IncrementalSigner): Uint8Array[] {
  const ours = new Set(s.queuedFields);
  const out: Uint8Array[] = [];
  const form = s.doc.catalog.lookupMaybe(PDFName.of('AcroForm'), PDFDict);
  const queue: PDFObject[] = form?.lookupMaybe(PDFName.of('Fields'), PDFArray)?.asArray() ?? [];
  for (let seen = 0; queue.length > 0 && seen < MAX_FIELDS; seen++) {
    const field = s.doc.context.lookup(queue.shift());
    if (!(field instanceof PDFDict)) continue;
    queue.push(...(field.lookupMaybe(PDFName.of('Kids'), PDFArray)?.asArray() ?? []));
    const name = field.lookupMaybe(PDFName.of('T'), PDFString, PDFHexString)?.decodeText();
    if (name !== undefined && ours.has(name)) continue;
    const value = field.lookupMaybe(PDFName.of('V'), PDFDict);
    const contents = value?.lookup(PDFName.of('Contents'));
    // Decoded by Node, not by pdf-lib's asBytes: a pair of digits at a time in JS, ~0.5 ms an issue.
    if (contents instanceof PDFHexString) out.push(hexStringBytes(contents.asString()));
    else if (contents instanceof PDFString) out.push(contents.asBytes());
  }
  return out;
}

/** /Contents of the signatures this job appended, cut from the revisions' bytes by their ByteRange. */
function ownSignatureContents(s: IncrementalSigner): Uint8Array[] {
  const chunks = s.outputChunks();
  return s.revisions.map((r) => {
    // The gap is "<hex…>" from byteRange[1] to byteRange[2]; it lies inside the revision that made it.
    let offset = 0;
    for (const chunk of chunks) {
      if (r.byteRange[1] >= offset && r.byteRange[2] <= offset + chunk.byteLength) {
        const hex = Buffer.from(chunk.buffer, chunk.byteOffset + r.byteRange[1] - offset + 1, r.byteRange[2] - r.byteRange[1] - 2);
        return Buffer.from(hex.toString('latin1'), 'hex');
      }
      offset += chunk.byteLength;
    }
    return new Uint8Array(0);
  });
}

/** The decoded streams of one array of the input's /DSS. */
function dssStreams(doc: PDFDocument, key: 'Certs' | 'OCSPs' | 'CRLs'): Buffer[] {
  const items = doc.catalog.lookupMaybe(PDFName.of('DSS'), PDFDict)?.lookupMaybe(PDFName.of(key), PDFArray)?.asArray() ?? [];
  return items.slice(0, MAX_DSS_ITEMS).flatMap((item) => {
    const stream = doc.context.lookup(item);
    if (!(stream instanceof PDFRawStream)) return [];
    try { return [Buffer.from(decodePDFRawStream(stream).decode())]; } catch { return []; }
  });
}

function unique(ders: Buffer[]): Buffer[] {
  return ders.filter((d, i) => ders.findIndex((e) => e.equals(d)) === i);
}
