import type { Cert } from './certs';
import type { EmbeddedRevocation } from './dss';
import type { Indication, SignatureReport, SubIndication } from './report';

export interface RevocationOptions {
  /** Replace the certificates' AIA OCSP / CDP URLs (tests, or a local mirror). */
  ocspUrlOverride?: string;
  crlUrlOverride?: string;
  /** Per-request network timeout, ms (default 5000). */
  networkTimeoutMs?: number;
}

export interface RevocationOutcome {
  summary: NonNullable<SignatureReport['revocation']>;
  indication?: Indication;
  subIndication?: SubIndication;
  reason: string;
}

export async function checkRevocation(
  path: Cert[], signingTime: Date, now: Date, embedded: EmbeddedRevocation,
  options: RevocationOptions & { offline: boolean; mode: 'require' | 'skip' },
): Promise<RevocationOutcome> {
  void path; void signingTime; void embedded;
  if (options.mode === 'skip') return { summary: { status: 'not-checked', source: null, checkedAt: null, detail: 'revocation check skipped by option' }, reason: '' };
  return {
    summary: { status: 'unknown', source: null, checkedAt: now.toISOString(), detail: 'no revocation source consulted' },
    indication: 'INDETERMINATE', subIndication: 'TRY_LATER', reason: 'revocation status unknown',
  };
}
