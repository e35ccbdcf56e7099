/**
 * The revocation cache: CRLs (kept by their issuer) and OCSP responses (kept by the certificate they
 * answer for) fetched by any verification or by `vanthu trust refresh`, so a workstation that is
 * offline most of the day still has revocation data. Entries are used as fresh only inside their
 * thisUpdate…nextUpdate window; a stale entry is reported as stale, never used as fresh (a revocation
 * it lists is still proof: revocation is permanent). Bounded in entries and bytes, oldest fetch evicted
 * first; written atomically, one DER file and one metadata file per entry.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import { writeFileAtomic } from '../fsx/atomic-write';

export const CACHE_LIMITS = {
  /** Entries kept (CRLs and OCSP responses together). */
  MAX_ENTRIES: 2000,
  /** Bytes of DER kept; one national CA's CRL can reach tens of MB. */
  MAX_BYTES: 256 * 1024 * 1024,
  /** A CRL or OCSP response without nextUpdate counts as fresh this long after thisUpdate. */
  NO_NEXT_UPDATE_FRESH_MS: 7 * 86400_000,
} as const;

export type CacheKind = 'crl' | 'ocsp';

const metaSchema = z.object({
  kind: z.enum(['crl', 'ocsp']),
  key: z.string().regex(/^(crl|ocsp)-[0-9a-f]{32}$/),
  /** Issuer of the CRL, or subject of the certificate an OCSP response answers for (display). */
  subject: z.string().max(2000),
  /** Issuer certificate id (SHA-256 of its DER, hex) — the grouping "by issuer". */
  issuerId: z.string().max(64),
  thisUpdate: z.string(),
  nextUpdate: z.string().nullable(),
  fetchedAt: z.string(),
  url: z.string().max(4096).nullable(),
  bytes: z.number().int().nonnegative(),
}).strict();
export type CacheEntryMeta = z.infer<typeof metaSchema>;
export interface CacheEntry { meta: CacheEntryMeta; der: Buffer }

/** The cache key of the CRL of an issuer, or of the OCSP response for a certificate (both by certificate DER). */
export function cacheKey(kind: CacheKind, certDer: Buffer): string {
  return `${kind}-${createHash('sha256').update(certDer).digest('hex').slice(0, 32)}`;
}

export function freshness(meta: Pick<CacheEntryMeta, 'thisUpdate' | 'nextUpdate'>, now: Date): 'fresh' | 'stale' {
  const until = meta.nextUpdate ? Date.parse(meta.nextUpdate) : Date.parse(meta.thisUpdate) + CACHE_LIMITS.NO_NEXT_UPDATE_FRESH_MS;
  return Date.parse(meta.thisUpdate) <= now.getTime() + 300_000 && now.getTime() <= until ? 'fresh' : 'stale';
}

/** The revocation cache of a data folder: one place for the CLI, the workstation and the sync. */
export function revocationCacheDir(dataDir: string): string {
  return join(dataDir, 'revocation-cache');
}

/** Process-wide memory layer, per cache folder ('' = memory only). */
const layers = new Map<string, Map<string, CacheEntry>>();

export class RevocationCache {
  private readonly mem: Map<string, CacheEntry>;

  constructor(readonly dir: string | null) {
    const id = dir ?? '';
    let m = layers.get(id);
    if (!m) { m = new Map(); layers.set(id, m); }
    this.mem = m;
  }

  get(key: string): CacheEntry | null {
    const hit = this.mem.get(key);
    if (hit) return hit;
    if (!this.dir) return null;
    const metaPath = join(this.dir, `${key}.json`);
    const derPath = join(this.dir, `${key}.der`);
    if (!existsSync(metaPath) || !existsSync(derPath)) return null;
    try {
      const meta = metaSchema.parse(JSON.parse(readFileSync(metaPath, 'utf8')));
      const der = readFileSync(derPath);
      if (meta.key !== key || der.length !== meta.bytes) return null;
      const entry = { meta, der };
      this.mem.set(key, entry);
      return entry;
    } catch {
      return null; // a damaged entry is simply not there; the next fetch replaces it
    }
  }

  put(entry: CacheEntry): void {
    this.mem.set(entry.meta.key, entry);
    if (!this.dir) { this.evictMemory(); return; }
    try {
      mkdirSync(this.dir, { recursive: true });
      writeFileAtomic(join(this.dir, `${entry.meta.key}.der`), [entry.der]);
      writeFileAtomic(join(this.dir, `${entry.meta.key}.json`), [Buffer.from(JSON.stringify(entry.meta))]);
      this.evictDisk();
    } catch {
      // The cache is an optimisation: a full disk must not fail a verification.
    }
  }

  /** Every entry on disk (or in memory without a folder), newest fetch first. */
  list(): CacheEntryMeta[] {
    if (!this.dir) return [...this.mem.values()].map((e) => e.meta).sort(byNewest);
    if (!existsSync(this.dir)) return [];
    const out: CacheEntryMeta[] = [];
    for (const f of readdirSync(this.dir)) {
      if (!f.endsWith('.json')) continue;
      try { out.push(metaSchema.parse(JSON.parse(readFileSync(join(this.dir, f), 'utf8')))); } catch { /* skipped */ }
    }
    return out.sort(byNewest);
  }

  private evictMemory(): void {
    const all = [...this.mem.values()].map((e) => e.meta).sort(byNewest);
    let bytes = 0;
    all.forEach((m, i) => { bytes += m.bytes; if (i >= CACHE_LIMITS.MAX_ENTRIES || bytes > CACHE_LIMITS.MAX_BYTES) this.mem.delete(m.key); });
  }

  private evictDisk(): void {
    let bytes = 0;
    this.list().forEach((m, i) => {
      bytes += m.bytes;
      if (i < CACHE_LIMITS.MAX_ENTRIES && bytes <= CACHE_LIMITS.MAX_BYTES) return;
      this.mem.delete(m.key);
      for (const ext of ['json', 'der']) try { unlinkSync(join(this.dir!, `${m.key}.${ext}`)); } catch { /* gone already */ }
    });
  }
}

function byNewest(a: CacheEntryMeta, b: CacheEntryMeta): number {
  return Date.parse(b.fetchedAt) - Date.parse(a.fetchedAt);
}

/** Forgets the memory layers (tests; the disk stays). */
export function clearCacheMemory(): void { layers.clear(); }
