import { X509Certificate } from 'node:crypto';

const MAX_DEPTH = 8;

/**
 * Issuer chain to embed with the signer certificate, nearest issuer first: what the key holder gave,
 * completed from `pool` (configured intermediates) when a token stores only the end-entity
 * certificate. Self-signed roots are left out: verifiers anchor on their own trust store. Bounded in
 * depth, and loops are impossible because each certificate is used once.
 */
export function completeChain(signerCert: Buffer, given: readonly Buffer[], pool: readonly Buffer[]): Buffer[] {
  const candidates = dedupe([...given, ...pool]).map((der) => ({ der, x: new X509Certificate(der) }));
  const out: Buffer[] = [];
  const used = new Set<number>();
  let current = new X509Certificate(signerCert);
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    if (current.issuer === current.subject) break;
    const idx = candidates.findIndex((c, i) => !used.has(i) && current.checkIssued(c.x) && current.verify(c.x.publicKey));
    if (idx < 0) break;
    used.add(idx);
    const next = candidates[idx]!;
    if (next.x.issuer === next.x.subject) break;
    out.push(next.der);
    current = next.x;
  }
  return out;
}

function dedupe(list: Buffer[]): Buffer[] {
  const seen = new Set<string>();
  return list.filter((b) => {
    const k = b.toString('base64');
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
