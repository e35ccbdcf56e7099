import * as z from 'zod';
import { defineEvent, defineMethod, lazyMethods, text } from './api';
import { fileId } from './files';
import { tokenRef } from './token';
import { pdfRect, reportSchemas } from './verify';
import { bookId, nextNumberDto } from './issuing';
import { AGENCY_NAME_MAX_CHARS, DOC_NUMBER_MAX, MAX_BATCH_JOBS, NOTATION_MAX_CHARS, REF_MAX_CHARS, SEAL_MM_MAX, SEAL_MM_MIN, YEAR_MAX, YEAR_MIN } from './limits';
import { COPY_FORMS } from './vocabulary';
import { isDocumentDay, parseIsoDay } from './time';

/**
 * Where a line of text goes: a box on a page (0-based) in points, the text centred in [x, x + width]
 * on the baseline, at the given font size. The blanks after "Số:", "ngày" and "tháng" are such boxes.
 */
export const textBox = z.object({
  page: z.number().int().min(0).max(9999),
  x: z.number().min(-1e5).max(1e5),
  width: z.number().min(1).max(2000),
  baseline: z.number().min(-1e5).max(1e5),
  size: z.number().min(4).max(72),
});
export type TextBoxDto = z.infer<typeof textBox>;

export const pageRect = pdfRect.extend({ page: z.number().int().min(0).max(9999) });
export type PageRectDto = z.infer<typeof pageRect>;

/** Where a line of text was written: left x and baseline (points), page and font size. */
export const textSpot = z.strictObject({ page: z.number().int().min(0), x: z.number(), baseline: z.number(), size: z.number() });

/** The key a signing call would use, as the one key-choice rule picks it (see core/token/choose.ts). */
export const chosenKey = z.strictObject({ keyId: z.string(), commonName: z.string(), notAfter: z.string() });

const pageSize = z.object({ width: z.number(), height: z.number() });

export const signInspection = z.object({
  pageCount: z.number().int(),
  firstPage: pageSize,
  lastPage: pageSize,
  /** The personal (leader) signature the agency signature would follow, as the verifier judged it. */
  leader: z.object({
    present: z.boolean(),
    /** Verified for issuing: integrity, chain and revocation (unknown only on acceptUnknownRevocation). */
    verified: z.boolean(),
    /** No revocation status could be had: the screen asks the clerk to confirm (acceptUnknownRevocation). */
    revocationUnknown: z.boolean(),
    summaryVi: z.string(),
    signerName: z.string().nullable(),
    widget: pageRect.nullable(),
  }),
  /** Proposed places (null where the page text does not show one): text at its baseline, seal as a square. */
  proposed: z.object({
    number: textBox.nullable(),
    day: textBox.nullable(),
    month: textBox.nullable(),
    seal: pageRect.nullable(),
  }),
  sealMm: z.number(),
  /** What page 1 says for the register entry (null where it shows none): Loại văn bản, trích yếu, ký hiệu after "Số:". */
  record: z.object({ typeName: z.string().nullable(), subject: z.string().nullable(), notation: z.string().nullable() }),
  /** With `book`: the number the issue would get from that sổ's series now (shown before the PIN). */
  next: nextNumberDto.nullable(),
});
export type SignInspectionDto = z.infer<typeof signInspection>;

/** A document date: a real calendar day within the years a document may carry. */
export const documentDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((s) => isDocumentDay(parseIsoDay(s)), `not a calendar day in ${YEAR_MIN}–${YEAR_MAX}`);
export const sealMm = z.number().min(SEAL_MM_MIN).max(SEAL_MM_MAX);
const keyId = z.string().regex(/^(?:[0-9a-fA-F]{2}){1,128}$/);
/**
 * The second ("signature") PIN of keys marked CKA_ALWAYS_AUTHENTICATE, asked by the token before every
 * signature; same bounds as token.login's PIN. Only sent when the chosen certificate needs it.
 */
export const contextPin = text(64, 4);
/** allowUntrustedChain: sign although the chain does not reach a configured trust anchor (test set-ups only). */
const signer = { token: tokenRef, keyId: keyId.optional(), contextPin: contextPin.optional(), allowUntrustedChain: z.boolean().optional() };

