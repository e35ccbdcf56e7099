import { verify as cryptoVerify, constants } from 'node:crypto';
import * as asn1js from 'asn1js';
import { parseBer } from './ber';
import pkijs from 'pkijs';
import { DEFAULT_NETWORK_TIMEOUT_MS, fetchCrl, fetchOcsp, forgetDownHosts } from '../trust/fetch';
import { cacheKey, clearCacheMemory, freshness, RevocationCache } from '../trust/revocation-cache';
import { crlUrls, extKeyUsage, ocspUrls, parseCert, sameName, type Cert } from './certs';
import type { EmbeddedRevocation } from './dss';
import type { Indication, SignatureReport, SubIndication } from './report';

export interface RevocationOptions {
  /** Replace the certificates' AIA OCSP / CDP URLs (tests, or a local mirror). */
  ocspUrlOverride?: string;
  crlUrlOverride?: string;
  /** Per-request network timeout, ms (default DEFAULT_NETWORK_TIMEOUT_MS). */
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

const OCSP_SIGNING = '1.3.6.1.5.5.7.3.9';
const SIG_HASH: Record<string, string> = {
  '1.2.840.113549.1.1.5': 'sha1', '1.2.840.113549.1.1.11': 'sha256', '1.2.840.113549.1.1.12': 'sha384', '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.3.2': 'sha256', '1.2.840.10045.4.3.3': 'sha384', '1.2.840.10045.4.3.4': 'sha512',
};

type Status = { status: 'good' | 'revoked'; revokedAt: Date | null; thisUpdate: Date; nextUpdate: Date | null };

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

/** A DER CRL issued and signed by `issuer`, parsed; null when it is not one. */
export function crlOf(der: Buffer, issuer: Cert): pkijs.CertificateRevocationList | null {
  try {
    const asn = parseBer(new Uint8Array(der));
    if (asn.offset === -1) return null;
    const crl = new pkijs.CertificateRevocationList({ schema: asn.result });
    if (!sameName(issuer, 'subject', new Uint8Array(crl.issuer.valueBeforeDecode), () => crl.issuer)) return null;
    return verifySigned(crl.tbsView, crl.signatureAlgorithm, crl.signatureValue, issuer) ? crl : null;
  } catch {
    return null;
  }
}

/** Status from a DER CRL issued (and signed) by `issuer`, or null. */
export function crlStatus(der: Buffer, cert: Cert, issuer: Cert): Status | null {
  const crl = crlOf(der, issuer);
  if (!crl) return null;
  const hit = (crl.revokedCertificates ?? []).find((r) => cert.fields.serial.equals(r.userCertificate.valueBlock.valueHexView));
  return {
    status: hit ? 'revoked' : 'good',
    revokedAt: hit ? hit.revocationDate.value : null,
    thisUpdate: crl.thisUpdate.value,
    nextUpdate: crl.nextUpdate?.value ?? null,
  };
}

export function describe(c: Cert): string {
  return c.x509.subject.replace(/\n/g, ', ').normalize('NFC');
}

/** One certificate's revocation status and where it came from. */
export interface CertificateStatus {
  status: 'good' | 'revoked' | 'unknown';
  source: 'ocsp' | 'crl' | 'dss' | 'cache' | null;
  revokedAt: Date | null;
  detail: string;
}

export interface StatusOptions extends RevocationOptions { offline: boolean; now: Date }

/**
 * The full revocation path for one certificate: embedded DSS data → fresh cache → OCSP (AIA) → CRL
 * (CDP). What is fetched is cached (core/trust/revocation-cache.ts). A stale cached answer is never
 * used as fresh — except a revocation it lists, which stays true — and is named in the detail.
 */
export async function certificateStatus(cert: Cert, issuer: Cert, embedded: EmbeddedRevocation, options: StatusOptions): Promise<CertificateStatus> {
  const found = (s: Status, source: CertificateStatus['source'], note = ''): CertificateStatus => ({
    status: s.status, source, revokedAt: s.revokedAt,
    detail: s.status === 'good' ? `not revoked (${source}, thisUpdate ${s.thisUpdate.toISOString()})${note}` : `revoked at ${(s.revokedAt ?? new Date(0)).toISOString()} (${source})${note}`,
  });
  for (const der of embedded.ocsps) { const s = await ocspStatus(der, cert, issuer); if (s) return found(s, 'dss'); }
  for (const der of embedded.crls) { const s = crlStatus(der, cert, issuer); if (s) return found(s, 'dss'); }

  const cache = new RevocationCache(options.revocationCacheDir ?? null);
  const stale: string[] = [];
  for (const kind of ['ocsp', 'crl'] as const) {
    const entry = cache.get(cacheKey(kind, kind === 'ocsp' ? cert.der : issuer.der));
    if (!entry) continue;
    const s = kind === 'ocsp' ? await ocspStatus(entry.der, cert, issuer) : crlStatus(entry.der, cert, issuer);
    if (!s) continue;
    if (freshness(entry.meta, options.now) === 'fresh') return found(s, 'cache');
    if (s.status === 'revoked') return found(s, 'cache', ', from a stale cache entry (a revocation stays true)');
    stale.push(`stale cached ${kind.toUpperCase()} (thisUpdate ${entry.meta.thisUpdate}, nextUpdate ${entry.meta.nextUpdate ?? 'none'}), not used as fresh`);
  }
  if (options.offline) {
    return { status: 'unknown', source: null, revokedAt: null, detail: ['offline: no embedded or fresh cached revocation data', ...stale].join('; ') };
  }
  const timeout = options.networkTimeoutMs ?? DEFAULT_NETWORK_TIMEOUT_MS;
  const attempts: string[] = [];
  const remember = (kind: 'ocsp' | 'crl', der: Buffer, s: Status, url: string) => cache.put({ der, meta: {
    kind, key: cacheKey(kind, kind === 'ocsp' ? cert.der : issuer.der), subject: describe(kind === 'ocsp' ? cert : issuer), issuerId: issuer.id,
    thisUpdate: s.thisUpdate.toISOString(), nextUpdate: s.nextUpdate?.toISOString() ?? null, fetchedAt: options.now.toISOString(), url, bytes: der.length,
  } });
  for (const url of options.ocspUrlOverride ? [options.ocspUrlOverride] : ocspUrls(cert).slice(0, 3)) {
    try {
      const der = await fetchOcsp(url, cert.pkijs, issuer.pkijs, timeout);
      const s = await ocspStatus(der, cert, issuer);
      if (s) { remember('ocsp', der, s, url); return found(s, 'ocsp'); }
      attempts.push(`OCSP ${url}: no usable answer`);
    } catch (e) { attempts.push(`OCSP ${url}: ${(e as Error).message}`); }
  }
  for (const url of options.crlUrlOverride ? [options.crlUrlOverride] : crlUrls(cert).slice(0, 3)) {
    try {
      const der = await fetchCrl(url, timeout);
      const s = crlStatus(der, cert, issuer);
      if (s) { remember('crl', der, s, url); return found(s, 'crl'); }
      attempts.push(`CRL ${url}: not a CRL of the issuer`);
    } catch (e) { attempts.push(`CRL ${url}: ${(e as Error).message}`); }
  }
  const why = [...(attempts.length ? attempts : ['the certificate names no OCSP or CRL source']), ...stale].join('; ');
  return { status: 'unknown', source: null, revokedAt: null, detail: why };
}

/**
 * Revocation of a signature's chain (docs/verification.md, pipeline step 8): the signer certificate and
 * every intermediate CA certificate up to (not including) the trust anchor. A revocation at or before
 * the signing time — or any revocation when the signing time is only claimed — is REVOKED; no answer
 * for the signer is INDETERMINATE/TRY_LATER; no answer for an intermediate is a warning in the detail.
 */
export async function checkRevocation(
  path: Cert[], signingTime: Date, now: Date, embedded: EmbeddedRevocation,
  options: RevocationOptions & { offline: boolean; mode: 'require' | 'skip'; timeProven?: boolean; role?: 'signer' | 'TSA' },
): Promise<RevocationOutcome> {
  if (options.mode === 'skip') return { summary: { status: 'not-checked', source: null, checkedAt: null, detail: 'revocation check skipped by option' }, reason: '' };
  const checkedAt = now.toISOString();
  const role = options.role ?? 'signer';
  if (path.length < 2) return { summary: { status: 'unknown', source: null, checkedAt, detail: 'self-signed signer' }, indication: 'INDETERMINATE', subIndication: 'TRY_LATER', reason: 'no issuer to ask about revocation' };
  const statusOptions = { ...options, now };
  const tooLate = (at: Date | null) => !(options.timeProven && (at ?? new Date(0)).getTime() > signingTime.getTime());
  const leaf = await certificateStatus(path[0]!, path[1]!, embedded, statusOptions);
  const summary = { status: leaf.status, source: leaf.source, checkedAt, detail: leaf.detail };
  if (leaf.status === 'revoked') {
    if (!tooLate(leaf.revokedAt)) summary.detail += ', after the time-stamped signing time';
    else return { summary, indication: 'TOTAL_FAILED', subIndication: 'REVOKED', reason: `the ${role} certificate was revoked at ${leaf.revokedAt?.toISOString() ?? 'an unknown time'}` };
  }
  // Intermediates: path[i] issued by path[i + 1]; the last element is the anchor, trusted as configured.
  for (let i = 1; i < path.length - 1; i++) {
    // The URL overrides stand in for the signer's own OCSP/CRL addresses; a CA is asked where it says.
    const { ocspUrlOverride: _o, crlUrlOverride: _c, ...caOptions } = statusOptions;
    const ca = await certificateStatus(path[i]!, path[i + 1]!, embedded, caOptions);
    if (ca.status === 'revoked' && tooLate(ca.revokedAt)) {
      return { summary: { ...summary, detail: `${summary.detail}; CA ${describe(path[i]!)} ${ca.detail}` }, indication: 'TOTAL_FAILED', subIndication: 'REVOKED', reason: `the CA certificate ${describe(path[i]!)} in the ${role} chain was revoked at ${ca.revokedAt?.toISOString() ?? 'an unknown time'}` };
    }
    summary.detail += `; CA ${describe(path[i]!)}: ${ca.status === 'unknown' ? `status unknown (${ca.detail})` : ca.detail}`;
  }
  if (leaf.status === 'unknown') return { summary, indication: 'INDETERMINATE', subIndication: 'TRY_LATER', reason: `revocation status unknown: ${leaf.detail}` };
  return { summary, reason: '' };
}

/** Forgets cached answers held in memory and hosts marked unreachable (tests; the disk cache stays). */
export function clearRevocationCache(): void { clearCacheMemory(); forgetDownHosts(); }
