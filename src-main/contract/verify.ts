import { z } from 'zod';
import { defineMethod } from './api';
import { fileId } from './files';

/**
 * The verification report as it crosses the API. The source of the shape is
 * src-main/core/verify/report.ts; the verify handler returns that type straight into this schema, so
 * the compiler flags any drift between the two.
 */
export const indication = z.enum(['TOTAL_PASSED', 'TOTAL_FAILED', 'INDETERMINATE']);
export const subIndication = z.enum([
  'FORMAT_FAILURE', 'HASH_FAILURE', 'SIG_CRYPTO_FAILURE', 'REVOKED', 'SIG_CONSTRAINTS_FAILURE',
  'CHAIN_CONSTRAINTS_FAILURE', 'CERTIFICATE_CHAIN_GENERAL_FAILURE', 'NO_CERTIFICATE_CHAIN_FOUND',
  'NO_SIGNING_CERTIFICATE_FOUND', 'OUT_OF_BOUNDS_NO_POE', 'OUT_OF_BOUNDS_NOT_REVOKED', 'NOT_YET_VALID',
  'REVOCATION_OUT_OF_BOUNDS_NO_POE', 'TRY_LATER', 'CRYPTO_CONSTRAINTS_FAILURE', 'DISALLOWED_MODIFICATION', 'EXPIRED',
]);

/** PDF user space, points, origin bottom-left. */
export const pdfRect = z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() });
export type PdfRect = z.infer<typeof pdfRect>;

export const signatureReportDto = z.object({
  fieldName: z.string(),
  index: z.number().int(),
  indication,
  subIndication: subIndication.optional(),
  summaryVi: z.string(),
  reasons: z.array(z.string()),
  signerName: z.string().nullable(),
  signerIsOrganisation: z.boolean(),
  certificate: z.string().nullable(),
  signingTime: z.string().nullable(),
  signingTimeSource: z.enum(['timestamp', 'claimed']).nullable(),
  revisionEnd: z.number().int(),
  widget: z.object({ page: z.number().int(), rect: pdfRect }).nullable(),
  changesAfter: z.array(z.object({
    allowed: z.boolean(), kind: z.string(), descriptionVi: z.string(),
    revision: z.number().int().optional(), page: z.number().int().optional(), rect: pdfRect.optional(),
  })),
  cryptoIndication: indication.optional(),
  cryptoSubIndication: subIndication.optional(),
  coverage: z.enum(['ENTIRE_FILE', 'ENTIRE_REVISION', 'UNCLEAR']).optional(),
  subFilter: z.string().nullable().optional(),
  issuerName: z.string().nullable().optional(),
  certificateValidity: z.object({ notBefore: z.string(), notAfter: z.string() }).nullable().optional(),
  revocation: z.object({
    status: z.enum(['good', 'revoked', 'unknown', 'not-checked']),
    source: z.enum(['ocsp', 'crl', 'dss', 'cache']).nullable(),
    checkedAt: z.string().nullable(),
    detail: z.string(),
  }).optional(),
  timestamp: z.object({ time: z.string(), valid: z.boolean(), tsaName: z.string().nullable() }).nullable().optional(),
  isDocTimestamp: z.boolean().optional(),
  warnings: z.array(z.string()).optional(),
  /** Added by the API (not the verifier core): organisation and title from the signer certificate. */
  signerOrganisation: z.string().nullable().optional(),
  signerTitle: z.string().nullable().optional(),
});
export type SignatureReportDto = z.infer<typeof signatureReportDto>;

export const verificationReportDto = z.object({
  overall: indication,
  disallowedChange: z.boolean(),
  signatures: z.array(signatureReportDto),
  summaryVi: z.string(),
  structureFindings: z.array(z.string()).optional(),
  revisionCount: z.number().int().optional(),
  validationTime: z.string().optional(),
});
export type VerificationReportDto = z.infer<typeof verificationReportDto>;

export const verifyMethods = {
  'verify.file': defineMethod(z.strictObject({ fileId, offline: z.boolean().optional() }), verificationReportDto),
  /** The exact bytes signature `index` covers, stored as a new workspace file. */
  'verify.signedRevision': defineMethod(z.strictObject({ fileId, index: z.number().int().min(0).max(999) }), z.object({ fileId, name: z.string() })),
};
