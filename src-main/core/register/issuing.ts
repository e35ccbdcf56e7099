import { AppError } from '../../contract/errors';
import type { Attachments } from './attachments';
import type { ActOptions, RegisterContext } from './context';
import { numberText, type BookDto, type DocumentDto } from './dto';
import type { Handling } from './handling';
import type { Registration } from './registration';
import { yearOf } from './time';

/** A number of a sổ's series as the clerk reads it: "05/QĐ-UBND". */
export interface SeriesNumber { book: string; year: number; number: number; numberText: string; notation: string; code: string }

export interface ReserveInput {
  book: string;
  /** Ngày ban hành (YYYY-MM-DD): its year is the series' year. */
  date: string;
  number?: number | undefined;
  notation?: string | undefined;
  kind: 'issue' | 'copy';
  TypeName: string;
  Subject: string;
  To: string[];
  SignerFullName?: string | undefined;
  file: { name: string; sha256: string };
}

interface CertificateRef { subject: string; serial: string; sha256: string }

export interface RecordInput {
  path: string;
  name: string;
  sha256: string;
  signingTime: string;
  leader: (CertificateRef & { name: string }) | null;
  agency: CertificateRef;
  unknownRevocation: { reasons: string[] } | null;
  /** Điều 17.4.c: a paper original digitised on this workstation, issued without a leader signature. */
  digitized?: boolean;
}

/**
 * Cấp số at issuing (docs/signing.md, "Cấp số from the register"): the number is reserved in the sổ đi
 * by the same registration (and numbering rule) as vào sổ đi, as an entry "Đã cấp số"; the signed file then
 * makes it "Đã phát hành" with the file as its attachment, or a failed signing cancels it with the
 * reason. Every step is an entry of the audit chain.
 */
export class Issuing {
  private readonly stmt;

  constructor(private readonly ctx: RegisterContext, private readonly registration: Registration, private readonly handling: Handling, private readonly attachments: Attachments) {
    const { db } = ctx;
    this.stmt = {
      last: db.prepare<[string, number], { last_number: number }>('SELECT last_number FROM book_counters WHERE book_id = ? AND year = ?'),
      used: db.prepare<[string, number, number], { id: number; state: string }>('SELECT id, state FROM documents WHERE book_id = ? AND year = ? AND number = ?'),
      signed: db.prepare('UPDATE documents SET signed_at = @at, SignerFullName = coalesce(@name, SignerFullName) WHERE id = @id'),
      byCode: db.prepare<[number, string, string], { id: number }>("SELECT id FROM documents WHERE direction = 'di' AND year = ? AND CodeNumber = ? AND CodeNotation = ? LIMIT 1"),
      issuedBySha: db.prepare<[string], { id: number }>(
        `SELECT d.id FROM attachments a JOIN documents d ON d.id = a.doc_id
          WHERE a.sha256 = ? AND d.direction = 'di' AND d.state IN ('issued', 'sent') ORDER BY d.id LIMIT 1`,
      ),
    };
  }

  /** The number the next reservation in this sổ would get for a document of that date (a preview). */
  next(bookId: string, date: string, notation?: string, kind: ReserveInput['kind'] = 'issue'): SeriesNumber {
    const book = this.seriesBook(bookId, kind);
    const year = yearOf(date);
    return this.series(book, year, (this.stmt.last.get(book.id, year)?.last_number ?? 0) + 1, notation);
  }

  /** Takes the number (the next one, or the one asked for if still free) and makes the entry, in one transaction. */
  reserve(input: ReserveInput, act: ActOptions = {}): SeriesNumber & { id: number } {
    const book = this.seriesBook(input.book, input.kind);
    const year = yearOf(input.date);
    const actor = this.ctx.actorOf(act);
    const notation = this.registration.notationFor(book, input.notation);
    return this.ctx.write(() => {
      if (input.number !== undefined) {
        const taken = this.stmt.used.get(book.id, year, input.number);
        if (taken) {
          throw new AppError('CONFLICT', `Số ${numberText(input.number)} đã được cấp trong "${book.name}" năm ${year}; mỗi số chỉ được cấp một lần.`,
            `number ${input.number} of ${book.id}/${year} already used by document ${taken.id} (${taken.state})`, { field: 'number' });
        }
      }
      const { document } = this.registration.register({
        book: book.id, TypeName: input.TypeName, Subject: input.Subject, IssuedDate: input.date,
        ...(input.number !== undefined ? { CodeNumber: numberText(input.number) } : {}),
        CodeNotation: notation,
        ...(input.To.length ? { To: input.To.map((OrganName) => ({ OrganName })) } : {}),
        ...(input.SignerFullName ? { SignerInfo: { FullName: input.SignerFullName } } : {}),
      }, { actor });
      const reserved = { ...this.series(book, year, document.number!, notation), id: document.id };
      this.ctx.log({ actor, action: 'issue.reserve', entity: 'document', entityId: document.id, after: { book: book.id, year, number: reserved.number, code: reserved.code, file: input.file } });
      return reserved;
    });
  }

