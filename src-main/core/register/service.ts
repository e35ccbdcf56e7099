import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { pathString } from '../../contract/api';
import { AppError } from '../../contract/errors';
import { isoVietnam, nfc, vnFold } from '../../contract/text';
import { openDatabase, type Db } from '../db/connection';
import { migrate } from '../db/migrate';
import { FTS_COLUMNS, ftsValues } from '../db/migrations/0020-search';
import { FileStore } from '../filestore/store';
import { AuditLog, auditVerify, type AuditReport } from './audit';
import { COPY_NOTATION, defaultBooks } from './books';
import { WorkingCalendar } from './calendar';
import { alertsFor, OPEN_INCOMING, sortAlerts, type AlertDto } from './deadlines';
import {
  documentDto, numberText,
  type AssignmentDto, type AttachmentDto, type BookDto, type DocumentDetailDto, type DocumentDto,
  type RecipientDto, type StatusEventDto, type TransitionDto,
} from './dto';
import { invalid, mapDbError, notFound } from './errors';
import { Numbering } from './numbering';
import { Attachments, type AttachInput } from './attachments';
import type { RegisterContext } from './context';
import { Dossiers, type FileCode } from './dossiers';
import {
  assignmentSchema, bookConfigSchema, incomingRecordSchema, issuePaths, outgoingRecordSchema,
  type BookConfig, type DossierInput, type IncomingRecord, type OutgoingRecord,
} from './records';
import { runSearch, searchQuerySchema, type SearchPage, type SearchQuery } from './search';
import { systemClock, vnDate, yearOf, isoDateSchema, type Clock } from './time';
import { normaliseStatusCode, stepFor, supersedes, type Action, type DocState, type StatusCode } from './workflow';
import { printRequestSchema, renderRegisterPdf, type PrintKind, type PrintRequest } from '../print/register-print';

export interface AgencyInfo {
  /** Tên cơ quan, đơn vị. */
  name: string;
  /** Mã định danh (OrganId), ≤ 13 chars. */
  code: string;
  /** Abbreviation used in ký hiệu, e.g. "UBND". */
  abbr: string;
  /** Tên cơ quan chủ quản trực tiếp (register cover). */
  parentName?: string;
}

export interface RegisterOptions {
  clock?: Clock;
  agency: AgencyInfo;
  /** Who acts when a call names nobody (the logged-in clerk). */
  actor?: string;
  calendar?: z.input<typeof import('./calendar').calendarSchema>;
  /** Attachment store; default: "<db>.files" beside the database. */
  filesDir?: string;
  /** Registers created on first open; default: defaultBooks(agency.abbr). */
  books?: BookConfig[];
  /** See openDatabase; default 'full'. */
  durability?: 'full' | 'normal';
}

export interface ActOptions {
  actor?: string;
}

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

export const transitionSchema = z.strictObject({
  note: z.string().max(2000).transform(nfc).optional(),
  /** Required for trả lại and thu hồi. */
  reason: z.string().max(2000).transform(nfc).optional(),
  assignments: z.array(assignmentSchema).max(50).optional(),
  /** Leader's instructions for giao xử lý. */
  ToPlaces: z.string().max(1000).transform(nfc).optional(),
  DueDate: isoDateSchema.optional(),
  /** The correcting / replacing document (action "correct"). */
  correctedBy: z.number().int().positive().optional(),
});
export type TransitionOptions = z.input<typeof transitionSchema> & ActOptions;

export interface PrintResult {
  path: string;
  pages: number;
  rows: number;
}

const statusOptionsSchema = z.strictObject({
  at: z.string().datetime({ offset: true }).optional(),
  note: z.string().max(2000).transform(nfc).optional(),
});

const listQuerySchema = z.strictObject({
  book: z.string().max(32),
  year: z.number().int().min(1900).max(9999),
  page: z.number().int().min(1).max(10_000_000).default(1),
  pageSize: z.number().int().min(1).max(500).default(50),
});

const DOC_COLUMNS = [
  'book_id', 'direction', 'state', 'year', 'number', 'reg_date', 'TypeName', 'CodeNumber', 'CodeNotation', 'IssuedDate',
  'OrganName', 'Subject', 'Language', 'PageAmount', 'Description', 'SignerPosition', 'SignerFullName', 'Priority', 'Secrecy',
  'IssuedAmount', 'DueDate', 'DueTime', 'ArrivalDate', 'ToPlaces', 'TraceHeaderList', 'DocumentId', 'Paper', 'FileCopyHolder',
  'received_at', 'registered_at', 'signed_at', 'issued_at', 'created_at',
] as const;

type DocRow = Record<(typeof DOC_COLUMNS)[number], string | number | null>;

/**
 * The offline register: sổ configuration, gap-free numbering, workflows, deadlines, search,
 * attachments, đóng sổ, printing and the audit chain, over one SQLite file. Every write is one
 * BEGIN IMMEDIATE transaction that also appends its audit row. Synchronous: run it off the UI thread
 * (see worker.ts).
 */
