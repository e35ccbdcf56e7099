import { createHash } from 'node:crypto';
import { EdxmlRefused } from '../edxml/errors';
import { parseEdxml } from '../edxml/parse';
import { BUSINESS_TYPES, type DocumentPackage, type EdxmlPackage, type StatusPackage } from '../edxml/model';
import type { MessageType } from '../transport/types';
import { loadPayload, nowIso, storePayload, type SyncContext } from './context';
import { incomingRecord } from './mapping';

/**
 * The durable inbox (docs/exchange.md §3, Inbox): fetched → validated → stored (raw +
 * parsed + the register entry, one transaction) → attachments → acknowledged. An item id is stored
 * once; the same content under another id is a DUPLICATE row pointing at the first. A refused
 * package is kept raw as INVALID with its reason and acknowledged `fail`, so it never loops.
 */
export type InboxState = 'STORED' | 'RECEIVED' | 'INVALID' | 'DUPLICATE' | 'RECALLED' | 'PENDING_DECISION' | 'APPLIED' | 'ORPHAN';

export interface InboxRow {
  id: number;
  hub_doc_id: string;
  messagetype: MessageType;
  dedupe_key: string | null;
  duplicate_of: number | null;
  state: InboxState;
  document_id: string | null;
  from_organ: string | null;
  business_type: number | null;
  status_code: string | null;
  register_doc_id: number | null;
  meta: string | null;
  raw: Buffer;
  raw_sha256: string;
  reason: string | null;
  acked: number;
  received_at: string;
}

/** What a stored document keeps for the statuses it will answer with. */
export interface InboxMeta {
  code: string;
  promulgationDate: string;
  subject: string;
  attachments: number;
  /** For recalls and updates: the reason given by the sender. */
  reason?: string;
  /** For a replacement: the DocumentIds it replaces (ReplacementInfoList). */
  replaces?: string[];
}

/** A row without its package bytes: what every step reads that only needs ids and states. */
export type InboxEntry = Omit<InboxRow, 'raw'>;

/** Every column but `raw`: reading a row must not read (and hash) a package it does not use. */
const ENTRY_COLUMNS = 'id, hub_doc_id, messagetype, dedupe_key, duplicate_of, state, document_id, from_organ, business_type, status_code, register_doc_id, meta, raw_sha256, reason, acked, received_at';

export interface StoreResult {
  row: InboxEntry;
  /** True when nothing new was stored (same item or same content again). */
  duplicate: boolean;
  pkg?: EdxmlPackage;
}

