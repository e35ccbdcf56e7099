import type { Db } from '../../db/connection';

/**
 * What the sync engine needs from the register, and nothing more. The engine never writes register
 * tables: it goes through these calls (register-port.ts binds them to the register's public API).
 * `db` is the same SQLite file, for the exchange's own tables, so an inbox row and the register entry
 * it creates commit together.
 */
export interface RegisterDoc {
  id: number;
  direction: 'den' | 'di';
  state: string;
  Secrecy: number;
  Priority: number;
  TypeName: string;
  CodeNumber: string | null;
  CodeNotation: string | null;
  IssuedDate: string | null;
  Subject: string;
  PageAmount: number | null;
  IssuedAmount: number | null;
  DueDate: string | null;
  DocumentId: string | null;
  SignerInfo: { Position: string | null; FullName: string | null } | null;
}

export interface RegisterDocDetail {
  document: RegisterDoc;
  recipients: Array<{ id: number; OrganId: string | null; OrganName: string; statusCode: string | null }>;
  statusHistory: Array<{ recipientId: number | null; code: string; at: string; note: string | null }>;
  transitions: Array<{ to: string; note: string | null }>;
  attachments: Array<{ id: number; name: string; mime: string }>;
}

export interface RegisterPort {
  readonly db: Db;
  /** Tiếp nhận (state received, status 01 in the register's history); returns the register id. */
  receive(record: Record<string, unknown>): number;
  get(id: number): RegisterDocDetail;
  transition(id: number, action: string, opts?: { reason?: string; note?: string }): void;
  attach(id: number, file: { name: string; data: Buffer; mime: string }): Promise<void>;
  readAttachment(attachmentId: number): Buffer;
  recordRecipientStatus(docId: number, recipientId: number, code: string, at: string, note?: string): void;
  /** An earlier incoming entry superseded by a later one (update or replacement), linked, with the reason (15 in its history). */
  supersede(id: number, by: number, kind: 'update' | 'replace', reason: string): void;
  /** Large package bytes in the register's content-addressed file store (durable on return); its SHA-256. */
  putBlob(bytes: Uint8Array): string;
  readBlob(sha256: string): Buffer;
}
