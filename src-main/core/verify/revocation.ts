import { verify as cryptoVerify, constants, createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import { parseBer } from './ber';
import * as pkijs from 'pkijs';
import axios from 'axios';
import { crlUrls, extKeyUsage, ocspUrls, parseCert, type Cert } from './certs';
import type { EmbeddedRevocation } from './dss';
import type { Indication, SignatureReport, SubIndication } from './report';

export interface RevocationOptions {
  /** Replace the certificates' AIA OCSP / CDP URLs (tests, or a local mirror). */
  ocspUrlOverride?: string;
  crlUrlOverride?: string;
  /** Per-request network timeout, ms (default 5000). */
  networkTimeoutMs?: number;
  /** Folder where fetched OCSP responses and CRLs are kept for offline use (isolated networks). */
  revocationCacheDir?: string;
}

export interface RevocationOutcome {
  summary: NonNullable<SignatureReport['revocation']>;
  indication?: Indication;
  subIndication?: SubIndication;
  reason: string;
}

/** Biggest OCSP response / CRL we download (bytes). */
export const MAX_REVOCATION_BYTES = 10 * 1024 * 1024;
const OCSP_SIGNING = '1.3.6.1.5.5.7.3.9';
const SIG_HASH: Record<string, string> = {
  '1.2.840.113549.1.1.5': 'sha1', '1.2.840.113549.1.1.11': 'sha256', '1.2.840.113549.1.1.12': 'sha384', '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.3.2': 'sha256', '1.2.840.10045.4.3.3': 'sha384', '1.2.840.10045.4.3.4': 'sha512',
};

type Status = { status: 'good' | 'revoked'; revokedAt: Date | null; thisUpdate: Date; nextUpdate: Date | null };

/** In-process cache: responses keyed by certificate id, reused until their nextUpdate. */
const memoryCache = new Map<string, { kind: 'ocsp' | 'crl'; der: Buffer }>();

function toDer(a: asn1js.AsnType): Buffer { return Buffer.from(a.toBER(false)); }

function verifySigned(tbs: Uint8Array, alg: pkijs.AlgorithmIdentifier, sig: asn1js.BitString, signer: Cert): boolean {
  const hash = SIG_HASH[alg.algorithmId];
  if (!hash) return false;
  const options = alg.algorithmId === '1.2.840.113549.1.1.10' ? { padding: constants.RSA_PKCS1_PSS_PADDING } : {};
  try {
    return cryptoVerify(hash, tbs, { key: signer.x509.publicKey, ...options }, Buffer.from(sig.valueBlock.valueHexView));
  } catch {
    return false;
  }
}

/** Status from a DER OCSPResponse for `cert`, or null when it does not answer for it or does not verify. */
export async function ocspStatus(der: Buffer, cert: Cert, issuer: Cert): Promise<Status | null> {
  try {
    const asn = parseBer(new Uint8Array(der));
    if (asn.offset === -1) return null;
    let basic: pkijs.BasicOCSPResponse;
    try {
      const resp = new pkijs.OCSPResponse({ schema: asn.result });
      if (resp.responseStatus.valueBlock.valueDec !== 0 || !resp.responseBytes) return null;
      basic = new pkijs.BasicOCSPResponse({ schema: parseBer(resp.responseBytes.response.valueBlock.valueHexView).result });
    } catch {
      // DSS /OCSPs may hold a bare BasicOCSPResponse.
      basic = new pkijs.BasicOCSPResponse({ schema: asn.result });
    }
    // The responder: the issuer itself, or a delegate it certified with the OCSPSigning EKU.
    const candidates = [issuer, ...(basic.certs ?? []).map((c) => parseCert(toDer(c.toSchema())))];
    const responder = candidates.find((c) => verifySigned(basic.tbsResponseData.tbsView, basic.signatureAlgorithm, basic.signature, c));
    if (!responder) return null;
    if (responder.id !== issuer.id) {
      if (!responder.x509.verify(issuer.x509.publicKey)) return null;
      if (!(extKeyUsage(responder) ?? []).includes(OCSP_SIGNING)) return null;
    }
    const st = await basic.getCertificateStatus(cert.pkijs, issuer.pkijs);
    if (!st.isForCertificate || st.status === 2) return null;
    const single = basic.tbsResponseData.responses.find((r) => r.certID.serialNumber.isEqual(cert.pkijs.serialNumber))!;
    let revokedAt: Date | null = null;
    if (st.status === 1) {
      const inner = (single.certStatus as asn1js.Constructed).valueBlock?.value?.[0];
      revokedAt = inner instanceof asn1js.GeneralizedTime ? inner.toDate() : new Date(0);
    }
    return { status: st.status === 1 ? 'revoked' : 'good', revokedAt, thisUpdate: single.thisUpdate, nextUpdate: single.nextUpdate ?? null };
  } catch {
    return null;
  }
}

/** Status from a DER CRL issued (and signed) by `issuer`, or null. */
export function crlStatus(der: Buffer, cert: Cert, issuer: Cert): Status | null {
  try {
    const asn = parseBer(new Uint8Array(der));
    if (asn.offset === -1) return null;
    const crl = new pkijs.CertificateRevocationList({ schema: asn.result });
    if (!crl.issuer.isEqual(issuer.pkijs.subject)) return null;
    if (!verifySigned(crl.tbsView, crl.signatureAlgorithm, crl.signatureValue, issuer)) return null;
    const hit = (crl.revokedCertificates ?? []).find((r) => r.userCertificate.isEqual(cert.pkijs.serialNumber));
    return {
      status: hit ? 'revoked' : 'good',
      revokedAt: hit ? hit.revocationDate.value : null,
      thisUpdate: crl.thisUpdate.value,
      nextUpdate: crl.nextUpdate?.value ?? null,
    };
  } catch {
    return null;
  }
}

async function fetchOcsp(url: string, cert: Cert, issuer: Cert, timeout: number): Promise<Buffer> {
  const req = new pkijs.OCSPRequest();
  await req.createForCertificate(cert.pkijs, { hashAlgorithm: 'SHA-1', issuerCertificate: issuer.pkijs });
  const body = Buffer.from(req.toSchema(true).toBER());
  const res = await axios.post<ArrayBuffer>(url, body, {
    headers: { 'Content-Type': 'application/ocsp-request' }, responseType: 'arraybuffer', timeout,
    maxContentLength: MAX_REVOCATION_BYTES, maxRedirects: 2, validateStatus: (s) => s === 200, proxy: false,
  });
  return Buffer.from(res.data);
}

async function fetchCrl(url: string, timeout: number): Promise<Buffer> {
  const res = await axios.get<ArrayBuffer>(url, { responseType: 'arraybuffer', timeout, maxContentLength: MAX_REVOCATION_BYTES, maxRedirects: 2, validateStatus: (s) => s === 200, proxy: false });
  const data = Buffer.from(res.data);
  // CDPs often serve PEM; accept both.
  const pem = /-----BEGIN X509 CRL-----([^-]+)-----END X509 CRL-----/.exec(data.toString('latin1'));
  return pem ? Buffer.from(pem[1]!.replace(/\s+/g, ''), 'base64') : data;
}

function fresh(s: Status, now: Date): boolean {
  return s.nextUpdate === null ? now.getTime() - s.thisUpdate.getTime() < 7 * 86400_000 : s.nextUpdate.getTime() >= now.getTime();
}

function cacheFile(dir: string, cert: Cert, kind: 'ocsp' | 'crl'): string {
  return join(dir, `${createHash('sha256').update(cert.der).digest('hex').slice(0, 32)}.${kind}`);
}

/**
 * Revocation of the signer certificate (docs/verification.md, pipeline step 8): embedded DSS data, then the cache,
 * then OCSP (AIA), then CRL (CDP). A revocation at or before the signing time — or any revocation when
 * the signing time is only claimed — is REVOKED; no answer at all is INDETERMINATE/TRY_LATER.
 * Intermediate CA certificates are not checked (the report says so in `detail`).
 */
export async function checkRevocation(
  path: Cert[], signingTime: Date, now: Date, embedded: EmbeddedRevocation,
  options: RevocationOptions & { offline: boolean; mode: 'require' | 'skip'; timeProven?: boolean },
): Promise<RevocationOutcome> {
  if (options.mode === 'skip') return { summary: { status: 'not-checked', source: null, checkedAt: null, detail: 'revocation check skipped by option' }, reason: '' };
  const cert = path[0]!;
  const issuer = path[1];
  const checkedAt = now.toISOString();
  if (!issuer) return { summary: { status: 'unknown', source: null, checkedAt, detail: 'self-signed signer' }, indication: 'INDETERMINATE', subIndication: 'TRY_LATER', reason: 'no issuer to ask about revocation' };
  const attempts: string[] = [];
  const judge = (s: Status, source: 'ocsp' | 'crl' | 'dss' | 'cache'): RevocationOutcome => {
    if (s.status === 'good') return { summary: { status: 'good', source, checkedAt, detail: `not revoked (${source}, thisUpdate ${s.thisUpdate.toISOString()})` }, reason: '' };
    const at = s.revokedAt ?? new Date(0);
    const summary = { status: 'revoked' as const, source, checkedAt, detail: `revoked at ${at.toISOString()} (${source})` };
    if (options.timeProven && at.getTime() > signingTime.getTime()) return { summary: { ...summary, detail: `${summary.detail}, after the time-stamped signing time` }, reason: '' };
    return { summary, indication: 'TOTAL_FAILED', subIndication: 'REVOKED', reason: `the signer certificate was revoked at ${at.toISOString()}` };
  };
  // 1. Embedded (DSS) data.
  for (const der of embedded.ocsps) { const s = await ocspStatus(der, cert, issuer); if (s) return judge(s, 'dss'); }
  for (const der of embedded.crls) { const s = crlStatus(der, cert, issuer); if (s) return judge(s, 'dss'); }
  // 2. Cache (memory, then disk), while fresh.
  const cached = memoryCache.get(cert.id) ?? diskCached(options.revocationCacheDir, cert);
  if (cached) {
    const s = cached.kind === 'ocsp' ? await ocspStatus(cached.der, cert, issuer) : crlStatus(cached.der, cert, issuer);
    if (s && (fresh(s, now) || options.offline)) return judge(s, 'cache');
  }
  if (options.offline) {
    return { summary: { status: 'unknown', source: null, checkedAt, detail: 'offline: no embedded or cached revocation data' }, indication: 'INDETERMINATE', subIndication: 'TRY_LATER', reason: 'offline and no embedded or cached revocation data' };
  }
  const timeout = options.networkTimeoutMs ?? 5000;
  const remember = (kind: 'ocsp' | 'crl', der: Buffer) => {
    memoryCache.set(cert.id, { kind, der });
    if (options.revocationCacheDir) {
      try { mkdirSync(options.revocationCacheDir, { recursive: true }); writeFileSync(cacheFile(options.revocationCacheDir, cert, kind), der); } catch { /* cache is best effort */ }
    }
  };
  // 3. OCSP, 4. CRL.
  for (const url of options.ocspUrlOverride ? [options.ocspUrlOverride] : ocspUrls(cert).slice(0, 3)) {
    try {
      const der = await fetchOcsp(url, cert, issuer, timeout);
      const s = await ocspStatus(der, cert, issuer);
      if (s) { remember('ocsp', der); return judge(s, 'ocsp'); }
      attempts.push(`OCSP ${url}: no usable answer`);
    } catch (e) { attempts.push(`OCSP ${url}: ${(e as Error).message}`); }
  }
  for (const url of options.crlUrlOverride ? [options.crlUrlOverride] : crlUrls(cert).slice(0, 3)) {
    try {
      const der = await fetchCrl(url, timeout);
      const s = crlStatus(der, cert, issuer);
      if (s) { remember('crl', der); return judge(s, 'crl'); }
      attempts.push(`CRL ${url}: not a CRL of the issuer`);
    } catch (e) { attempts.push(`CRL ${url}: ${(e as Error).message}`); }
  }
  const why = attempts.length ? attempts.join('; ') : 'the certificate names no OCSP or CRL source';
  return { summary: { status: 'unknown', source: null, checkedAt, detail: why }, indication: 'INDETERMINATE', subIndication: 'TRY_LATER', reason: `revocation status unknown: ${why}` };
}

function diskCached(dir: string | undefined, cert: Cert): { kind: 'ocsp' | 'crl'; der: Buffer } | undefined {
  if (!dir) return undefined;
  for (const kind of ['ocsp', 'crl'] as const) {
    const f = cacheFile(dir, cert, kind);
    if (existsSync(f)) return { kind, der: readFileSync(f) };
  }
  return undefined;
}

/** Forgets cached answers (tests). */
export function clearRevocationCache(): void { memoryCache.clear(); }
