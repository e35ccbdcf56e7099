/**
 * Cấp số at issuing, the signing service's side (docs/signing.md, "Cấp số from the register"): the
 * number is reserved in the sổ before the token signs, the signed file recorded as the issued entry
 * after, and a failed signing cancels the number with its reason. The register's side is
 * core/register/issuing.ts, reached through the register worker (contract/issuing.ts).
 */
import { createHash, X509Certificate } from 'node:crypto';
import type { z } from 'zod';
import { DOC_TYPES } from '../../contract/doc-types';
import { AppError, GENERIC_VI, isAppError } from '../../contract/errors';
import type { NextNumberDto, RegisterIssuingMethods } from '../../contract/issuing';
import type { batchJob, SignResultDto } from '../../contract/sign';
import { nfc } from '../../contract/text';
import { dateInVietnam } from '../../contract/time';
import { COPY_FORM_CODES } from '../../contract/vocabulary';
import { extractLines, type TextLine } from '../pdf/layout/text-lines';
import type { IssueResult, SignResult } from '../pdf/sign/index';

/** The register worker's cấp số methods, as the backend reaches them. */
export type IssuingRegister = {
  [K in keyof RegisterIssuingMethods]: (input: z.input<RegisterIssuingMethods[K]['input']>) => Promise<z.output<RegisterIssuingMethods[K]['output']>>;
};

type JobInput = z.output<typeof batchJob>;

export interface RecordFields { typeName: string | null; subject: string | null; notation: string | null }

const TYPE_BY_CAPS = new Map(DOC_TYPES.map((t) => [t.name.toLocaleUpperCase('vi'), t.name]));

/**
 * What page 1 says for the register entry (NĐ 30 Phụ lục I layout): the ký hiệu after "Số: …/", the
 * tên loại in capitals on a line of its own, and the trích yếu on the line below it.
 */
export function recordFieldsOf(lines: readonly TextLine[]): RecordFields {
  const texts = lines.filter((l) => l.page === 0).map((l) => nfc(l.text).replace(/\s+/g, ' ').trim());
  // The number line often shares its baseline with the place and date line on the right.
  const notation = texts.map((t) => t.match(/^Số\s*:\s*\p{N}*\s*\/\s*([\p{L}\p{N}][\p{L}\p{N}./-]*)/u)?.[1]).find(Boolean) ?? null;
  const at = texts.findIndex((t) => TYPE_BY_CAPS.has(t));
  const subject = at >= 0 ? texts[at + 1] ?? null : null;
  return {
    typeName: at >= 0 ? TYPE_BY_CAPS.get(texts[at]!)! : null,
    subject: subject && /^(Về|V\/v)\s/iu.test(subject) ? subject : null,
    notation,
  };
}

interface CertRef { subject: string; serial: string; sha256: string }

function certRef(der: Buffer): CertRef {
  const x = new X509Certificate(der);
  return { subject: nfc(x.subject.replace(/\n/g, ', ')), serial: x.serialNumber, sha256: createHash('sha256').update(der).digest('hex') };
}

export interface Reservation extends NextNumberDto { id: number }

/** The cấp số part of a job: the sổ it is numbered from, the series kind and the entry's fields. */
export interface JobEntry {
  kind: 'issue' | 'copy';
  book: string;
  TypeName: string;
  Subject: string;
  notation: string | undefined;
  date: string;
  To: string[];
  number?: number | undefined;
}

/** What a copy's source is checked against: the register's issued files, and this workstation's digitisations. */
export interface CopySources {
  register: IssuingRegister;
  /** Throws unless these bytes were digitised here and met the standard (the Điều 17.4.c gate). */
  requireDigitizedHere: (bytes: Uint8Array) => Promise<void>;
}

/**
 * The entry a job makes (null when it names no sổ), read before any token work or reservation. A copy
 * (SY, SL, TrS) is made only of a document this register issued (its bytes are an issued entry's
 * attachment) or of a paper original digitised here; it takes the source's Loại and trích yếu.
 */
export async function entryOf(sources: CopySources, job: JobInput, file: { sha256: string }, bytes: Uint8Array): Promise<JobEntry | null> {
  if (job.kind === 'appendix' || !job.book) return null;
  const page = () => extractLines(bytes, [0]).then((r) => recordFieldsOf(r.lines));
  if (job.kind === 'issue') {
    const fields = entryFields(job, await page());
    return { kind: 'issue', book: job.book, ...fields, date: job.date, To: job.recipients ?? [], number: job.number };
  }
  const { document: issued } = await sources.register['register.issuedFile']({ sha256: file.sha256 });
  if (!issued) {
    await sources.requireDigitizedHere(bytes).catch(() => {
      throw new AppError('SIGN_REFUSED', 'Chỉ được sao văn bản đã phát hành trong sổ văn bản đi của cơ quan, hoặc bản giấy đã số hóa tại máy này; tệp này không phải cả hai.',
        'copy source neither an issued attachment nor digitised here', { field: 'fileId' });
    });
  }
  const fields = issued ? { TypeName: issued.TypeName, Subject: issued.Subject } : entryFields({}, await page());
  const series = await sources.register['register.nextNumber']({ book: job.book, date: dateInVietnam(), kind: 'copy' });
  // The copies sổ's ký hiệu with the form's code in front: SY-UBND, SL-UBND, TrS-UBND.
  const notation = `${COPY_FORM_CODES[job.form]}-${series.notation.replace(/^[^-]+-/, '')}`;
  return { kind: 'copy', book: job.book, TypeName: fields.TypeName, Subject: fields.Subject, notation, date: dateInVietnam(), To: [] };
}

