/**
 * Issuer certificates from a certificate's Authority Information Access "CA Issuers" address, for a
 * chain that the token, --chain, the intermediate store and the file itself cannot complete
 * (docs/signing.md, "Complete chains"; docs/verification.md, "Revocation"). Fetched with the short
 * timeouts of fetch.ts and kept on disk beside the revocation cache, bounded, so the next signature or
 * verification of the same CA needs no network. Answers may be DER, PEM, or a certs-only PKCS#7.
 * What comes back is only a candidate: the chain builders check every link's signature.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../fsx/atomic-write';
import { cmsCertificates } from './cms-certificates';
import { DEFAULT_NETWORK_TIMEOUT_MS, fetchBytes } from './fetch';
import { pemCertificates } from './pem';

export const AIA_LIMITS = {
  /** Addresses kept on disk (one file each); the oldest write goes first. */
  MAX_ENTRIES: 200,
  /** A CA Issuers answer is one certificate or a small bundle. */
  MAX_BYTES: 1024 * 1024,
  /** Certificates taken from one answer. */
  MAX_CERTS: 16,
  /** Addresses tried per certificate. */
  MAX_URLS: 3,
} as const;

export interface AiaOptions {
  /** Folder of the cache; null keeps answers in this process only. */
  cacheDir: string | null;
  timeoutMs?: number;
  /** No network: cached answers only. */
  offline?: boolean;
}

/** The AIA cache lives inside the revocation cache's folder: one place to clear, one data folder. */
export function aiaCacheDir(revocationCacheDir: string): string {
  return join(revocationCacheDir, 'aia');
}

const memory = new Map<string, Buffer[]>();

/** The CA Issuers URLs (http/https) a certificate names. */
export function caIssuersUrls(der: Buffer): string[] {
  let info: string | undefined;
  try { info = new X509Certificate(der).infoAccess; } catch { return []; }
  return [...(info ?? '').matchAll(/^CA Issuers - URI:(https?:\/\/\S+)$/gm)].map((m) => m[1]!).slice(0, AIA_LIMITS.MAX_URLS);
}

/** Certificates in an answer: DER, PEM (one or several) or PKCS#7 certs-only; anything else yields none. */
export function certificatesOf(body: Buffer): Buffer[] {
  const candidates = pemCertificates(body) ?? [body, ...(cmsCertificates(body)?.certificates ?? [])];
  return candidates.slice(0, AIA_LIMITS.MAX_CERTS).filter((d) => { try { new X509Certificate(d); return true; } catch { return false; } });
}

function keyOf(url: string): string {
  return createHash('sha256').update(url).digest('hex').slice(0, 32);
}

function readCached(dir: string | null, key: string): Buffer[] | null {
  const hit = memory.get(key);
  if (hit) return hit;
  if (!dir) return null;
  const file = join(dir, `${key}.bin`);
  if (!existsSync(file)) return null;
  try {
    const certs = certificatesOf(readFileSync(file));
    memory.set(key, certs);
    return certs;
  } catch {
    return null;
  }
}

function writeCached(dir: string | null, key: string, body: Buffer, certs: Buffer[]): void {
  memory.set(key, certs);
  if (memory.size > AIA_LIMITS.MAX_ENTRIES) memory.delete(memory.keys().next().value!);
  if (!dir) return;
  try {
    mkdirSync(dir, { recursive: true });
    writeFileAtomic(join(dir, `${key}.bin`), [body]);
    const files = readdirSync(dir).filter((f) => f.endsWith('.bin')).map((f) => ({ f, t: statSync(join(dir, f)).mtimeMs })).sort((a, b) => b.t - a.t);
    for (const { f } of files.slice(AIA_LIMITS.MAX_ENTRIES)) unlinkSync(join(dir, f));
  } catch {
    // The cache is an optimisation: a full disk must not fail a signature or a verification.
  }
}

/**
 * The certificates published at the CA Issuers addresses of `der`: from the cache, else fetched
 * (unless offline) and cached. Failures are returned as reasons, never thrown.
 */
export async function fetchIssuers(der: Buffer, opts: AiaOptions): Promise<{ certs: Buffer[]; reasons: string[] }> {
  const certs: Buffer[] = [];
  const reasons: string[] = [];
  for (const url of caIssuersUrls(der)) {
    const key = keyOf(url);
    const cached = readCached(opts.cacheDir, key);
    if (cached) { certs.push(...cached); continue; }
    if (opts.offline) { reasons.push(`AIA ${url}: offline, not cached`); continue; }
    try {
      const body = await fetchBytes(url, opts.timeoutMs ?? DEFAULT_NETWORK_TIMEOUT_MS, AIA_LIMITS.MAX_BYTES);
      const found = certificatesOf(body);
      if (found.length === 0) { reasons.push(`AIA ${url}: no certificate in the answer`); continue; }
      writeCached(opts.cacheDir, key, body, found);
      certs.push(...found);
    } catch (e) {
      reasons.push(`AIA ${url}: ${(e as Error).message}`);
    }
  }
  return { certs, reasons };
}

/** Forgets the AIA answers held in memory (tests; the disk stays). */
export function clearAiaMemory(): void { memory.clear(); }