function sha256(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

export function dedupeKey(pkg: EdxmlPackage): string {
  if (pkg.kind === 'status') return ['s', pkg.ResponseFor.DocumentId, pkg.From.OrganId, pkg.StatusCode, pkg.Timestamp].join('|');
  const content = createHash('sha256');
  for (const a of pkg.attachments) content.update(sha256(a.data));
  return ['d', pkg.header.DocumentId, pkg.header.From.OrganId, pkg.trace.Bussiness.BussinessDocType, content.digest('hex')].join('|');
}

/** The document a recall, update or replacement is about (docs/exchange.md §3: the SDK sample omits Bussiness/DocumentId). */
export function targetOf(pkg: DocumentPackage): string {
  return pkg.trace.Bussiness.DocumentId ?? pkg.header.ResponseFor[0]?.DocumentId ?? pkg.header.DocumentId;
}

export class Inbox {
  constructor(private readonly ctx: SyncContext) {}

  private get db() {
    return this.ctx.port.db;
  }

  byHubId(hubDocId: string): InboxEntry | undefined {
    return this.db.prepare<[string], InboxEntry>(`SELECT ${ENTRY_COLUMNS} FROM exchange_inbox WHERE hub_doc_id = ?`).get(hubDocId);
  }

  /** A row with its package bytes, wherever they are kept. */
  get(id: number): InboxRow | undefined {
    const row = this.db.prepare<[number], InboxRow>('SELECT * FROM exchange_inbox WHERE id = ?').get(id);
    return row && { ...row, raw: loadPayload(this.ctx, row.raw, row.raw_sha256) };
  }

  list(q: { state?: InboxState; messagetype?: MessageType } = {}): InboxEntry[] {
    return this.db.prepare<{ s: string | null; t: string | null }, InboxEntry>(`SELECT ${ENTRY_COLUMNS}
      FROM exchange_inbox WHERE (@s IS NULL OR state = @s) AND (@t IS NULL OR messagetype = @t) ORDER BY id`).all({ s: q.state ?? null, t: q.messagetype ?? null });
  }

  setState(id: number, state: InboxState, reason?: string): void {
    this.db.prepare('UPDATE exchange_inbox SET state = ?, reason = coalesce(?, reason) WHERE id = ?').run(state, reason ?? null, id);
  }

  markAcked(id: number): void {
    this.db.prepare('UPDATE exchange_inbox SET acked = 1 WHERE id = ?').run(id);
  }

  private insert(r: { hubDocId: string; type: MessageType; key: string | null; duplicateOf?: number; state: InboxState; pkg?: EdxmlPackage; raw: Buffer; reason?: string; meta?: InboxMeta }): InboxEntry {
    const p = r.pkg;
    // Large bytes reach the file store before the row that names them commits.
    const raw = storePayload(this.ctx, r.raw);
    const documentId = !p ? null : p.kind === 'status' ? p.ResponseFor.DocumentId : p.trace.Bussiness.BussinessDocType === BUSINESS_TYPES.NEW || p.trace.Bussiness.BussinessDocType === BUSINESS_TYPES.REPLACE ? p.header.DocumentId : targetOf(p);
    const info = this.db.prepare(`INSERT INTO exchange_inbox (hub_doc_id, messagetype, dedupe_key, duplicate_of, state, document_id, from_organ, business_type, status_code, meta, raw, raw_sha256, reason, received_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
      r.hubDocId, r.type, r.key, r.duplicateOf ?? null, r.state, documentId,
      !p ? null : p.kind === 'status' ? p.From.OrganId : p.header.From.OrganId,
      p?.kind === 'edoc' ? p.trace.Bussiness.BussinessDocType : null,
      p?.kind === 'status' ? p.StatusCode : null,
      r.meta ? JSON.stringify(r.meta) : null, raw.inline, raw.sha256, r.reason ?? null, nowIso(this.ctx),
    );
    return this.refresh(Number(info.lastInsertRowid));
  }

  /** A row read again after a change. */
  refresh(id: number): InboxEntry {
    return this.db.prepare<[number], InboxEntry>(`SELECT ${ENTRY_COLUMNS} FROM exchange_inbox WHERE id = ?`).get(id)!;
  }

  /**
   * Validates and stores one package. New documents (types 0 and 3) are received into the register in
   * the same transaction as their inbox row; everything else is stored for the engine to apply.
   */
  /** `declared`: what the hub listed it as; a package delivered by hand says what it is itself. */
  async store(hubDocId: string, declared: MessageType | undefined, raw: Buffer): Promise<StoreResult> {
    const seen = this.byHubId(hubDocId);
    if (seen) return { row: seen, duplicate: true };
    let pkg: EdxmlPackage;
    try {
      pkg = await parseEdxml(raw);
    } catch (e) {
      if (!(e instanceof EdxmlRefused)) throw e;
      const row = this.insert({ hubDocId, type: declared ?? 'edoc', key: null, state: 'INVALID', raw, reason: `${e.reason}: ${e.vi}` });
      this.ctx.evidence.append({ kind: 'inbox.invalid', hubDocId, payload: raw, detail: { reason: e.reason } });
      return { row, duplicate: false };
    }
    const type = declared ?? pkg.kind;
    const key = dedupeKey(pkg);
    const first = this.db.prepare<[string], { id: number }>("SELECT id FROM exchange_inbox WHERE dedupe_key = ? AND state <> 'DUPLICATE'").get(key);
    if (first) {
      const row = this.insert({ hubDocId, type, key, duplicateOf: first.id, state: 'DUPLICATE', pkg, raw });
      return { row, duplicate: true, pkg };
    }
    if (pkg.kind === 'status') return { row: this.insert({ hubDocId, type, key, state: 'STORED', pkg, raw }), duplicate: false, pkg };
    return { row: this.storeDocument(hubDocId, type, key, pkg, raw), duplicate: false, pkg };
  }

  private storeDocument(hubDocId: string, type: MessageType, key: string, pkg: DocumentPackage, raw: Buffer): InboxEntry {
    const h = pkg.header;
    const b = pkg.trace.Bussiness;
    const meta: InboxMeta = {
      code: `${h.Code.CodeNumber}/${h.Code.CodeNotation}`, promulgationDate: h.PromulgationInfo.PromulgationDate, subject: h.Subject, attachments: pkg.attachments.length, reason: b.BussinessDocReason,
      ...(b.BussinessDocType === BUSINESS_TYPES.REPLACE ? { replaces: b.ReplacementInfoList.map((r) => r.DocumentId) } : {}),
    };
    const fresh = b.BussinessDocType === BUSINESS_TYPES.NEW || b.BussinessDocType === BUSINESS_TYPES.REPLACE;
    return this.db.transaction(() => {
      // A recall is applied by the engine like status 13; an update waits for the clerk.
      const state = fresh || b.BussinessDocType === BUSINESS_TYPES.RECALL ? 'STORED' : 'PENDING_DECISION';
      const row = this.insert({ hubDocId, type, key, state, pkg, raw, meta });
      if (!fresh) return row;
      const regId = this.ctx.port.receive(incomingRecord(h, { book: this.ctx.config.incomingBook, now: this.ctx.now(), paper: b.Paper === 1 }));
      this.db.prepare('UPDATE exchange_inbox SET register_doc_id = ? WHERE id = ?').run(regId, row.id);
      return { ...row, register_doc_id: regId };
    })();
  }

  /** An accepted update (type 2) becomes its own received entry, like a new document; returns its register id. */
  receiveUpdate(row: InboxEntry, pkg: DocumentPackage): number {
    return this.db.transaction(() => {
      const regId = this.ctx.port.receive(incomingRecord(pkg.header, { book: this.ctx.config.incomingBook, now: this.ctx.now(), paper: pkg.trace.Bussiness.Paper === 1 }));
      this.db.prepare('UPDATE exchange_inbox SET register_doc_id = ? WHERE id = ?').run(regId, row.id);
      return regId;
    })();
  }

  /**
   * Attachments go to the register's file store after the transaction (the store is asynchronous);
   * a crash in between leaves the row STORED and this runs again, adding only what is missing.
   */
  async completeAttachments(row: InboxEntry, parsed?: DocumentPackage): Promise<void> {
    if (row.register_doc_id === null) return;
    // After a crash only the raw bytes are left; in the normal path the caller still holds the parse.
    const pkg = parsed ?? ((await parseEdxml(this.get(row.id)!.raw)) as DocumentPackage);
    const have = new Set(this.ctx.port.get(row.register_doc_id).attachments.map((a) => a.name));
    for (const a of pkg.attachments) {
      if (!have.has(a.AttachmentName)) await this.ctx.port.attach(row.register_doc_id, { name: a.AttachmentName, data: a.data, mime: a.ContentType });
    }
    this.setState(row.id, 'RECEIVED');
  }

  storedWithoutAttachments(): InboxEntry[] {
    return this.db.prepare<[], InboxEntry>(`SELECT ${ENTRY_COLUMNS} FROM exchange_inbox WHERE state = 'STORED' AND messagetype = 'edoc' AND register_doc_id IS NOT NULL`).all();
  }

  /** The received original of `documentId` from `from` (not a duplicate, not a recall package). */
  original(documentId: string, from: string): InboxEntry | undefined {
    return this.db.prepare<[string, string], InboxEntry>(`SELECT ${ENTRY_COLUMNS} FROM exchange_inbox WHERE messagetype = 'edoc' AND document_id = ? AND from_organ = ? AND business_type IN (0, 3) AND state NOT IN ('DUPLICATE', 'INVALID') ORDER BY id LIMIT 1`).get(documentId, from);
  }

  statusPackage(row: InboxRow): Promise<StatusPackage> {
    return parseEdxml(loadPayload(this.ctx, row.raw, row.raw_sha256)) as Promise<StatusPackage>;
  }
}