export class RegisterService {
  readonly db: Db;
  private readonly attachmentStore: Attachments;
  private readonly dossierBook: Dossiers;
  private readonly audit: AuditLog;
  private readonly numbering: Numbering;
  private readonly clock: Clock;
  private readonly actor: string;
  readonly calendar: WorkingCalendar;
  private readonly stmt;
  /** Built once: better-sqlite3 prepares BEGIN/COMMIT/SAVEPOINT statements per wrapper. */
  private readonly tx;

  constructor(readonly dbPath: string, readonly opts: RegisterOptions) {
    const agency = z.strictObject({ name: z.string().min(1).max(200), code: z.string().max(13), abbr: z.string().min(1).max(20), parentName: z.string().max(200).optional() }).safeParse(opts.agency);
    if (!agency.success) throw invalid('Thông tin cơ quan trong cấu hình không hợp lệ.', `agency: ${issuePaths(agency.error)}`);
    mkdirSync(dirname(dbPath), { recursive: true });
    this.db = openDatabase(dbPath, { durability: opts.durability ?? 'full' });
    try {
      migrate(this.db, dbPath, { now: opts.clock });
    } catch (e) {
      this.db.close();
      throw e;
    }
    this.clock = opts.clock ?? systemClock;
    this.actor = opts.actor ?? 'vanthu';
    this.calendar = new WorkingCalendar(opts.calendar ?? {});
    this.audit = new AuditLog(this.db);
    this.numbering = new Numbering(this.db);
    this.tx = this.db.transaction((fn: () => unknown) => fn());
    const ctx: RegisterContext = {
      db: this.db,
      write: (fn) => this.write(fn),
      log: (e) => this.audit.append(this.nowIso(), e),
      nowIso: () => this.nowIso(),
      actorOf: (act) => act.actor ?? this.actor,
      getDoc: (id) => this.getDoc(id),
      reindex: (id) => this.reindex(id),
      isClosed: (doc) => this.isClosed(doc),
    };
    this.attachmentStore = new Attachments(ctx, new FileStore(opts.filesDir ?? `${dbPath}.files`));
    this.dossierBook = new Dossiers(ctx);
    this.stmt = {
      book: this.db.prepare<[string], Record<string, unknown>>('SELECT * FROM books WHERE id = ?'),
      doc: this.db.prepare<[number], Record<string, unknown>>('SELECT * FROM documents WHERE id = ?'),
      insertDoc: this.db.prepare(`INSERT INTO documents (${DOC_COLUMNS.join(', ')}) VALUES (${DOC_COLUMNS.map((c) => `@${c}`).join(', ')})`),
      insertFts: this.db.prepare(`INSERT INTO doc_fts (rowid, ${FTS_COLUMNS.join(', ')}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      deleteFts: this.db.prepare('DELETE FROM doc_fts WHERE rowid = ?'),
      body: this.db.prepare<[number], { body: string }>('SELECT body FROM doc_text WHERE doc_id = ?'),
      insertRecipient: this.db.prepare('INSERT INTO recipients (doc_id, ord, OrganId, OrganName) VALUES (?, ?, ?, ?)'),
      insertStatus: this.db.prepare('INSERT INTO status_events (doc_id, recipient_id, code, at, note) VALUES (?, ?, ?, ?, ?)'),
      insertTransition: this.db.prepare('INSERT INTO transitions (doc_id, from_state, to_state, at, actor, note) VALUES (?, ?, ?, ?, ?, ?)'),
      dupById: this.db.prepare<[string], Record<string, unknown>>('SELECT * FROM documents WHERE DocumentId = ? AND direction = \'den\' LIMIT 20'),
      dupByCode: this.db.prepare<[string, string], Record<string, unknown>>('SELECT * FROM documents WHERE CodeNumber = ? AND CodeNotation = ? AND direction = \'den\' LIMIT 50'),
    };
    if ((this.db.prepare('SELECT count(*) AS n FROM books').get() as { n: number }).n === 0) {
      this.configureBooks(opts.books ?? defaultBooks(opts.agency.abbr));
    }
  }

  /** Closes the connection (not đóng sổ: see closeBook). */
  dispose(): void {
    if (this.db.open) this.db.close();
  }

  private now(): Date {
    return this.clock();
  }

  private nowIso(): string {
    return isoVietnam(this.now());
  }

  /** One write = one BEGIN IMMEDIATE transaction with its audit row; SQLite errors become AppErrors. */
  private write<T>(fn: () => T): T {
    try {
      return this.tx.immediate(fn) as T;
    } catch (e) {
      throw mapDbError(e);
    }
  }

  /** The attachment store (content-addressed files on disk). */
  get files(): FileStore {
    return this.attachmentStore.files;
  }

  // ---------------------------------------------------------------- books

  books(): BookDto[] {
    return (this.db.prepare('SELECT id, direction, kind, name, notation FROM books ORDER BY direction, id').all() as BookDto[]);
  }

  configureBooks(list: unknown[], act: ActOptions = {}): BookDto[] {
    const parsed = z.array(bookConfigSchema).max(200).safeParse(list);
    if (!parsed.success) throw invalid('Cấu hình sổ văn bản không hợp lệ.', `books: ${issuePaths(parsed.error)}`);
    this.write(() => {
      const upsert = this.db.prepare(
        `INSERT INTO books (id, direction, kind, name, notation, created_at) VALUES (@id, @direction, @kind, @name, @notation, @at)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, notation = excluded.notation
         WHERE books.direction = excluded.direction AND books.kind = excluded.kind`,
      );
      for (const b of parsed.data) {
        const before = this.stmt.book.get(b.id);
        if (before && (before.direction !== b.direction || before.kind !== b.kind)) {
          throw invalid('Không thể đổi loại của sổ đã có (đến/đi, thường/bản sao/mật).', `book ${b.id} direction/kind change`);
        }
        upsert.run({ ...b, notation: b.notation ?? null, at: this.nowIso() });
        this.audit.append(this.nowIso(), { actor: act.actor ?? this.actor, action: 'book.configure', entity: 'book', entityId: b.id, before: before ?? null, after: b });
      }
    });
    return this.books();
  }

  private book(id: string): BookDto {
    const b = this.stmt.book.get(id) as BookDto | undefined;
    if (!b) throw new AppError('NOT_FOUND', `Không có sổ văn bản "${id}".`, `book ${id} not found`);
    return b;
  }

  // ---------------------------------------------------------------- registration

  /** Parses a record for its book's direction; the book decides which Phụ lục VI set applies. */
  parseRecord(raw: unknown): { book: BookDto; rec: IncomingRecord | OutgoingRecord } {
    const bookId = typeof raw === 'object' && raw !== null ? (raw as { book?: unknown }).book : undefined;
    if (typeof bookId !== 'string') throw invalid('Bản ghi thiếu tên sổ (book).', 'record without book');
    const book = this.book(bookId);
    const schema = book.direction === 'den' ? incomingRecordSchema : outgoingRecordSchema;
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      throw new AppError('INPUT_INVALID', 'Thông tin văn bản không hợp lệ (thiếu trường bắt buộc hoặc quá độ dài cho phép).', `record: ${issuePaths(parsed.error)}`, { fields: issuePaths(parsed.error) });
    }
    const rec = parsed.data;
    if (rec.Secrecy > 0 && book.kind !== 'secret') {
      throw invalid('Văn bản mật phải được đăng ký vào sổ văn bản mật.', `secret document into ${book.id}`);
    }
    if (book.kind === 'secret' && rec.Secrecy === 0) {
      throw invalid('Sổ văn bản mật chỉ dành cho văn bản có độ mật.', `non-secret document into ${book.id}`);
    }
    return { book, rec };
  }

  /** Phụ lục VI.1h: same mã định danh văn bản, or same số + ký hiệu + cơ quan ban hành. */
  duplicatesOf(raw: unknown): DuplicateDto[] {
    const { book, rec } = this.parseRecord(raw);
    return book.direction === 'den' ? this.findDuplicates(rec) : [];
  }

  private findDuplicates(rec: IncomingRecord | OutgoingRecord, exceptId?: number): DuplicateDto[] {
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

  /**
   * Vào sổ: văn bản đến gets its số đến, văn bản đi its số (and date when absent), in one transaction
   * with the FTS row and the audit row.
   */
  register(raw: unknown, act: ActOptions = {}): RegisterResult {
    const { book, rec } = this.parseRecord(raw);
    return this.write(() => this.insertRegistered(book, rec, act.actor ?? this.actor));
  }

  /** Tiếp nhận without vào sổ yet (status 01); `transition(id, 'register')` gives the số đến later. */
  receive(raw: unknown, act: ActOptions = {}): RegisterResult {
    const { book, rec } = this.parseRecord(raw);
    if (book.direction !== 'den') throw invalid('Chỉ văn bản đến mới được tiếp nhận.', 'receive on outgoing book');
    return this.write(() => {
      const { id } = this.insertDoc(book, rec, 'received', null, null, null);
      this.stmt.insertStatus.run(id, null, '01', this.nowIso(), null);
      this.logTransition(id, null, 'received', act.actor ?? this.actor, null);
      const document = this.getDoc(id);
      this.audit.append(this.nowIso(), { actor: act.actor ?? this.actor, action: 'document.receive', entity: 'document', entityId: id, after: compact(document) });
      return { document, duplicates: this.findDuplicates(rec, id) };
    });
  }

  /** A văn bản đi draft: no số until the "number" step. */
  draft(raw: unknown, act: ActOptions = {}): RegisterResult {
    const { book, rec } = this.parseRecord(raw);
    if (book.direction !== 'di') throw invalid('Chỉ văn bản đi mới có dự thảo.', 'draft on incoming book');
    return this.write(() => {
      const { id } = this.insertDoc(book, rec, 'drafted', null, null, null);
      this.insertRecipients(id, (rec as OutgoingRecord).To ?? []);
      this.logTransition(id, null, 'drafted', act.actor ?? this.actor, null);
      const document = this.getDoc(id);
      this.audit.append(this.nowIso(), { actor: act.actor ?? this.actor, action: 'document.draft', entity: 'document', entityId: id, after: compact(document) });
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
    let batch: Array<{ line: number; book: BookDto; rec: IncomingRecord | OutgoingRecord }> = [];
    const actor = act.actor ?? this.actor;
    const flush = () => {
      if (batch.length === 0) return;
      const items = batch;
      batch = [];
      // Optimistic pass: the whole batch in one transaction. Only when a record fails is the batch
      // redone with a SAVEPOINT per record, so one bad line (a duplicate số, a closed period) fails alone.
      const run = (isolate: boolean): ImportReport => {
        const part: ImportReport = { imported: 0, failed: [], duplicates: 0 };
        for (const it of items) {
          if (!isolate) {
            const r = this.insertRegistered(it.book, it.rec, actor);
            part.imported++;
            if (r.duplicates.length) part.duplicates++;
            continue;
          }
          try {
            const r = this.tx(() => this.insertRegistered(it.book, it.rec, actor)) as RegisterResult;
            part.imported++;
            if (r.duplicates.length) part.duplicates++;
          } catch (e) {
            const err = mapDbError(e);
            if (err.code === 'DB_ERROR') throw err;
            part.failed.push({ line: it.line, code: err.code, message: err.vi });
          }
        }
        return part;
      };
      let part: ImportReport;
      try {
        part = this.write(() => run(false));
      } catch (e) {
        if ((e as AppError).code === 'DB_ERROR') throw e;
        part = this.write(() => run(true));
      }
      report.imported += part.imported;
      report.duplicates += part.duplicates;
      report.failed.push(...part.failed);
    };
    let index = 0;
    let line = act.firstLine ?? 1;
    for (const raw of records) {
      // Line numbers in reports are the caller's (a JSONL file skips blank and unparsable lines).
      line = act.lineNumbers?.[index] ?? (act.firstLine ?? 1) + index;
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

  private insertRegistered(book: BookDto, rec: IncomingRecord | OutgoingRecord, actor: string): RegisterResult {
    const today = vnDate(this.now());
    let inserted: { id: number; row: Record<string, unknown> };
    if (book.direction === 'den') {
      const r = rec as IncomingRecord;
      const regDate = r.ArrivalDate ?? today;
      const year = yearOf(regDate);
      const number = this.allocate(book.id, year, r.ArrivalNumber);
      inserted = this.insertDoc(book, { ...r, ArrivalDate: regDate }, 'registered', year, number, regDate);
      this.stmt.insertStatus.run(inserted.id, null, '03', this.nowIso(), null);
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
    this.audit.append(this.nowIso(), { actor, action: 'document.register', entity: 'document', entityId: id, after: compact(document) });
    return { document, duplicates: book.direction === 'den' ? this.findDuplicates(rec, id) : [] };
  }

  private allocate(bookId: string, year: number, given: number | undefined): number {
    if (given === undefined) return this.numbering.next(bookId, year);
    this.numbering.claim(bookId, year, given);
    return given;
  }

  private notationFor(book: BookDto, given: string | undefined): string {
    const notation = given || book.notation;
    if (!notation) throw invalid('Thiếu ký hiệu văn bản và sổ không có ký hiệu mặc định.', `no notation for ${book.id}`);
    if (book.kind === 'copies' && !COPY_NOTATION.test(notation)) {
      throw invalid('Ký hiệu bản sao phải bắt đầu bằng SY-, SL- hoặc TrS-.', `copy notation ${notation}`);
    }
    return notation;
  }

  private insertDoc(book: BookDto, rec: IncomingRecord | OutgoingRecord, state: DocState, year: number | null, number: number | null, regDate: string | null): { id: number; row: Record<string, unknown> } {
    const at = this.nowIso();
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
    this.stmt.insertFts.run(id, ...ftsValues({ ...row, id }, ''));
    if (rec.FileCode) this.dossierBook.link(rec.FileCode, id, rec.DocOrdinal);
    // The written row comes back so a registration need not read it again.
    return { id, row: { ...row, id } };
  }

  private insertRecipients(docId: number, to: ReadonlyArray<{ OrganId?: string | undefined; OrganName: string }>): void {
    to.forEach((r, i) => this.stmt.insertRecipient.run(docId, i + 1, r.OrganId || null, r.OrganName));
  }

  private reindex(id: number): void {
    const row = this.stmt.doc.get(id)!;
    this.stmt.deleteFts.run(id);
    this.stmt.insertFts.run(id, ...ftsValues(row, this.stmt.body.get(id)?.body ?? ''));
  }

  private logTransition(id: number, from: DocState | null, to: DocState, actor: string, note: string | null): void {
    this.stmt.insertTransition.run(id, from, to, this.nowIso(), actor, note);
  }

  // ---------------------------------------------------------------- reading

  private getDoc(id: number): DocumentDto {
    const r = this.stmt.doc.get(id);
    if (!r) throw notFound('văn bản', id);
    return documentDto(r);
  }

  get(id: number): DocumentDetailDto {
    const document = this.getDoc(id);
    const recipients = (this.db.prepare('SELECT id, OrganId, OrganName, status_code AS statusCode, status_at AS statusAt FROM recipients WHERE doc_id = ? ORDER BY ord').all(id)) as RecipientDto[];
    const assignments = (this.db.prepare('SELECT id, role, unit, person, opinion, due_date AS dueDate, assigned_by AS assignedBy, assigned_at AS assignedAt FROM assignments WHERE doc_id = ? ORDER BY id').all(id)) as AssignmentDto[];
    const statusHistory = (this.db.prepare('SELECT id, recipient_id AS recipientId, code, at, note FROM status_events WHERE doc_id = ? ORDER BY id').all(id)) as StatusEventDto[];
    const transitions = (this.db.prepare('SELECT id, from_state AS "from", to_state AS "to", at, actor, note FROM transitions WHERE doc_id = ? ORDER BY id').all(id)) as TransitionDto[];
    return { document, recipients, assignments, statusHistory, transitions, attachments: this.attachments(id) };
  }

  /**
   * A register page in number order (the book as printed). Pages are cut by number, not by OFFSET:
   * numbers are gap-free, so page k starts after number (k−1)·size, found through the index at any depth.
   */
  list(q: { book: string; year: number; page?: number; pageSize?: number }): SearchPage<DocumentDto> {
    const parsed = listQuerySchema.safeParse(q);
    if (!parsed.success) throw invalid('Điều kiện xem sổ không hợp lệ.', `list: ${issuePaths(parsed.error)}`);
    const p = parsed.data;
    const rows = this.db
      .prepare('SELECT * FROM documents WHERE book_id = ? AND year = ? AND number > ? ORDER BY number LIMIT ?')
      .all(p.book, p.year, (p.page - 1) * p.pageSize, p.pageSize) as Record<string, unknown>[];
    const total = (this.db.prepare('SELECT last_number AS n FROM book_counters WHERE book_id = ? AND year = ?').get(p.book, p.year) as { n: number } | undefined)?.n ?? 0;
    return { items: rows.map(documentDto), page: p.page, pageSize: p.pageSize, total, totalCapped: false };
  }

  search(q: SearchQuery): SearchPage<DocumentDto & { score: number | null }> {
    const parsed = searchQuerySchema.safeParse(q);
    if (!parsed.success) throw invalid('Điều kiện tìm kiếm không hợp lệ.', `search: ${issuePaths(parsed.error)}`);
    const r = runSearch(this.db, parsed.data);
    // bm25 can be -0, which JSON turns into 0: normalise so both transports agree.
    return { ...r, items: r.items.map((row) => ({ ...documentDto(row), score: row.score === null ? null : row.score + 0 })) };
  }

  saveSearch(name: string, q: SearchQuery, act: ActOptions = {}): { id: number; name: string } {
    const parsedName = z.string().transform(nfc).pipe(z.string().trim().min(1).max(200)).safeParse(name);
    const parsed = searchQuerySchema.safeParse(q);
    if (!parsedName.success || !parsed.success) throw invalid('Tên hoặc điều kiện tìm kiếm không hợp lệ.', 'saved search invalid');
    return this.write(() => {
      const query = JSON.stringify(q);
      const id = Number(this.db.prepare('INSERT INTO saved_searches (name, query, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET query = excluded.query').run(parsedName.data, query, this.nowIso()).lastInsertRowid);
      this.audit.append(this.nowIso(), { actor: act.actor ?? this.actor, action: 'search.save', entity: 'saved_search', entityId: parsedName.data, after: q });
      return { id, name: parsedName.data };
    });
  }

  savedSearches(): Array<{ id: number; name: string; query: SearchQuery }> {
    return (this.db.prepare('SELECT id, name, query FROM saved_searches ORDER BY name').all() as Array<{ id: number; name: string; query: string }>).map((r) => ({ ...r, query: JSON.parse(r.query) as SearchQuery }));
  }

  runSavedSearch(name: string, page = 1): SearchPage<DocumentDto & { score: number | null }> {
    const row = this.db.prepare('SELECT query FROM saved_searches WHERE name = ?').get(name) as { query: string } | undefined;
    if (!row) throw notFound('tìm kiếm đã lưu', name);
    return this.search({ ...(JSON.parse(row.query) as SearchQuery), page });
  }

  // ---------------------------------------------------------------- workflow

  transition(id: number, action: Action, opts: TransitionOptions = {}): DocumentDetailDto {
    const { actor: actorOpt, ...rest } = opts;
    const parsed = transitionSchema.safeParse(rest);
    if (!parsed.success) throw invalid('Thông tin xử lý văn bản không hợp lệ.', `transition: ${issuePaths(parsed.error)}`);
    const o = parsed.data;
    const actor = actorOpt ?? this.actor;
    this.write(() => {
      const before = this.getDoc(id);
      const step = stepFor(before.direction, action);
      if (!step) throw invalid('Thao tác không áp dụng cho loại văn bản này.', `action ${action} on ${before.direction}`);
      if (!step.from.includes(before.state)) {
        throw new AppError('CONFLICT', `Không thể thực hiện thao tác này khi văn bản đang ở trạng thái "${before.stateVi}".`, `illegal ${action} from ${before.state}`, { state: before.state, action });
      }
      if ((action === 'return' || action === 'recall') && !o.reason) {
        throw invalid('Phải nêu lý do trả lại hoặc thu hồi văn bản.', `${action} without reason`);
      }
      const at = this.nowIso();
      const set: Record<string, string | number | null> = { state: step.to };
      switch (action) {
        case 'register': {
          const regDate = vnDate(this.now());
          const year = yearOf(regDate);
          set.year = year;
          set.number = this.numbering.next(before.book, year);
          set.reg_date = regDate;
          set.ArrivalDate = regDate;
          set.registered_at = at;
          break;
        }
        case 'assign': {
          const list = o.assignments ?? [];
          if (!list.some((a) => a.role === 'chu_tri')) throw invalid('Phải giao một đơn vị hoặc người chủ trì giải quyết.', 'assign without chu_tri');
          const ins = this.db.prepare('INSERT INTO assignments (doc_id, role, unit, person, opinion, due_date, assigned_by, assigned_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
          for (const a of list) ins.run(id, a.role, a.unit ?? null, a.person ?? null, a.opinion ?? null, a.dueDate ?? null, actor, at);
          const places = o.ToPlaces ?? list.map((a) => a.unit ?? a.person).filter(Boolean).join(', ');
          // A closed (printed and bound) entry keeps its printed ToPlaces; the assignments hold the truth.
          if (places && !this.isClosed(before)) set.ToPlaces = places;
          if (o.DueDate) set.DueDate = o.DueDate;
          set.handed_at = at;
          break;
        }
        case 'complete': set.completed_at = at; break;
        case 'sign': set.signed_at = at; break;
        case 'number': {
          const regDate = vnDate(this.now());
          const year = yearOf(regDate);
          const number = this.numbering.next(before.book, year);
          set.year = year;
          set.number = number;
          set.reg_date = regDate;
          set.IssuedDate = regDate;
          set.CodeNumber = numberText(number);
          set.CodeNotation = this.notationFor(this.book(before.book), before.CodeNotation ?? undefined);
          set.registered_at = at;
          break;
        }
        case 'issue': set.issued_at = at; break;
        case 'send': set.sent_at = at; break;
        case 'recall': set.recalled_at = at; set.recall_reason = o.reason ?? null; break;
        case 'correct': {
          if (!o.correctedBy) throw invalid('Phải chỉ rõ văn bản đính chính hoặc thay thế.', 'correct without correctedBy');
          this.getDoc(o.correctedBy);
          set.corrected_by = o.correctedBy;
          break;
        }
        default: break;
      }
      const cols = Object.keys(set);
      this.db.prepare(`UPDATE documents SET ${cols.map((c) => `${c} = @${c}`).join(', ')} WHERE id = @id`).run({ ...set, id });
      if (step.code) {
        if (before.direction === 'den') {
          this.stmt.insertStatus.run(id, null, step.code, at, o.reason ?? o.note ?? null);
        } else {
          for (const r of this.db.prepare('SELECT id FROM recipients WHERE doc_id = ?').all(id) as Array<{ id: number }>) {
            this.stmt.insertStatus.run(id, r.id, step.code, at, o.reason ?? null);
          }
        }
      }
      this.logTransition(id, before.state, step.to, actor, o.reason ?? o.note ?? null);
      this.reindex(id);
      this.audit.append(at, { actor, action: `document.${action}`, entity: 'document', entityId: id, before: { state: before.state }, after: { ...set, note: o.note ?? null, reason: o.reason ?? null, assignments: o.assignments ?? null } });
    });
    return this.get(id);
  }

  /** A recipient's status for one of our outgoing documents (sender side, exchange.md §9.3). */
  recordRecipientStatus(docId: number, recipientId: number, rawCode: string | number, opts: { at?: string; note?: string } & ActOptions = {}): RecipientDto {
    const code = normaliseStatusCode(rawCode);
    if (!code) throw invalid('Mã trạng thái không hợp lệ.', `status code ${String(rawCode).slice(0, 8)}`);
    const o = statusOptionsSchema.safeParse({ at: opts.at, note: opts.note });
    if (!o.success) throw invalid('Thời điểm hoặc ghi chú trạng thái không hợp lệ.', `status: ${issuePaths(o.error)}`);
    const at = o.data.at ?? this.nowIso();
    opts = { ...opts, ...o.data };
    return this.write(() => {
      const r = this.db.prepare('SELECT id, status_code FROM recipients WHERE id = ? AND doc_id = ?').get(recipientId, docId) as { id: number; status_code: StatusCode | null } | undefined;
      if (!r) throw notFound('nơi nhận', recipientId);
      this.stmt.insertStatus.run(docId, recipientId, code, at, opts.note ?? null);
      if (supersedes(r.status_code, code)) this.db.prepare('UPDATE recipients SET status_code = ?, status_at = ? WHERE id = ?').run(code, at, recipientId);
      this.audit.append(this.nowIso(), { actor: opts.actor ?? this.actor, action: 'recipient.status', entity: 'document', entityId: docId, before: { recipientId, code: r.status_code }, after: { recipientId, code, at } });
      return this.db.prepare('SELECT id, OrganId, OrganName, status_code AS statusCode, status_at AS statusAt FROM recipients WHERE id = ?').get(recipientId) as RecipientDto;
    });
  }

  // ---------------------------------------------------------------- deadlines and queues

  /** Open work, urgent first, then oldest first. */
  queue(q: { direction?: 'den' | 'di'; limit?: number } = {}): DocumentDto[] {
    const limit = Math.min(Math.max(q.limit ?? 100, 1), 1000);
    const states = q.direction === 'di' ? ['drafted', 'signed', 'numbered', 'issued'] : q.direction === 'den' ? [...OPEN_INCOMING] : [...OPEN_INCOMING, 'drafted', 'signed', 'numbered', 'issued'];
    const rows = this.db
      .prepare(`SELECT * FROM documents WHERE state IN (${states.map(() => '?').join(', ')}) ${q.direction ? 'AND direction = ?' : ''}
                ORDER BY Priority DESC, COALESCE(received_at, created_at), id LIMIT ?`)
      .all(...states, ...(q.direction ? [q.direction] : []), limit) as Record<string, unknown>[];
    return rows.map(documentDto);
  }

  alerts(): AlertDto[] {
    const now = this.now();
    const today = vnDate(now);
    const rows = this.db
      // Every condition is on open states, so the state index bounds the scan to open work.
      .prepare(`SELECT * FROM documents WHERE state IN (${OPEN_INCOMING.map(() => '?').join(', ')}, 'signed', 'numbered') AND (
                  (direction = 'den' AND state = 'received')
               OR (direction = 'den' AND Priority >= 1 AND state IN ('received', 'registered', 'submitted'))
               OR (direction = 'den' AND DueDate IS NOT NULL AND DueDate <= ?)
               OR (direction = 'di' AND state IN ('signed', 'numbered') AND signed_at IS NOT NULL))
               LIMIT 5000`)
      .all(...OPEN_INCOMING, today) as Record<string, unknown>[];
    return rows.flatMap((r) => alertsFor(documentDto(r), now, this.calendar)).sort(sortAlerts);
  }

  dueToday(): AlertDto[] {
    return this.alerts().filter((a) => a.kind === 'due_today');
  }

  overdue(): AlertDto[] {
    return this.alerts().filter((a) => a.overdue);
  }

  // ---------------------------------------------------------------- attachments (attachments.ts)

  /** Stores the bytes (content-addressed), links them, and indexes a PDF's text for search. */
  attach(docId: number, file: AttachInput, act: ActOptions = {}): Promise<AttachmentDto> {
    return this.attachmentStore.attach(docId, file, act);
  }

  attachments(docId: number): AttachmentDto[] {
    return this.attachmentStore.list(docId);
  }

  readAttachment(attachmentId: number): Buffer {
    return this.attachmentStore.read(attachmentId);
  }

  detach(attachmentId: number, act: ActOptions = {}): void {
    this.attachmentStore.detach(attachmentId, act);
  }

  gcBlobs(): number {
    return this.attachmentStore.gc();
  }

  // ---------------------------------------------------------------- hồ sơ (dossiers.ts)

  createDossier(raw: DossierInput, act: ActOptions = {}): { id: number; code: string } {
    return this.dossierBook.create(raw, act);
  }

  /** Puts a registered document in a hồ sơ (one document may sit in several, never copied). */
  fileDocument(fileCode: FileCode, docId: number, act: ActOptions = {}): void {
    this.dossierBook.file(fileCode, docId, act);
  }

  dossier(id: number): Record<string, unknown> {
    return this.dossierBook.get(id);
  }

  // ---------------------------------------------------------------- đóng sổ

  private isClosed(doc: DocumentDto): boolean {
    if (!doc.regDate) return false;
    return this.db.prepare('SELECT 1 FROM closures WHERE book_id = ? AND until_date >= ? AND substr(until_date, 1, 4) = substr(?, 1, 4)').get(doc.book, doc.regDate, doc.regDate) !== undefined;
  }

  /** Closes the register up to `until` (inclusive): those entries become read-only in SQL. */
  closeBook(bookId: string, until: string, act: ActOptions = {}): { book: string; until: string; entries: number } {
    const d = isoDateSchema.safeParse(until);
    if (!d.success) throw invalid('Ngày đóng sổ không hợp lệ (định dạng YYYY-MM-DD).', 'close date');
    this.book(bookId);
    if (d.data > vnDate(this.now())) throw invalid('Không thể đóng sổ cho ngày trong tương lai.', 'close in the future');
    return this.write(() => {
      this.db.prepare('INSERT INTO closures (book_id, until_date, closed_at, actor) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING').run(bookId, d.data, this.nowIso(), act.actor ?? this.actor);
      const entries = (this.db.prepare('SELECT count(*) AS n FROM documents WHERE book_id = ? AND reg_date <= ? AND substr(reg_date, 1, 4) = ?').get(bookId, d.data, d.data.slice(0, 4)) as { n: number }).n;
      this.audit.append(this.nowIso(), { actor: act.actor ?? this.actor, action: 'book.close', entity: 'book', entityId: bookId, after: { until: d.data, entries } });
      return { book: bookId, until: d.data, entries };
    });
  }

  closures(bookId?: string): Array<{ book: string; until: string; closedAt: string; actor: string }> {
    return this.db.prepare(`SELECT book_id AS book, until_date AS "until", closed_at AS closedAt, actor FROM closures ${bookId ? 'WHERE book_id = ?' : ''} ORDER BY book_id, until_date`).all(...(bookId ? [bookId] : [])) as Array<{ book: string; until: string; closedAt: string; actor: string }>;
  }

  // ---------------------------------------------------------------- printing

  /** Renders a register or report to a PDF file (rows streamed from SQLite in number order). */
  async print(raw: PrintRequest, act: ActOptions = {}): Promise<PrintResult> {
    const parsed = printRequestSchema.safeParse(raw);
    if (!parsed.success) throw invalid('Yêu cầu in sổ không hợp lệ.', `print: ${issuePaths(parsed.error)}`);
    const req = parsed.data;
    const kind: PrintKind = req.kind;
    const book = this.book(req.book ?? (kind.endsWith('di') ? 'di' : 'den'));
    const from = req.from ?? `${req.year}-01-01`;
    const to = req.to ?? `${req.year}-12-31`;
    const rows = this.db
      .prepare('SELECT * FROM documents WHERE book_id = ? AND year = ? AND number IS NOT NULL AND reg_date BETWEEN ? AND ? ORDER BY number')
      .all(book.id, req.year, from, to) as Record<string, unknown>[];
    const docs = rows.map(documentDto);
    const replies = kind === 'theo-doi' ? this.replyCodes(book.id, req.year) : new Map<number, string>();
    const recipients = book.direction === 'di' ? this.recipientNames(book.id, req.year) : new Map<number, string>();
    const { bytes, pages } = await renderRegisterPdf({
      kind, book, year: req.year, from, to, quyenSo: req.quyenSo ?? 1,
      agency: this.opts.agency, docs, replies, recipients, printedAt: this.now(), today: vnDate(this.now()),
    });
    mkdirSync(dirname(req.out), { recursive: true });
    writeFileSync(req.out, bytes);
    this.write(() => this.audit.append(this.nowIso(), { actor: act.actor ?? this.actor, action: 'book.print', entity: 'book', entityId: book.id, after: { kind, year: req.year, from, to, rows: docs.length } }));
    return { path: req.out, pages, rows: docs.length };
  }

  private recipientNames(bookId: string, year: number): Map<number, string> {
    const out = new Map<number, string>();
    const rows = this.db.prepare('SELECT r.doc_id, r.OrganName FROM recipients r JOIN documents d ON d.id = r.doc_id WHERE d.book_id = ? AND d.year = ? ORDER BY r.doc_id, r.ord').iterate(bookId, year) as Iterable<{ doc_id: number; OrganName: string }>;
    for (const r of rows) out.set(r.doc_id, out.has(r.doc_id) ? `${out.get(r.doc_id)}; ${r.OrganName}` : r.OrganName);
    return out;
  }

  /** For the Sổ theo dõi giải quyết: the completion note carries the số/ký hiệu of the answer. */
  private replyCodes(bookId: string, year: number): Map<number, string> {
    const out = new Map<number, string>();
    const rows = this.db
      .prepare("SELECT t.doc_id, t.note FROM transitions t JOIN documents d ON d.id = t.doc_id WHERE d.book_id = ? AND d.year = ? AND t.to_state = 'completed' AND t.note IS NOT NULL")
      .iterate(bookId, year) as Iterable<{ doc_id: number; note: string }>;
    for (const r of rows) {
      out.set(r.doc_id, r.note);
    }
    return out;
  }

  // ---------------------------------------------------------------- audit and safety

  auditVerify(): AuditReport {
    return auditVerify(this.db);
  }

  auditTrail(q: { entity?: string; entityId?: string | number; limit?: number } = {}): Array<Record<string, unknown>> {
    const limit = Math.min(Math.max(q.limit ?? 100, 1), 1000);
    const where: string[] = [];
    const args: unknown[] = [];
    if (q.entity) { where.push('entity = ?'); args.push(q.entity); }
    if (q.entityId !== undefined) { where.push('entity_id = ?'); args.push(String(q.entityId)); }
    return this.db.prepare(`SELECT id, at, actor, action, entity, entity_id AS entityId, before, after FROM audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`).all(...args, limit) as Array<Record<string, unknown>>;
  }

  /** Online backup (pages copied while the register keeps working), logged in the audit trail. */
  async backup(dest: string, act: ActOptions = {}): Promise<{ path: string; bytes: number }> {
    if (!pathString.safeParse(dest).success) throw invalid('Đường dẫn tệp sao lưu không hợp lệ.', 'backup path');
    this.write(() => this.audit.append(this.nowIso(), { actor: act.actor ?? this.actor, action: 'db.backup', entity: 'database', entityId: null, after: { dest: join(dest) } }));
    mkdirSync(dirname(dest), { recursive: true });
    try {
      await this.db.backup(dest);
    } catch (e) {
      throw new AppError('IO_ERROR', 'Không sao lưu được cơ sở dữ liệu.', `backup to ${dest}: ${(e as Error).message}`, undefined, { cause: e });
    }
    return { path: dest, bytes: statSync(dest).size };
  }

}

/** Audit payloads keep what was set: null, empty and derived display fields are left out. */
function compact(d: DocumentDto): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(d)) {
    if (v === null || v === false || v === '' || k === 'stateVi' || k === 'priorityVi' || k === 'secrecyVi' || k === 'code') continue;
    out[k] = v;
  }
  return out;
}

export function openRegister(dbPath: string, opts: RegisterOptions): RegisterService {
  return new RegisterService(dbPath, opts);
}
