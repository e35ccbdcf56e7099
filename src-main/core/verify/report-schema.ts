import { z } from 'zod';
import type { VerificationReport } from './report';

/**
 * The JSON shape of a VerificationReport (`vanthu verify --json`, the API, stored evidence). Kept in
 * step with report.ts by the type assertion at the bottom. Documented in REPORT.md next to this file.
 */
export const indicationSchema = z.enum(['TOTAL_PASSED', 'TOTAL_FAILED', 'INDETERMINATE']);
export const subIndicationSchema = z.enum([
  'FORMAT_FAILURE', 'HASH_FAILURE', 'SIG_CRYPTO_FAILURE', 'REVOKED', 'SIG_CONSTRAINTS_FAILURE', 'CHAIN_CONSTRAINTS_FAILURE',
  'CERTIFICATE_CHAIN_GENERAL_FAILURE', 'NO_CERTIFICATE_CHAIN_FOUND', 'NO_SIGNING_CERTIFICATE_FOUND', 'OUT_OF_BOUNDS_NO_POE',
  'OUT_OF_BOUNDS_NOT_REVOKED', 'NOT_YET_VALID', 'REVOCATION_OUT_OF_BOUNDS_NO_POE', 'TRY_LATER', 'CRYPTO_CONSTRAINTS_FAILURE',
  'DISALLOWED_MODIFICATION', 'EXPIRED',
]);
const rectSchema = z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() });
const isoOrNull = z.string().max(40).nullable();

export const changeSchema = z.object({
  allowed: z.boolean(),
  kind: z.string().max(64),
  descriptionVi: z.string().max(1000),
  revision: z.number().int().optional(),
  page: z.number().int().optional(),
  rect: rectSchema.optional(),
});

export const signatureReportSchema = z.object({
  fieldName: z.string().max(2000),
  index: z.number().int().nonnegative(),
  indication: indicationSchema,
  subIndication: subIndicationSchema.optional(),
  summaryVi: z.string().max(500),
  reasons: z.array(z.string()),
  signerName: z.string().nullable(),
  signerIsOrganisation: z.boolean(),
  certificate: z.string().nullable(),
  signingTime: isoOrNull,
  signingTimeSource: z.enum(['timestamp', 'claimed']).nullable(),
  revisionEnd: z.number().int(),
  widget: z.object({ page: z.number().int(), rect: rectSchema }).nullable(),
  changesAfter: z.array(changeSchema),
  cryptoIndication: indicationSchema.optional(),
  cryptoSubIndication: subIndicationSchema.optional(),
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

export const verificationReportSchema = z.object({
  overall: indicationSchema,
  disallowedChange: z.boolean(),
  signatures: z.array(signatureReportSchema),
  summaryVi: z.string().max(1000),
  structureFindings: z.array(z.string()).optional(),
  revisionCount: z.number().int().optional(),
  validationTime: z.string().optional(),
});

// Compile-time drift check: the schema's output must be assignable to the TypeScript report and back.
type Parsed = z.output<typeof verificationReportSchema>;
const _toReport = (p: Parsed): VerificationReport => p;
const _toParsed = (r: VerificationReport): Parsed => r;
void _toReport; void _toParsed;
