import { isCa, keyUsage, KU, type Cert } from './certs';

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
  const signedBy = (child: Cert, parent: Cert): boolean => {
    try {
      return child.x509.checkIssued(parent.x509) && child.x509.verify(parent.x509.publicKey);
    } catch {
      return false;
    }
  };
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

function dedupe(certs: Cert[]): Cert[] {
  const seen = new Set<string>();
  return certs.filter((c) => (seen.has(c.id) ? false : (seen.add(c.id), true)));
}

/** Certificates of the path (anchor excluded) that are not valid at `t`. */
export function validityAt(path: readonly Cert[], t: Date): { expired: Cert[]; notYetValid: Cert[] } {
  const expired: Cert[] = [];
  const notYetValid: Cert[] = [];
  for (const c of path.slice(0, -1)) {
    if (t.getTime() > new Date(c.x509.validTo).getTime()) expired.push(c);
    if (t.getTime() < new Date(c.x509.validFrom).getTime()) notYetValid.push(c);
  }
  return { expired, notYetValid };
}
