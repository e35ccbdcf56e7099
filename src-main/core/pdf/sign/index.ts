/**
 * PAdES signing for the clerk workstation (docs/signing.md). Every function takes
 * an input path or bytes, an output path and a KeySigner (token or software), writes the output
 * atomically (or not at all) and returns a JSON-safe result.
 */
export { approvePdf, type ApproveOptions } from './approve';
export { issuePdf, assertIssuable, type IssueOptions, type IssueResult, type TextSpot } from './issue';
export { signAttachment, signCopy, COPY_FORMS, type AttachmentOptions, type CopyOptions, type CopyForm } from './text-stamp';
export { signBatch, batchProgressSchema, batchItemResultSchema, type BatchJob, type BatchItemResult, type BatchOptions, type BatchProgress } from './batch';
export { isEarlierOutput } from './resume';
export { isUnknownRevocation, requireLeaderSignature, type LeaderRevocationOptions, type VerifyPdf, type VerifyOptions } from './leader-check';
export { makeSampleDocument, type SampleDocumentOptions } from './sample-document';
export type { SignResult, CommonSignOptions, PdfInput } from './common';
export { assertCertificateUsable } from './common';
