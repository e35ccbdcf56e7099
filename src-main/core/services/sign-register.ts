/**
 * Cấp số at issuing, the signing service's side (docs/signing.md, "Cấp số from the register"): the
 * number is reserved in the sổ before the token signs, the signed file recorded as the issued entry
 * after, and a failed signing cancels the number with its reason. The register's side is
 * core/register/issuing.ts, reached through the register worker (contract/issuing.ts).
 */
import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { DOC_TYPES } from '../../contract/doc-types';
import { AppError, GENERIC_VI, isAppError } from '../../contract/errors';
import type { NextNumberDto, RegisterIssuingMethods } from '../../contract/issuing';
import type { batchJob, SignResultDto } from '../../contract/sign';
import { nfc } from '../../contract/text';
import { extractLines, type TextLine } from '../pdf/layout/text-lines';
import type { IssueResult } from '../pdf/sign/index';

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

/** The cấp số part of a job: a sổ to number it from, and the entry's fields. */
export interface IssueEntry { book: string; TypeName: string; Subject: string; notation: string | undefined }

type IssueJob = Extract<JobInput, { kind: 'issue' }>;

/** The entry an issue job makes (null when it names no sổ), read before any token work or reservation. */
export async function issueEntryOf(job: JobInput, bytes: Uint8Array): Promise<IssueEntry | null> {
  if (job.kind !== 'issue' || !job.book) return null;
  return { book: job.book, ...entryFields(job, recordFieldsOf((await extractLines(bytes, [0])).lines)) };
}

/** Takes the number for the job in the register (the next of the series, or the one the job asks for if free). */
export function reserve(register: IssuingRegister, job: JobInput, entry: IssueEntry, file: { name: string; sha256: string }): Promise<Reservation> {
  const j = job as IssueJob;
  return register['register.reserveIssue']({
    book: entry.book, date: j.date, kind: 'issue', TypeName: entry.TypeName, Subject: entry.Subject, To: j.recipients ?? [],
    ...(j.number !== undefined ? { number: j.number } : {}), ...(entry.notation ? { notation: entry.notation } : {}),
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

/** Records the signed output as the reserved entry, issued, with its signers and the clerk's revocation choice. */
export async function recordIssued(register: IssuingRegister, reservation: Reservation, out: { path: string; name: string; sha256: string }, result: IssueResult | { signingTime: string }, agencyCert: Buffer): Promise<NonNullable<SignResultDto['registered']>> {
  const issue = 'leaderReport' in result ? result : null;
  const leaderDer = issue?.leaderReport?.certificate ? Buffer.from(issue.leaderReport.certificate, 'base64') : null;
  await register['register.recordIssued']({
    id: reservation.id, path: out.path, name: out.name, sha256: out.sha256, signingTime: result.signingTime,
    leader: leaderDer ? { ...certRef(leaderDer), name: issue?.leaderReport?.signerName ?? '' } : null,
    agency: certRef(agencyCert),
    unknownRevocation: issue?.unknownRevocationAccepted ? { reasons: issue.leaderReport?.reasons.slice(0, 20) ?? [] } : null,
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

export function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}
