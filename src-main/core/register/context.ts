import type { Db } from '../db/connection';
import type { AuditEvent } from './audit';
import type { WorkingCalendar } from './calendar';
import type { BookDto, DocumentDto } from './dto';

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

export interface ActOptions {
  actor?: string;
}

/**
 * What the register's job modules (registration, handling, reading, closures, audit, backup,
 * attachments, hồ sơ) share: one connection, one clock, one transaction wrapper that appends to the
 * audit chain. Built once by `openRegister` (open.ts).
 */
export interface RegisterContext {
  db: Db;
  dbPath: string;
  agency: AgencyInfo;
  calendar: WorkingCalendar;
  /** Runs `fn` in one BEGIN IMMEDIATE transaction; SQLite errors become AppErrors. */
  write<T>(fn: () => T): T;
  /** A SAVEPOINT inside the caller's transaction (one failed record of a batch rolls back alone). */
  savepoint<T>(fn: () => T): T;
  /** Appends to the audit chain, with the state of every row written since the last entry; call inside `write`. */
  log(event: AuditEvent): void;
  now(): Date;
  nowIso(): string;
  actorOf(act: ActOptions): string;
  getDoc(id: number): DocumentDto;
  book(id: string): BookDto;
  /** Rebuilds a document's FTS row after its fields or text changed. */
  reindex(id: number): void;
  isClosed(doc: DocumentDto): boolean;
}
