import { fetchIssuers, type AiaOptions } from '../trust/aia';
import { isCa, keyUsage, KU, parseCerts, type Cert } from './certs';

const MAX_CHAIN_DEPTH = 8;
const MAX_CANDIDATES = 200;

export interface ChainResult {
  /** signer … anchor, when a trusted path was found. */
  path: Cert[] | null;
  reasons: string[];
}

/**
 * Builds a path from `leaf` to one of `anchors`, each link proven by verifying the child's signature
 * with the parent's key (names only pre-select candidates). Intermediates must be CAs allowed to sign
 * certificates. Depth-first, bounded.
 */
export function buildChain(leaf: Cert, pool: readonly Cert[], anchors: readonly Cert[]): ChainResult {
  const reasons: string[] = [];
  const anchorIds = new Set(anchors.map((a) => a.id));
  const candidates = dedupe([...anchors, ...pool]).slice(0, MAX_CANDIDATES);
  const search = (cur: Cert, path: Cert[]): Cert[] | null => {
    if (anchorIds.has(cur.id)) return path;
    if (path.length > MAX_CHAIN_DEPTH) return null;
    for (const c of candidates) {
      if (path.some((p) => p.id === c.id)) continue;
      if (!signedBy(cur, c)) continue;
      if (!anchorIds.has(c.id)) {
        if (!isCa(c)) { reasons.push(`${c.x509.subject.replace(/\n/g, ', ')} is not a CA`); continue; }
        const ku = keyUsage(c);
        if (ku !== null && (ku & KU.keyCertSign) === 0) { reasons.push('an intermediate lacks keyCertSign'); continue; }
      }
      const found = search(c, [...path, c]);
      if (found) return found;
    }
    return null;
  };
  const path = search(leaf, [leaf]);
  if (!path) reasons.push('no path from the signer certificate to a trust anchor');
  return { path, reasons };
}

function signedBy(child: Cert, parent: Cert): boolean {
  try {
    return child.x509.checkIssued(parent.x509) && child.x509.verify(parent.x509.publicKey);
  } catch {
    return false;
  }
}

/**
 * The last certificate reached from `leaf` by following proven issuers through `pool`: the one whose
 * issuer is missing (or a self-signed root). Bounded by the pool's size.
 */
export function topOfKnownChain(leaf: Cert, pool: readonly Cert[]): Cert {
  let cur = leaf;
  for (let depth = 0; depth <= Math.min(pool.length, MAX_CHAIN_DEPTH); depth++) {
    if (cur.x509.subject === cur.x509.issuer) break;
    const next = pool.find((c) => c.id !== cur.id && signedBy(cur, c));
    if (!next) break;
    cur = next;
  }
  return cur;
}

/**
 * Issuers the chain of `leaf` lacks, fetched from the AIA "CA Issuers" address of the certificate
 * where the known chain stops, one level at a time, until a path to an anchor exists (or nothing more
 * can be had). Each fetched issuer must have signed the certificate below it; `reasons` says what failed.
 */
export async function issuersByAia(leaf: Cert, pool: readonly Cert[], anchors: readonly Cert[], opts: AiaOptions): Promise<{ added: Cert[]; reasons: string[] }> {
  const added: Cert[] = [];
  const reasons: string[] = [];
  for (let depth = 0; depth < MAX_CHAIN_DEPTH && !buildChain(leaf, [...pool, ...added], anchors).path; depth++) {
    const top = topOfKnownChain(leaf, [...anchors, ...pool, ...added]);
    if (top.x509.subject === top.x509.issuer || anchors.some((a) => a.id === top.id)) break;
    const fetched = await fetchIssuers(top.der, opts);
    reasons.push(...fetched.reasons);
    const issuer = parseCerts(fetched.certs).find((c) => signedBy(top, c));
    if (!issuer) {
      if (fetched.certs.length > 0) reasons.push(`AIA of ${top.x509.subject.replace(/\n/g, ', ')}: no certificate there signed it`);
      break;
    }
    added.push(issuer);
  }
  return { added, reasons };
}

function dedupe(certs: Cert[]): Cert[] {
  const seen = new Set<string>();
  return certs.filter((c) => (seen.has(c.id) ? false : (seen.add(c.id), true)));
}

/** Certificates of the path (anchor excluded) that are not valid at `t`. */
export function validityAt(path: readonly Cert[], t: Date): { expired: Cert[]; notYetValid: Cert[] } {
  const expired: Cert[] = [];
  const notYetValid: Cert[] = [];
  for (const c of path.slice(0, -1)) {
    // From the DER reader, not Node's validTo text: a date OpenSSL cannot print reads as NaN there and
    // would never count as expired; the reader refuses such a certificate outright.
    if (t.getTime() > c.fields.notAfter.getTime()) expired.push(c);
    if (t.getTime() < c.fields.notBefore.getTime()) notYetValid.push(c);
  }
  return { expired, notYetValid };
}
