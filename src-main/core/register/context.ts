import type { Db } from '../db/connection';
import type { AuditEvent } from './audit';
import type { DocumentDto } from './dto';

/** What the register's parts (attachments, hồ sơ) share with the service that owns the connection. */
export interface RegisterContext {
  db: Db;
  /** Runs `fn` in one BEGIN IMMEDIATE transaction (a SAVEPOINT when nested). */
  write<T>(fn: () => T): T;
  /** Appends to the audit chain; call inside `write`. */
  log(event: AuditEvent): void;
  nowIso(): string;
  actorOf(act: { actor?: string | undefined }): string;
  getDoc(id: number): DocumentDto;
  /** Rebuilds a document's FTS row after its fields or text changed. */
  reindex(id: number): void;
  isClosed(doc: DocumentDto): boolean;
}
