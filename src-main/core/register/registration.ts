import { AppError } from '../../contract/errors';
import { vnFold } from '../../contract/text';
import { COPY_NOTATION } from './books';
import type { ActOptions, RegisterContext } from './context';
import type { Dossiers } from './dossiers';
import { documentDto, numberText, type BookDto, type DocumentDto } from './dto';
import { invalid, mapDbError } from './errors';
import type { Numbering } from './numbering';
import { incomingRecordSchema, issuePaths, outgoingRecordSchema, type IncomingRecord, type OutgoingRecord } from './records';
import type { SearchIndex } from './search';
import { dateInVietnam } from '../../contract/time';
import { yearOf } from './time';
import type { DocState } from './workflow';

export interface RegisterResult {
  document: DocumentDto;
  /** Phụ lục VI.1h duplicate warnings: the registration went through, the clerk should look. */
  duplicates: DuplicateDto[];
}

export interface DuplicateDto {
  id: number;
  reason: 'DocumentId' | 'CodeAndOrgan';
  code: string | null;
  OrganName: string | null;
  number: number | null;
  book: string;
}

export interface ImportReport {
  imported: number;
  failed: Array<{ line: number; code: string; message: string }>;
  duplicates: number;
}

type AnyRecord = IncomingRecord | OutgoingRecord;

const DOC_COLUMNS = [
  'book_id', 'direction', 'state', 'year', 'number', 'reg_date', 'TypeName', 'CodeNumber', 'CodeNotation', 'IssuedDate',
  'OrganName', 'Subject', 'Language', 'PageAmount', 'Description', 'SignerPosition', 'SignerFullName', 'Priority', 'Secrecy',
  'IssuedAmount', 'DueDate', 'DueTime', 'ArrivalDate', 'ToPlaces', 'TraceHeaderList', 'DocumentId', 'Paper', 'FileCopyHolder',
  'received_at', 'registered_at', 'signed_at', 'issued_at', 'created_at',
] as const;

type DocRow = Record<(typeof DOC_COLUMNS)[number], string | number | null>;

/**
 * What a registration's audit entry says for people: the entry's row states carry the whole row, so
 * repeating it here would only double the entry (and push the audit table to one entry a page).
 */
function summary(d: DocumentDto): Record<string, unknown> {
  return { book: d.book, number: d.number, code: d.code, state: d.state };
}

/**
 * Tiếp nhận and vào sổ: records validated for their book's direction, số allocated gap-free, the row,
 * its FTS entry, its first status and transition and the audit entry in one transaction.
 */
export class Registration {
  private readonly stmt;

  constructor(private readonly ctx: RegisterContext, private readonly numbering: Numbering, private readonly index: SearchIndex, private readonly dossiers: Dossiers) {
    const { db } = ctx;
    this.stmt = {
      insertDoc: db.prepare(`INSERT INTO documents (${DOC_COLUMNS.join(', ')}) VALUES (${DOC_COLUMNS.map((c) => `@${c}`).join(', ')})`),
      insertRecipient: db.prepare('INSERT INTO recipients (doc_id, ord, OrganId, OrganName) VALUES (?, ?, ?, ?)'),
      insertStatus: db.prepare('INSERT INTO status_events (doc_id, recipient_id, code, at, note) VALUES (?, ?, ?, ?, ?)'),
      insertTransition: db.prepare('INSERT INTO transitions (doc_id, from_state, to_state, at, actor, note) VALUES (?, ?, ?, ?, ?, ?)'),
      dupById: db.prepare<[string], Record<string, unknown>>("SELECT * FROM documents WHERE DocumentId = ? AND direction = 'den' LIMIT 20"),
      dupByCode: db.prepare<[string, string], Record<string, unknown>>("SELECT * FROM documents WHERE CodeNumber = ? AND CodeNotation = ? AND direction = 'den' LIMIT 50"),
    };
  }