  /** The signed file becomes the entry's attachment; the entry is issued with its signers (and the clerk's revocation choice). */
  async record(id: number, r: RecordInput, act: ActOptions = {}): Promise<DocumentDto> {
    const actor = this.ctx.actorOf(act);
    this.reserved(id);
    await this.attachments.attach(id, { path: r.path, name: r.name, mime: 'application/pdf' }, { actor });
    return this.ctx.write(() => {
      // The provenance stays on the entry: a digitised original is the one case issued without a leader's signature.
      const note = r.digitized ? `Ký phát hành bản số hóa văn bản giấy do văn thư số hóa tại máy này (Điều 17.4.c): ${r.name}` : `Ký phát hành: ${r.name}`;
      // The signer first: the transition indexes the entry for search, which must see the leader who signed.
      this.stmt.signed.run({ id, at: r.signingTime, name: r.leader?.name.slice(0, 50) ?? null });
      this.handling.transition(id, 'issue', { actor, note });
      const doc = this.ctx.getDoc(id);
      this.ctx.log({ actor, action: 'issue.record', entity: 'document', entityId: id, after: { code: doc.code, file: { name: r.name, sha256: r.sha256 }, signingTime: r.signingTime, leader: r.leader, agency: r.agency, ...(r.digitized ? { digitized: true } : {}) } });
      if (r.unknownRevocation) {
        // Điều 3.2: the clerk chose to issue without knowing whether the leader's certificate was revoked.
        this.ctx.log({
          actor, action: 'issue.unknown_revocation_accepted', entity: 'document', entityId: id,
          after: { code: doc.code, file: { name: r.name, sha256: r.sha256 }, leaderCertificate: r.leader, reasons: r.unknownRevocation.reasons },
        });
      }
      return doc;
    });
  }

  /** The signing failed after the reservation: the number is cancelled with the reason and never given again. */
  void(id: number, reason: string, code: string, act: ActOptions = {}): DocumentDto {
    const actor = this.ctx.actorOf(act);
    return this.ctx.write(() => {
      this.reserved(id);
      this.handling.transition(id, 'cancel', { actor, reason: `Ký phát hành không thành: ${reason}` });
      const doc = this.ctx.getDoc(id);
      this.ctx.log({ actor, action: 'issue.void', entity: 'document', entityId: id, after: { code: doc.code, reason, errorCode: code } });
      return doc;
    });
  }

  /** The outgoing entry of that year with this số and ký hiệu, in whatever state (a cancelled number stays used). */
  codeUsed(year: number, number: number, notation: string): DocumentDto | null {
    const hit = this.stmt.byCode.get(year, numberText(number), notation);
    return hit ? this.ctx.getDoc(hit.id) : null;
  }

  /** The issued (or sent) entry whose attachment has these bytes. */
  issuedFile(sha256: string): DocumentDto | null {
    const hit = this.stmt.issuedBySha.get(sha256);
    return hit ? this.ctx.getDoc(hit.id) : null;
  }

  private reserved(id: number): DocumentDto {
    const doc = this.ctx.getDoc(id);
    if (doc.direction !== 'di' || doc.state !== 'numbered') {
      throw new AppError('CONFLICT', `Văn bản số ${doc.code ?? id} không ở trạng thái "Đã cấp số".`, `issuing entry ${id} is ${doc.direction}/${doc.state}`);
    }
    return doc;
  }

  /** A sổ đi of the right kind: copies take their numbers from a copies sổ, documents from any other sổ đi. */
  private seriesBook(bookId: string, kind: ReserveInput['kind']): BookDto {
    const book = this.ctx.book(bookId);
    if (book.direction !== 'di') throw fieldInvalid(`"${book.name}" là sổ văn bản đến; cấp số phát hành phải từ sổ văn bản đi.`, `issue into incoming book ${book.id}`);
    if (kind === 'copy' && book.kind !== 'copies') throw fieldInvalid(`Bản sao phải lấy số từ sổ bản sao (SY, SL, TrS), không từ "${book.name}".`, `copy into ${book.kind} book ${book.id}`);
    if (kind === 'issue' && book.kind === 'copies') throw fieldInvalid(`"${book.name}" chỉ cấp số cho bản sao.`, `issue into copies book ${book.id}`);
    return book;
  }

  private series(book: BookDto, year: number, number: number, notation: string | undefined): SeriesNumber {
    const n = this.registration.notationFor(book, notation);
    const text = numberText(number);
    return { book: book.id, year, number, numberText: text, notation: n, code: `${text}/${n}` };
  }
}

function fieldInvalid(vi: string, detail: string): AppError {
  return new AppError('INPUT_INVALID', vi, detail, { field: 'book' });
}
