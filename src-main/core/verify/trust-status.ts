/**
 * What the workstation trusts and how fresh its revocation data is (`vanthu trust status`), and
 * fetching the CRLs of every configured CA ahead of time (`vanthu trust refresh`, also for the
 * exchange sync), so that later verifications can run offline.
 */
import { readIntermediates, type Settings } from '../config';
import { crlUrls, parseCerts, type Cert } from './certs';
import { crlOf, describe } from './revocation';
import { loadTrustAnchors } from './trust';
import { DEFAULT_NETWORK_TIMEOUT_MS, fetchCrl } from '../trust/fetch';
import { cacheKey, freshness, revocationCacheDir, RevocationCache, type CacheEntryMeta } from '../trust/revocation-cache';

export interface TrustedCertificate { role: 'anchor' | 'intermediate'; subject: string; sha256: string; notAfter: string; expired: boolean }
export interface CachedRevocation extends CacheEntryMeta { state: 'fresh' | 'stale'; ageSeconds: number }
export interface TrustStatus { anchors: TrustedCertificate[]; intermediates: TrustedCertificate[]; revocation: CachedRevocation[]; cacheDir: string }

type TrustSettings = Pick<Settings, 'trustDir' | 'intermediates' | 'dataDir'> & Partial<Pick<Settings, 'crlUrlOverride'>>;

function configured(settings: TrustSettings): { anchors: Cert[]; intermediates: Cert[] } {
  let intermediates: Buffer[] = [];
  try { intermediates = readIntermediates(settings); } catch { /* a missing file is reported as no intermediate */ }
  return { anchors: parseCerts(loadTrustAnchors(settings.trustDir)), intermediates: parseCerts(intermediates) };
}

export function trustStatus(settings: TrustSettings, now = new Date()): TrustStatus {
  const { anchors, intermediates } = configured(settings);
  const row = (role: TrustedCertificate['role']) => (c: Cert): TrustedCertificate => ({
    role, subject: describe(c), sha256: c.id, notAfter: c.fields.notAfter.toISOString(), expired: c.fields.notAfter.getTime() < now.getTime(),
  });
  const cacheDir = revocationCacheDir(settings.dataDir);
  const revocation = new RevocationCache(cacheDir).list().map((m) => ({
    ...m, state: freshness(m, now), ageSeconds: Math.max(0, Math.round((now.getTime() - Date.parse(m.thisUpdate)) / 1000)),
  }));
  return { anchors: anchors.map(row('anchor')), intermediates: intermediates.map(row('intermediate')), revocation, cacheDir };
}

export interface RefreshResult { url: string; ok: boolean; issuer: string | null; detail: string }

/**
 * Fetches the CRLs of the configured CAs: the distribution points named in the configured
 * certificates, the settings' CRL mirror (crlUrlOverride, where an isolated network keeps its CA's
 * CRL; the demo profile's own source), those recorded by earlier fetches of CRLs of a configured CA,
 * and `extraUrls`. Each CRL is kept only when a configured CA signed it.
 */
export async function refreshTrust(settings: TrustSettings, options: { extraUrls?: string[]; timeoutMs?: number; now?: Date } = {}): Promise<RefreshResult[]> {
  const { anchors, intermediates } = configured(settings);
  const cas = [...anchors, ...intermediates];
  const cache = new RevocationCache(revocationCacheDir(settings.dataDir));
  const caIds = new Set(cas.map((c) => c.id));
  const urls = new Set<string>([
    ...cas.flatMap((c) => crlUrls(c)),
    ...(settings.crlUrlOverride ? [settings.crlUrlOverride] : []),
    ...cache.list().filter((m) => m.kind === 'crl' && m.url && caIds.has(m.issuerId)).map((m) => m.url!),
    ...(options.extraUrls ?? []),
  ]);
  const now = options.now ?? new Date();
  const out: RefreshResult[] = [];
  for (const url of [...urls].slice(0, 64)) {
    try {
      const der = await fetchCrl(url, options.timeoutMs ?? DEFAULT_NETWORK_TIMEOUT_MS);
      const issuer = cas.find((c) => crlOf(der, c));
      const crl = issuer ? crlOf(der, issuer) : null;
      if (!issuer || !crl) { out.push({ url, ok: false, issuer: null, detail: 'not a CRL signed by a configured CA' }); continue; }
      cache.put({ der, meta: {
        kind: 'crl', key: cacheKey('crl', issuer.der), subject: describe(issuer), issuerId: issuer.id, thisUpdate: crl.thisUpdate.value.toISOString(),
        nextUpdate: crl.nextUpdate?.value.toISOString() ?? null, fetchedAt: now.toISOString(), url, bytes: der.length,
      } });
      out.push({ url, ok: true, issuer: describe(issuer), detail: `${crl.revokedCertificates?.length ?? 0} revoked, next update ${crl.nextUpdate?.value.toISOString() ?? 'not given'}` });
    } catch (e) {
      out.push({ url, ok: false, issuer: null, detail: (e as Error).message });
    }
  }
  return out;
}