/** Takes the number for the job in the register (the next of the series, or the one the job asks for if free). */
export function reserve(register: IssuingRegister, entry: JobEntry, file: { name: string; sha256: string }): Promise<Reservation> {
  return register['register.reserveIssue']({
    book: entry.book, date: entry.date, kind: entry.kind, TypeName: entry.TypeName, Subject: entry.Subject, To: entry.To,
    ...(entry.number !== undefined ? { number: entry.number } : {}), ...(entry.notation ? { notation: entry.notation } : {}),
    file: { name: file.name, sha256: file.sha256 },
  });
}

/**
 * Cancels a reserved number after its signing failed (the reason is the failure's Vietnamese sentence) and
 * returns the error the clerk sees: the failure, then which number was cancelled.
 */
export async function voidReservation(register: IssuingRegister, reservation: Reservation, e: unknown): Promise<AppError> {
  const code = isAppError(e) ? e.code : 'INTERNAL';
  const reason = isAppError(e) ? e.vi : GENERIC_VI.INTERNAL;
  await register['register.voidIssue']({ id: reservation.id, reason, code });
  const vi = `${reason} Số ${reservation.code} đã giữ cho văn bản này được hủy trong sổ (có ghi lý do) và không cấp lại.`;
  return new AppError(code, vi, `issue under ${reservation.book}/${reservation.year}/${reservation.number} failed, number voided: ${(e as Error).message}`, { voided: reservation.code });
}

/** Runs one signing under a reservation; a failure before the signed file exists cancels the number. */
export async function underReservation<T>(register: IssuingRegister, reservation: Reservation, sign: () => Promise<T>): Promise<T> {
  try {
    return await sign();
  } catch (e) {
    throw await voidReservation(register, reservation, e);
  }
}

/**
 * Records the signed output as the reserved entry, issued, with its signers and the clerk's revocation
 * choice. The file's SHA-256 is the signer's own (its running hash over what it wrote): the file is not
 * read and hashed again here.
 */
export async function recordIssued(register: IssuingRegister, reservation: Reservation, out: { path: string; name: string }, result: IssueResult | Pick<SignResult, 'signingTime' | 'sha256'>, agencyCert: Buffer): Promise<NonNullable<SignResultDto['registered']>> {
  const issue = 'leaderReport' in result ? result : null;
  const leaderDer = issue?.leaderReport?.certificate ? Buffer.from(issue.leaderReport.certificate, 'base64') : null;
  await register['register.recordIssued']({
    id: reservation.id, path: out.path, name: out.name, sha256: result.sha256, signingTime: result.signingTime,
    leader: leaderDer ? { ...certRef(leaderDer), name: issue?.leaderReport?.signerName ?? '' } : null,
    agency: certRef(agencyCert),
    unknownRevocation: issue?.unknownRevocationAccepted ? { reasons: issue.leaderReport?.reasons.slice(0, 20) ?? [] } : null,
    ...(issue && issue.leader === null ? { digitized: true } : {}),
  });
  return { docId: reservation.id, book: reservation.book, year: reservation.year, number: reservation.number, code: reservation.code };
}

/** The register entry's fields: the caller's, else what page 1 says; refused naming the field when neither has it. */
export function entryFields(given: { typeName?: string | undefined; subject?: string | undefined; notation?: string | undefined }, page: RecordFields): { TypeName: string; Subject: string; notation: string | undefined } {
  const TypeName = given.typeName ?? page.typeName;
  const Subject = given.subject ?? page.subject;
  if (!TypeName) throw new AppError('INPUT_INVALID', 'Chưa có Loại văn bản cho sổ văn bản đi (trang đầu không ghi tên loại); hãy chọn Loại văn bản.', 'issue without TypeName', { field: 'typeName' });
  if (!Subject) throw new AppError('INPUT_INVALID', 'Chưa có Trích yếu nội dung cho sổ văn bản đi; hãy nhập Trích yếu.', 'issue without Subject', { field: 'subject' });
  return { TypeName, Subject, notation: given.notation ?? page.notation ?? undefined };
}
