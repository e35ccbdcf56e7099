/**
 * The verification report (issue: verifier). The signer reads it to decide whether the leader's
 * signature verifies before the agency signs; the UI and `vanthu verify --json` print it.
 * Indications follow ETSI EN 319 102-1 (names as in EU DSS).
 */
export type Indication = 'TOTAL_PASSED' | 'TOTAL_FAILED' | 'INDETERMINATE';

export type SubIndication =
  | 'FORMAT_FAILURE'
  | 'HASH_FAILURE'
  | 'SIG_CRYPTO_FAILURE'
  | 'REVOKED'
  | 'SIG_CONSTRAINTS_FAILURE'
  | 'CHAIN_CONSTRAINTS_FAILURE'
  | 'CERTIFICATE_CHAIN_GENERAL_FAILURE'
  | 'NO_CERTIFICATE_CHAIN_FOUND'
  | 'NO_SIGNING_CERTIFICATE_FOUND'
  | 'OUT_OF_BOUNDS_NO_POE'
  | 'OUT_OF_BOUNDS_NOT_REVOKED'
  | 'NOT_YET_VALID'
  | 'REVOCATION_OUT_OF_BOUNDS_NO_POE'
  | 'TRY_LATER'
  | 'CRYPTO_CONSTRAINTS_FAILURE'
  | 'DISALLOWED_MODIFICATION'
  /** Certificate expired at a signing time proven by a timestamp. */
  | 'EXPIRED';

/** A rectangle in PDF user space (points, origin bottom-left). */
export interface Rect { x: number; y: number; width: number; height: number }

export interface SignatureReport {
  /** Field name (/T), NFC. */
  fieldName: string;
  /** 0-based order of the signature in the file. */
  index: number;
  indication: Indication;
  subIndication?: SubIndication;
  /** One plain Vietnamese sentence for the clerk. */
  summaryVi: string;
  /** English reasons, for the log and the detailed view. */
  reasons: string[];
  signerName: string | null;
  /** Whether the certificate names an organisation (agency signature) rather than a person. */
  signerIsOrganisation: boolean;
  /** Signer certificate, base64 DER. */
  certificate: string | null;
  /** ISO 8601; from a timestamp token when present, else the claimed /M or signingTime. */
  signingTime: string | null;
  signingTimeSource: 'timestamp' | 'claimed' | null;
  /** Byte offset where the signed revision ends (ByteRange end). */
  revisionEnd: number;
  /** Visible widget, if any. */
  widget: { page: number; rect: Rect } | null;
  /** What later revisions changed, in Vietnamese and classified. */
  changesAfter: Array<{ allowed: boolean; kind: string; descriptionVi: string; revision?: number; page?: number; rect?: Rect }>;
  /** The ETSI result of the signature alone, before the modification analysis is folded in. */
  cryptoIndication?: Indication;
  cryptoSubIndication?: SubIndication;
  /** pyHanko coverage class of the ByteRange. */
  coverage?: 'ENTIRE_FILE' | 'ENTIRE_REVISION' | 'UNCLEAR';
  /** /SubFilter as written. */
  subFilter?: string | null;
  /** Signer certificate issuer (RFC 2253-ish, NFC) and validity. */
  issuerName?: string | null;
  certificateValidity?: { notBefore: string; notAfter: string } | null;
  /** Revocation status of the signer certificate and where it came from. */
  revocation?: { status: 'good' | 'revoked' | 'unknown' | 'not-checked'; source: 'ocsp' | 'crl' | 'dss' | 'cache' | null; checkedAt: string | null; detail: string };
  /** Signature timestamp (RFC 3161) when present. */
  timestamp?: { time: string; valid: boolean; tsaName: string | null } | null;
  /** Document timestamp (/DocTimeStamp) rather than a person's or agency's signature. */
  isDocTimestamp?: boolean;
  /** Warnings that do not change the indication (English). */
  warnings?: string[];
}

export interface VerificationReport {
  overall: Indication;
  /** True when a revision after a signature made a change not allowed (content, catalog, overlay…). */
  disallowedChange: boolean;
  signatures: SignatureReport[];
  /** One Vietnamese sentence for the whole document. */
  summaryVi: string;
  /** File-level structural findings (English), e.g. bytes after the last %%EOF. */
  structureFindings?: string[];
  /** Number of revisions (incremental updates + 1). */
  revisionCount?: number;
  /** ISO 8601 instant the validation was made for. */
  validationTime?: string;
  /** How the file had to be repaired to be read (English); absent for an intact file. */
  repairs?: string[];
}