/** What each kind of agency signature needs besides the file and the token (shared by single and batch calls). */
const issueFields = {
  /**
   * Cấp số from the register: the sổ đi whose series gives the number (reserved atomically, the issued
   * document then recorded in Văn bản đi with its file; a failed signing cancels the number).
   */
  book: bookId.optional(),
  /**
   * With `book`: a particular number of that series, refused when already used. Without `book`: a number
   * typed by the caller and not registered (tests and benches of the signer; screens and the CLI use `book`).
   */
  number: z.number().int().min(1).max(DOC_NUMBER_MAX).optional(),
  /** Default with `book`: the ký hiệu printed after "Số:", else the sổ's own. Required without `book`. */
  notation: text(NOTATION_MAX_CHARS, 1).optional(),
  /** For the register entry (default: read from page 1, as sign.inspect proposes). */
  typeName: text(100, 1).optional(),
  subject: text(500, 1).optional(),
  /** Nơi nhận, one agency or unit a line. */
  recipients: z.array(text(200, 1)).max(500).optional(),
  date: documentDate,
  sealMm,
  positions: z.strictObject({ number: textBox.optional(), day: textBox.optional(), month: textBox.optional(), seal: pageRect.optional() }).optional(),
  /** Điều 17.4.c: the agency digitised the paper original itself, so no leader signature is required. */
  digitized: z.boolean().optional(),
  /** Printed signer name that locates the signer block when the leader's signature shows no image. */
  signerName: text(100, 1).optional(),
  /**
   * Điều 3.2: the clerk's explicit choice (a confirmation on screen, --accept-unknown-revocation) to
   * issue although no revocation status of the leader's certificate could be had; refused otherwise.
   */
  acceptUnknownRevocation: z.boolean().optional(),
};
const appendixFields = { ref: text(REF_MAX_CHARS, 1) };
const copyFields = {
  form: text(20).pipe(z.enum(COPY_FORMS)),
  agency: text(AGENCY_NAME_MAX_CHARS, 1),
  /** The copies sổ whose series numbers the copy; the source must be an issued document or digitised here. */
  book: bookId.optional(),
};

/** The entry cấp số made in the register (Văn bản đi) for a signed file. */
const registeredDto = z.strictObject({ docId: z.number().int(), book: z.string(), year: z.number(), number: z.number(), code: z.string() });

export const signResultDto = z.strictObject({
  fileId,
  name: z.string(),
  size: z.number().int(),
  sha256: z.string(),
  signingTime: z.string(),
  verification: reportSchemas().verificationReportDto,
  /** With `book`: the entry made in the register (Văn bản đi) for the signed file. */
  registered: registeredDto.optional(),
  /** sign.appendix and sign.copy: the visible text line written. */
  text: z.string().optional(),
  /** sign.issue only: what was written where, and after whose signature. */
  issued: z.strictObject({
    number: z.string(),
    day: z.string(),
    month: z.string(),
    spots: z.strictObject({ number: textSpot, day: textSpot, month: textSpot }),
    seal: pageRect,
    /** The leader's name as the verifier read it; null for a digitised document. */
    leaderSigner: z.string().nullable(),
    digitized: z.boolean(),
    /** Issued on the clerk's acceptUnknownRevocation: the leader's revocation status was unknown. */
    unknownRevocationAccepted: z.boolean(),
    /** PAdES B-LT: the file carries revocation data for every signer's certificate (verifies offline). */
    ltv: z.boolean(),
  }).optional(),
});
export type SignResultDto = z.infer<typeof signResultDto>;

/** Chosen by the caller (or the server) so a screen can tell its own progress events from others'. */
export const operationId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

/**
 * An earlier output of the same job the caller holds (the CLI's existing output file): the job is
 * skipped when it passes the resume rule, signed again otherwise. Only ever a workspace id.
 */
const previous = { previous: fileId.optional() };
export const batchJob = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('issue'), fileId, ...previous, ...issueFields }),
  z.strictObject({ kind: z.literal('appendix'), fileId, ...previous, ...appendixFields }),
  z.strictObject({ kind: z.literal('copy'), fileId, ...previous, ...copyFields }),
]);
export type BatchJobDto = z.input<typeof batchJob>;

