import { z } from 'zod';
import { defineMethod, text } from './api';
import { fileId } from './files';
import { tokenRef } from './token';
import { pdfRect, verificationReportDto } from './verify';

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

const pageSize = z.object({ width: z.number(), height: z.number() });

export const signInspection = z.object({
  pageCount: z.number().int(),
  firstPage: pageSize,
  lastPage: pageSize,
  /** The personal (leader) signature the agency signature would follow, as the verifier judged it. */
  leader: z.object({
    present: z.boolean(),
    /** Verified for issuing: integrity and chain (unknown revocation accepted offline). */
    verified: z.boolean(),
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
});
export type SignInspectionDto = z.infer<typeof signInspection>;

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const signTarget = { fileId, token: tokenRef, keyId: z.string().regex(/^(?:[0-9a-fA-F]{2}){1,128}$/).optional() };

export const signResultDto = z.object({
  fileId,
  name: z.string(),
  size: z.number().int(),
  sha256: z.string(),
  signingTime: z.string(),
  verification: verificationReportDto,
});
export type SignResultDto = z.infer<typeof signResultDto>;

export const COPY_FORMS_DTO = ['SAO Y', 'SAO LỤC', 'TRÍCH SAO'] as const;

export const signMethods = {
  'sign.inspect': defineMethod(
    z.strictObject({ fileId, sealMm: z.number().min(10).max(80).optional() }),
    signInspection,
  ),
  // No PIN here: the token must already be logged in through token.login.
  'sign.issue': defineMethod(
    z.strictObject({
      ...signTarget,
      number: z.number().int().min(1).max(9_999_999),
      notation: text(60, 1),
      date: isoDay,
      sealMm: z.number().min(10).max(80),
      positions: z.strictObject({ number: textBox.optional(), day: textBox.optional(), month: textBox.optional(), seal: pageRect.optional() }).optional(),
    }),
    signResultDto,
  ),
  'sign.appendix': defineMethod(z.strictObject({ ...signTarget, ref: text(60, 1) }), signResultDto),
  'sign.copy': defineMethod(z.strictObject({ ...signTarget, form: text(20).pipe(z.enum(COPY_FORMS_DTO)), agency: text(120, 1) }), signResultDto),
};
