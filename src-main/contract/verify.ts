import * as z from 'zod';
import { defineMethod, lazy, lazyMethods } from './api';
import { fileId } from './files';

/**
 * The verification report: one schema for the verifier core (src-main/core/verify/report.ts is its
 * TypeScript face, checked against it at compile time), `vanthu verify --json`, stored evidence and
 * the API. Documented in src-main/core/verify/REPORT.md.
 */

/** PDF user space, points, origin bottom-left. */
export const pdfRect = z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() });
export type PdfRect = z.infer<typeof pdfRect>;

/**
 * The report's schemas, built together on first use: `vanthu verify` checks only its input (a
 * production build does not parse outputs), and building these cost each run a millisecond.
 */
export const reportSchemas = lazy(() => {
  const indication = z.enum(['TOTAL_PASSED', 'TOTAL_FAILED', 'INDETERMINATE']);
  const subIndication = z.enum([
    'FORMAT_FAILURE', 'HASH_FAILURE', 'SIG_CRYPTO_FAILURE', 'REVOKED', 'SIG_CONSTRAINTS_FAILURE', 'CHAIN_CONSTRAINTS_FAILURE',
    'CERTIFICATE_CHAIN_GENERAL_FAILURE', 'NO_CERTIFICATE_CHAIN_FOUND', 'NO_SIGNING_CERTIFICATE_FOUND', 'OUT_OF_BOUNDS_NO_POE',
    'OUT_OF_BOUNDS_NOT_REVOKED', 'NOT_YET_VALID', 'REVOCATION_OUT_OF_BOUNDS_NO_POE', 'TRY_LATER', 'CRYPTO_CONSTRAINTS_FAILURE',
    'DISALLOWED_MODIFICATION', 'EXPIRED',
  ]);
  const isoOrNull = z.string().max(40).nullable();
  const change = z.object({
    allowed: z.boolean(),
    kind: z.string().max(64),
    descriptionVi: z.string().max(1000),
    revision: z.number().int().optional(),
    page: z.number().int().optional(),
    rect: pdfRect.optional(),
  });
  const signatureReport = z.object({
    fieldName: z.string().max(2000),
    index: z.number().int().nonnegative(),
    indication,
    subIndication: subIndication.optional(),
    summaryVi: z.string().max(500),
    reasons: z.array(z.string()),
    signerName: z.string().nullable(),
    signerIsOrganisation: z.boolean(),
    certificate: z.string().nullable(),
    signingTime: isoOrNull,
    signingTimeSource: z.enum(['timestamp', 'claimed']).nullable(),
    revisionEnd: z.number().int(),
    widget: z.object({ page: z.number().int(), rect: pdfRect }).nullable(),
    changesAfter: z.array(change),
    cryptoIndication: indication.optional(),
    cryptoSubIndication: subIndication.optional(),
    coverage: z.enum(['ENTIRE_FILE', 'ENTIRE_REVISION', 'UNCLEAR']).optional(),
    subFilter: z.string().nullable().optional(),
    issuerName: z.string().nullable().optional(),
    certificateValidity: z.object({ notBefore: z.string(), notAfter: z.string() }).nullable().optional(),
    revocation: z.object({
      status: z.enum(['good', 'revoked', 'unknown', 'not-checked']),
      source: z.enum(['ocsp', 'crl', 'dss', 'cache']).nullable(),
      checkedAt: isoOrNull,
      detail: z.string(),
    }).optional(),
    timestamp: z.object({ time: z.string(), valid: z.boolean(), tsaName: z.string().nullable() }).nullable().optional(),
    isDocTimestamp: z.boolean().optional(),
    warnings: z.array(z.string()).optional(),
  });
  const report = <S extends z.ZodType>(signature: S) => z.object({
    overall: indication,
    disallowedChange: z.boolean(),
    signatures: z.array(signature),
    summaryVi: z.string().max(1000),
    structureFindings: z.array(z.string()).optional(),
    revisionCount: z.number().int().optional(),
    validationTime: z.string().optional(),
    repairs: z.array(z.string()).optional(),
  });
  /** What the API adds to each signature: organisation and title read from the signer certificate. */
  const signatureReportDto = signatureReport.extend({
    signerOrganisation: z.string().nullable().optional(),
    signerTitle: z.string().nullable().optional(),
  });
  return {
    /** The verifier core's report (src-main/core/verify/report.ts is its TypeScript face). */
    verificationReport: report(signatureReport),
    /** The report as the API sends it. */
    verificationReportDto: report(signatureReportDto),
    signatureReportDto,
  };
});
type ReportSchemas = ReturnType<typeof reportSchemas>;
export type SignatureReportDto = z.infer<ReportSchemas['signatureReportDto']>;
export type VerificationReportDto = z.infer<ReportSchemas['verificationReportDto']>;

export const verifyMethods = lazyMethods({
  'verify.file': () => defineMethod(z.strictObject({ fileId, offline: z.boolean().optional() }), reportSchemas().verificationReportDto),
  /** The exact bytes signature `index` covers, stored as a new workspace file. */
  'verify.signedRevision': () => defineMethod(z.strictObject({ fileId, index: z.number().int().min(0).max(999) }), z.object({ fileId, name: z.string() })),
});