const itemStatus = z.enum(['signed', 'skipped', 'failed']);
const errorDto = z.object({ code: z.string(), message: z.string() });

export const batchItemDto = z.object({
  /** The input file of the job. */
  fileId,
  /** 'stopped': not attempted, because a token error stopped the batch (see `stopped`). */
  status: z.enum(['signed', 'skipped', 'failed', 'stopped']),
  /** The signed file: made now ('signed') or by an earlier call with the same job ('skipped'). */
  result: z.object({ fileId, name: z.string(), size: z.number().int(), sha256: z.string(), signingTime: z.string(), summaryVi: z.string(), registered: registeredDto.optional() }).optional(),
  error: errorDto.optional(),
});
export type BatchItemDto = z.infer<typeof batchItemDto>;

export const batchResultDto = z.object({
  operationId,
  items: z.array(batchItemDto),
  /** The token error that stopped the batch before its end, or null when every job was attempted. */
  stopped: errorDto.nullable(),
});
export type BatchResultDto = z.infer<typeof batchResultDto>;

export const signProgress = z.object({
  operationId,
  /** Jobs finished so far (signed, skipped or failed) out of `total`. */
  done: z.number().int().nonnegative(),
  total: z.number().int().positive(),
  /** 0-based place of the finished job in the call's list. */
  index: z.number().int().nonnegative(),
  fileId,
  name: z.string(),
  status: itemStatus,
  /** Vietnamese sentence when the job failed. */
  errorVi: z.string().optional(),
});
export type SignProgressDto = z.infer<typeof signProgress>;

export const signMethods = lazyMethods({
  'sign.inspect': () => defineMethod(
    z.strictObject({
      fileId, sealMm: sealMm.optional(), acceptUnknownRevocation: z.boolean().optional(),
      /** The sổ đi (or copies sổ for `kind: 'copy'`) and Ngày ban hành whose next number to show. */
      book: bookId.optional(), date: documentDate.optional(), notation: text(NOTATION_MAX_CHARS, 1).optional(), kind: z.enum(['issue', 'copy']).optional(),
    }),
    signInspection,
  ),
  /** Cấp số preview: the number the next issue into this sổ (for a document of that date) would get now. */
  'sign.nextNumber': () => defineMethod(
    z.strictObject({ book: bookId, date: documentDate, notation: text(NOTATION_MAX_CHARS, 1).optional(), kind: z.enum(['issue', 'copy']).optional() }),
    nextNumberDto,
  ),
  // Asked before the PIN: a key out of validity, or two keys and none named, is refused here.
  // Also refused here: a certificate whose chain does not reach a configured trust anchor through the
  // token's CA objects and the configured intermediates (allowUntrustedChain: test set-ups only).
  'sign.key': () => defineMethod(z.strictObject({ token: tokenRef, keyId: keyId.optional(), allowUntrustedChain: z.boolean().optional() }), chosenKey),
  // No token PIN here: the token must already be logged in through token.login (contextPin is the
  // second, per-signature PIN of some keys, not the login PIN).
  'sign.issue': () => defineMethod(z.strictObject({ fileId, ...signer, ...issueFields }), signResultDto),
  /** The leader's own approval signature (ô 7c) with the blue signature image, a PNG in the workspace. */
  'sign.approve': () => defineMethod(
    z.strictObject({ fileId, ...signer, image: fileId, page: z.number().int().min(0).max(9999).optional(), rect: pdfRect.optional() }),
    signResultDto,
  ),
  'sign.appendix': () => defineMethod(z.strictObject({ fileId, ...signer, ...appendixFields }), signResultDto),
  'sign.copy': () => defineMethod(z.strictObject({ fileId, ...signer, ...copyFields }), signResultDto),
  // One signer (one token session) for every job; resumable: a job already signed by this certificate
  // with the same options is reported as skipped with its earlier output.
  'sign.batch': () => defineMethod(
    z.strictObject({ ...signer, operationId: operationId.optional(), jobs: z.array(batchJob).min(1).max(MAX_BATCH_JOBS) }),
    batchResultDto,
    { progressEvent: 'sign.progress' },
  ),
});

export const signEvents = {
  'sign.progress': defineEvent(signProgress),
};