  /** Parses a record for its book's direction; the book decides which Phụ lục VI set applies. */
  parseRecord(raw: unknown): { book: BookDto; rec: AnyRecord } {
    const bookId = typeof raw === 'object' && raw !== null ? (raw as { book?: unknown }).book : undefined;
    if (typeof bookId !== 'string') throw invalid('Bản ghi thiếu tên sổ (book).', 'record without book');
    const book = this.ctx.book(bookId);
    const schema = book.direction === 'den' ? incomingRecordSchema : outgoingRecordSchema;
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      throw new AppError('INPUT_INVALID', 'Thông tin văn bản không hợp lệ (thiếu trường bắt buộc hoặc quá độ dài cho phép).', `record: ${issuePaths(parsed.error)}`, { fields: issuePaths(parsed.error) });
    }
    const rec = parsed.data;
    if (rec.Secrecy > 0 && book.kind !== 'secret') throw invalid('Văn bản mật phải được đăng ký vào sổ văn bản mật.', `secret document into ${book.id}`);
    if (book.kind === 'secret' && rec.Secrecy === 0) throw invalid('Sổ văn bản mật chỉ dành cho văn bản có độ mật.', `non-secret document into ${book.id}`);
    return { book, rec };
  }

  /** Phụ lục VI.1h: same mã định danh văn bản, or same số + ký hiệu + cơ quan ban hành. */
  duplicatesOf(raw: unknown): DuplicateDto[] {
    const { book, rec } = this.parseRecord(raw);
    return book.direction === 'den' ? this.findDuplicates(rec) : [];
  }

  /** Vào sổ: văn bản đến gets its số đến, văn bản đi its số (and date when absent). */
  register(raw: unknown, act: ActOptions = {}): RegisterResult {
    const { book, rec } = this.parseRecord(raw);
    return this.ctx.write(() => this.insertRegistered(book, rec, this.ctx.actorOf(act)));
  }

  /** Tiếp nhận without vào sổ yet (status 01); the "register" action gives the số đến later. */
  receive(raw: unknown, act: ActOptions = {}): RegisterResult {
    const { book, rec } = this.parseRecord(raw);
    if (book.direction !== 'den') throw invalid('Chỉ văn bản đến mới được tiếp nhận.', 'receive on outgoing book');
    return this.ctx.write(() => {
      const { id } = this.insertDoc(book, rec, 'received', null, null, null);
      this.insertStatus(id, null, '01', null);
      this.logTransition(id, null, 'received', this.ctx.actorOf(act), null);
      const document = this.ctx.getDoc(id);
      this.ctx.log({ actor: this.ctx.actorOf(act), action: 'document.receive', entity: 'document', entityId: id, after: summary(document) });
      return { document, duplicates: this.findDuplicates(rec, id) };
    });
  }

  /** A văn bản đi draft: no số until the "number" step. */
  draft(raw: unknown, act: ActOptions = {}): RegisterResult {
    const { book, rec } = this.parseRecord(raw);
    if (book.direction !== 'di') throw invalid('Chỉ văn bản đi mới có dự thảo.', 'draft on incoming book');
    return this.ctx.write(() => {
      const { id } = this.insertDoc(book, rec, 'drafted', null, null, null);
      this.insertRecipients(id, (rec as OutgoingRecord).To ?? []);
      this.logTransition(id, null, 'drafted', this.ctx.actorOf(act), null);
      const document = this.ctx.getDoc(id);
      this.ctx.log({ actor: this.ctx.actorOf(act), action: 'document.draft', entity: 'document', entityId: id, after: summary(document) });
      return { document, duplicates: [] };
    });
  }

  /**
   * JSONL-style batch: each record is validated alone; valid ones are written in transactions of
   * `batchSize` so one bad line does not lose the others and a million rows do not hold one lock.
   */
  importRecords(records: Iterable<unknown>, act: ActOptions & { batchSize?: number; firstLine?: number; lineNumbers?: number[] } = {}): ImportReport {
    const report: ImportReport = { imported: 0, failed: [], duplicates: 0 };
    const batchSize = act.batchSize ?? 500;
    let batch: Array<{ line: number; book: BookDto; rec: AnyRecord }> = [];
    const actor = this.ctx.actorOf(act);
    const flush = () => {
      if (batch.length === 0) return;
      const items = batch;
      batch = [];
      // Optimistic pass: the whole batch in one transaction. Only when a record fails is the batch
      // redone with a SAVEPOINT per record, so one bad line (a duplicate số, a closed period) fails alone.
      const run = (isolate: boolean): ImportReport => {
        const part: ImportReport = { imported: 0, failed: [], duplicates: 0 };
        for (const it of items) {
          try {
            const r = isolate ? this.ctx.savepoint(() => this.insertRegistered(it.book, it.rec, actor)) : this.insertRegistered(it.book, it.rec, actor);
            part.imported++;
            if (r.duplicates.length) part.duplicates++;
          } catch (e) {
            if (!isolate) throw e;
            const err = mapDbError(e);
            if (err.code === 'DB_ERROR') throw err;
            part.failed.push({ line: it.line, code: err.code, message: err.vi });
          }
        }
        return part;
      };
      let part: ImportReport;
      try {
        part = this.ctx.write(() => run(false));
      } catch (e) {
        if ((e as AppError).code === 'DB_ERROR') throw e;
        part = this.ctx.write(() => run(true));
      }
      report.imported += part.imported;
      report.duplicates += part.duplicates;
      report.failed.push(...part.failed);
    };
    let index = 0;
    for (const raw of records) {
      // Line numbers in reports are the caller's (a JSONL file skips blank and unparsable lines).
      const line = act.lineNumbers?.[index] ?? (act.firstLine ?? 1) + index;
      index++;
      try {
        const { book, rec } = this.parseRecord(raw);
        batch.push({ line, book, rec });
      } catch (e) {
        const err = mapDbError(e);
        report.failed.push({ line, code: err.code, message: err.vi });
      }
      if (batch.length >= batchSize) flush();
    }
    flush();
    report.failed.sort((a, b) => a.line - b.line);
    return report;
  }

  /** The ký hiệu a numbered văn bản đi gets: its own, else its sổ's default; copies must say which kind. */
  notationFor(book: BookDto, given: string | undefined): string {
    const notation = given || book.notation;
    if (!notation) throw invalid('Thiếu ký hiệu văn bản và sổ không có ký hiệu mặc định.', `no notation for ${book.id}`);
    if (book.kind === 'copies' && !COPY_NOTATION.test(notation)) {
      throw invalid('Ký hiệu bản sao phải bắt đầu bằng SY-, SL- hoặc TrS-.', `copy notation ${notation}`);
    }
    return notation;
  }

  insertStatus(docId: number, recipientId: number | null, code: string, note: string | null, at = this.ctx.nowIso()): void {
    this.stmt.insertStatus.run(docId, recipientId, code, at, note);
  }

  logTransition(id: number, from: DocState | null, to: DocState, actor: string, note: string | null): void {
    this.stmt.insertTransition.run(id, from, to, this.ctx.nowIso(), actor, note);
  }

  private insertRegistered(book: BookDto, rec: AnyRecord, actor: string): RegisterResult {
    const today = dateInVietnam(this.ctx.now());
    let inserted: { id: number; row: Record<string, unknown> };
    if (book.direction === 'den') {
      const r = rec as IncomingRecord;
      const regDate = r.ArrivalDate ?? today;
      const year = yearOf(regDate);
      const number = this.allocate(book.id, year, r.ArrivalNumber);
      inserted = this.insertDoc(book, { ...r, ArrivalDate: regDate }, 'registered', year, number, regDate);
      this.insertStatus(inserted.id, null, '03', null);
      this.logTransition(inserted.id, null, 'registered', actor, null);
    } else {
      const r = rec as OutgoingRecord;
      const regDate = r.IssuedDate ?? today;
      const year = yearOf(regDate);
      const given = r.CodeNumber !== undefined && /^\d+$/.test(r.CodeNumber) ? Number(r.CodeNumber) : undefined;
      const number = this.allocate(book.id, year, given);
      const notation = this.notationFor(book, r.CodeNotation);
      inserted = this.insertDoc(book, { ...r, IssuedDate: regDate, CodeNumber: r.CodeNumber ?? numberText(number), CodeNotation: notation }, 'numbered', year, number, regDate);
      this.insertRecipients(inserted.id, r.To ?? []);
      this.logTransition(inserted.id, null, 'numbered', actor, null);
    }
    const { id } = inserted;
    const document = documentDto(inserted.row);
    this.ctx.log({ actor, action: 'document.register', entity: 'document', entityId: id, after: summary(document) });
    return { document, duplicates: book.direction === 'den' ? this.findDuplicates(rec, id) : [] };
  }

  private allocate(bookId: string, year: number, given: number | undefined): number {
    if (given === undefined) return this.numbering.next(bookId, year);
    this.numbering.claim(bookId, year, given);
    return given;
  }

  private findDuplicates(rec: AnyRecord, exceptId?: number): DuplicateDto[] {
    const out = new Map<number, DuplicateDto>();
    const add = (r: Record<string, unknown>, reason: DuplicateDto['reason']) => {
      if (r.id === exceptId || out.has(r.id as number)) return;
      const d = documentDto(r);
      out.set(d.id, { id: d.id, reason, code: d.code, OrganName: d.OrganName, number: d.number, book: d.book });
    };
    if (rec.DocumentId) for (const r of this.stmt.dupById.all(rec.DocumentId)) add(r, 'DocumentId');
    if (rec.CodeNumber && rec.CodeNotation) {
      const organ = vnFold(rec.OrganName ?? '');
      for (const r of this.stmt.dupByCode.all(rec.CodeNumber, rec.CodeNotation)) {
        if (vnFold(String(r.OrganName ?? '')) === organ) add(r, 'CodeAndOrgan');
      }
    }
    return [...out.values()];
  }

  private insertDoc(book: BookDto, rec: AnyRecord, state: DocState, year: number | null, number: number | null, regDate: string | null): { id: number; row: Record<string, unknown> } {
    const at = this.ctx.nowIso();
    const inc = rec as Partial<IncomingRecord>;
    const out = rec as Partial<OutgoingRecord>;
    const row: DocRow = {
      book_id: book.id, direction: book.direction, state, year, number, reg_date: regDate,
      TypeName: rec.TypeName, CodeNumber: rec.CodeNumber ?? null, CodeNotation: rec.CodeNotation || null, IssuedDate: rec.IssuedDate ?? null,
      OrganName: rec.OrganName || null, Subject: rec.Subject, Language: rec.Language || null, PageAmount: rec.PageAmount ?? null,
      Description: rec.Description || null, SignerPosition: rec.SignerInfo?.Position || null, SignerFullName: rec.SignerInfo?.FullName || null,
      Priority: rec.Priority, Secrecy: rec.Secrecy, IssuedAmount: out.IssuedAmount ?? null, DueDate: rec.DueDate ?? null, DueTime: rec.DueTime ?? null,
      ArrivalDate: inc.ArrivalDate ?? null, ToPlaces: inc.ToPlaces || null, TraceHeaderList: inc.TraceHeaderList || null,
      DocumentId: rec.DocumentId || null, Paper: inc.Paper ? 1 : 0, FileCopyHolder: out.FileCopyHolder || null,
      received_at: book.direction === 'den' ? at : null,
      registered_at: state === 'registered' || state === 'numbered' ? at : null,
      signed_at: null, issued_at: null, created_at: at,
    };
    const id = Number(this.stmt.insertDoc.run(row).lastInsertRowid);
    this.index.add(id, { ...row, id });
    if (rec.FileCode) this.dossiers.link(rec.FileCode, id, rec.DocOrdinal);
    // The written row comes back so a registration need not read it again.
    return { id, row: { ...row, id } };
  }

  private insertRecipients(docId: number, to: ReadonlyArray<{ OrganId?: string | undefined; OrganName: string }>): void {
    to.forEach((r, i) => this.stmt.insertRecipient.run(docId, i + 1, r.OrganId || null, r.OrganName));
  }
}
