import * as z from 'zod';
import { defineMethod, lazyMethods, pathString, text } from './api';
import { DOC_NUMBER_MAX, NOTATION_MAX_CHARS } from './limits';
import { documentDto, isoDaySchema } from './register';

/**
 * Cấp số at issuing: what the signing service asks of the register (docs/signing.md, "Cấp số from the
 * register"), and the digitised-here records the scanning service writes through it. Served by the
 * register's worker to the backend only and never put in `api`, so no transport reaches it: an entry
 * becomes "Đã phát hành" only through an agency signature actually made, and the file it records is
 * named by a path of the backend's own workspace.
 */

/** A sổ's id (`den`, `di`, `di-qd`, `sao`…), as the register's books are named. */
export const bookId = z.string().min(1).max(32).regex(/^[a-z0-9-]+$/);

/** A number of a sổ's series: `code` is "<number>/<ký hiệu>" as printed. */
export const nextNumberDto = z.object({ book: z.string(), year: z.number(), number: z.number(), numberText: z.string(), notation: z.string(), code: z.string() });
export type NextNumberDto = z.infer<typeof nextNumberDto>;

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);
const certificateRef = z.strictObject({ subject: z.string().max(1000), serial: z.string().max(200), sha256: sha256Hex });
const seriesKind = z.enum(['issue', 'copy']);

export const registerIssuingMethods = lazyMethods({
  /** The number the next reservation in this sổ would get for a document dated `date` (a preview). */
  'register.nextNumber': () => defineMethod(
    z.strictObject({ book: bookId, date: isoDaySchema, notation: text(NOTATION_MAX_CHARS, 1).optional(), kind: seriesKind }),
    nextNumberDto,
  ),
  'register.reserveIssue': () => defineMethod(
    z.strictObject({
      book: bookId,
      date: isoDaySchema,
      /** A number the caller wants (refused when that series already used it); else the next one. */
      number: z.number().int().min(1).max(DOC_NUMBER_MAX).optional(),
      notation: text(NOTATION_MAX_CHARS, 1).optional(),
      /** 'copy': the sổ must be a copies sổ and the ký hiệu say the form (SY, SL, TrS). */
      kind: seriesKind,
      TypeName: text(100, 1),
      Subject: text(500, 1),
      To: z.array(text(200, 1)).max(500),
      SignerFullName: text(50).optional(),
      /** The input the number is reserved for (the audit entry names it). */
      file: z.strictObject({ name: z.string().max(255), sha256: sha256Hex }),
    }),
    nextNumberDto.extend({ id: z.number().int().positive() }),
  ),
  /** The signed file becomes the entry's attachment; the entry goes to "Đã phát hành". */
  'register.recordIssued': () => defineMethod(
    z.strictObject({
      id: z.number().int().positive(),
      path: pathString,
      name: z.string().min(1).max(255),
      sha256: sha256Hex,
      signingTime: z.string().max(40),
      leader: certificateRef.extend({ name: z.string().max(200) }).nullable(),
      agency: certificateRef,
      /** Điều 3.2: issued on the clerk's explicit choice although the leader's revocation status was unknown. */
      unknownRevocation: z.strictObject({ reasons: z.array(z.string().max(500)).max(20) }).nullable(),
      /** Điều 17.4.c: a paper original digitised here, issued without a leader signature. */
      digitized: z.boolean().optional(),
    }),
    z.object({ document: documentDto() }),
  ),
  /** The signing failed after the number was reserved: the number is cancelled with the reason, never given again. */
  'register.voidIssue': () => defineMethod(
    z.strictObject({ id: z.number().int().positive(), reason: text(2000, 1), code: z.string().max(64) }),
    z.object({ document: documentDto() }),
  ),
  /** The outgoing entry that already carries this số and ký hiệu in that year (a typed number is checked against it). */
  'register.codeUsed': () => defineMethod(
    z.strictObject({ year: z.number().int(), number: z.number().int().min(1).max(DOC_NUMBER_MAX), notation: text(NOTATION_MAX_CHARS, 1) }),
    z.object({ document: documentDto().nullable() }),
  ),
  /**
   * A PDF this workstation digitised (Điều 17.4.c's exception applies to exactly these bytes): recorded by
   * the register, in its audit chain, for the scanning service only. Recording the same bytes again keeps the first record.
   */
  'register.recordDigitized': () => defineMethod(
    z.strictObject({ sha256: sha256Hex, source: z.enum(['scan', 'import']), pageCount: z.number().int().positive(), conforms: z.boolean(), ocr: z.boolean() }),
    z.object({ recorded: z.boolean() }),
  ),
  /** The issued entry whose attachment has these bytes (a copy is made only of an issued document). */
  'register.issuedFile': () => defineMethod(z.strictObject({ sha256: sha256Hex }), z.object({ document: documentDto().nullable() })),
});
export type RegisterIssuingMethods = typeof registerIssuingMethods;
