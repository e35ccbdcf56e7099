/**
 * "Full revocation path" for callers outside the verifier — the signer's leader check before issuing:
 * the certificate's chain to a configured anchor, then for the certificate and every intermediate
 * CA: embedded DSS data → fresh cache → OCSP → CRL, with the short network timeouts of fetch.ts.
 * The same code the verifier runs for each signature (verify/revocation.ts), not a copy.
 */
import { parseCert, parseCerts } from './certs';
import { buildChain } from './chain';
import type { EmbeddedRevocation } from './dss';
import { checkRevocation, type RevocationOptions, type RevocationOutcome } from './revocation';
import { loadTrustAnchors } from './trust';

export interface ChainRevocationInput extends RevocationOptions {
  /** The certificate to check (DER), then any certificates that may complete its chain. */
  certificate: Buffer;
  chain?: readonly Buffer[];
  /** Trust anchors as DER, or a folder of them. */
  trustAnchors?: readonly Buffer[];
  trustDir?: string;
  /** When the signature was made, and whether a timestamp proves that time. */
  signingTime: Date;
  timeProven?: boolean;
  /** Revocation data the document carries (its DSS). */
  embedded?: EmbeddedRevocation;
  /** No network: DSS and fresh cache only. */
  offline?: boolean;
  now?: Date;
}

export interface ChainRevocationResult extends RevocationOutcome {
  /**
   * 'good': every certificate answered good; 'revoked-after-signing': revoked only after a proven
   * signing time (accepted); 'revoked'; 'unknown': no answer for the certificate itself.
   */
  status: 'good' | 'revoked-after-signing' | 'revoked' | 'unknown';
  /** No chain to a configured anchor: nothing can be said about revocation. */
  noChain: boolean;
}

export async function chainRevocation(input: ChainRevocationInput): Promise<ChainRevocationResult> {
  const anchors = parseCerts(input.trustAnchors ?? (input.trustDir ? loadTrustAnchors(input.trustDir) : []));
  const leaf = parseCert(input.certificate);
  const pool = parseCerts(input.chain ?? []);
  const built = buildChain(leaf, pool, anchors);
  const now = input.now ?? new Date();
  if (!built.path) {
    return { status: 'unknown', noChain: true, reason: built.reasons.join('; '), indication: 'INDETERMINATE', subIndication: 'NO_CERTIFICATE_CHAIN_FOUND',
      summary: { status: 'unknown', source: null, checkedAt: now.toISOString(), detail: 'no chain to a trust anchor' } };
  }
  const out = await checkRevocation(built.path, input.signingTime, now, input.embedded ?? { ocsps: [], crls: [] }, {
    ...input, offline: input.offline ?? false, mode: 'require', ...(input.timeProven !== undefined ? { timeProven: input.timeProven } : {}),
  });
  const status = out.subIndication === 'REVOKED' ? 'revoked' : out.indication ? 'unknown' : out.summary.status === 'revoked' ? 'revoked-after-signing' : 'good';
  return { ...out, status, noChain: false };
}
