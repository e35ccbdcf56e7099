import { readFileSync, statSync } from 'node:fs';
import * as z from 'zod';
import { AppError } from '../../contract/errors';
import { nfc } from '../../contract/text';
import { DEFAULT_MAX_BLOB_BYTES, type FileStore } from '../filestore/store';
import type { RegisterContext } from './context';
import type { AttachmentDto } from './dto';
import { invalid, notFound } from './errors';
import { extractPdfText } from './pdf-text';

export interface AttachInput {
  /** A file on this machine, or… */
  path?: string;
  /** …its bytes in base64 (for callers across a JSON transport), or… */
  base64?: string;
  /** …its bytes (callers in the same thread). */
  bytes?: Uint8Array;
  name: string;
  mime?: string;
  /**
   * When the PDF's text reaches the search index: `now` (default) reads it before the call answers;
   * `later` stores the file at once and queues the reading for `indexPending` (bulk reception).
   */
  text?: 'now' | 'later';
}

/** A queued text reading that fails this often is dropped (the file stays; only its words are unsearchable). */
const MAX_TEXT_TRIES = 3;

const nameSchema = z.string().transform(nfc).pipe(z.string().min(1).max(255));
const MAX_TEXT = 2_000_000;

/**
 * Attachments: the bytes in the content-addressed store, metadata and reference counts in the
 * database, PDF text in the search index. Originals are never modified.
 */
export class Attachments {
  constructor(private readonly ctx: RegisterContext, readonly files: FileStore) {}

  async attach(docId: number, file: AttachInput, act: { actor?: string } = {}): Promise<AttachmentDto> {
    const name = nameSchema.safeParse(file.name);
    if (!name.success || (!file.path && !file.base64 && !file.bytes)) throw invalid('Tệp đính kèm không hợp lệ.', 'attach input');
    this.ctx.getDoc(docId);
    const size = file.path ? statSync(file.path).size : file.bytes ? file.bytes.length : Math.floor((file.base64!.length * 3) / 4);
    if (size > DEFAULT_MAX_BLOB_BYTES) throw invalid('Tệp đính kèm quá lớn.', 'attachment too large');
    const bytes = file.path ? readFileSync(file.path) : file.bytes ? Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength) : Buffer.from(file.base64!, 'base64');
    const isPdf = bytes.subarray(0, 5).toString('latin1') === '%PDF-';
    const mime = (file.mime ?? (isPdf ? 'application/pdf' : 'application/octet-stream')).slice(0, 100);
    // Extract before the transaction: it is slow and async, and must not hold the write lock.
    const later = isPdf && file.text === 'later';
    const text = isPdf && !later ? await extractPdfText(bytes) : '';
    // The blob is on disk before any row points at it; a crash in between leaves only an unreferenced file.
    const blob = this.files.put(bytes);
    const { db } = this.ctx;
    const id = this.ctx.write(() => {
      db.prepare('INSERT INTO blobs (sha256, size, refcount) VALUES (?, ?, 1) ON CONFLICT (sha256) DO UPDATE SET refcount = refcount + 1').run(blob.sha256, blob.size);
      const attId = Number(db.prepare('INSERT INTO attachments (doc_id, sha256, name, mime, size, added_at) VALUES (?, ?, ?, ?, ?, ?)').run(docId, blob.sha256, name.data, mime, blob.size, this.ctx.nowIso()).lastInsertRowid);
      if (text) this.addText(docId, text);
      if (later) db.prepare('INSERT INTO text_queue (attachment_id, doc_id, queued_at) VALUES (?, ?, ?)').run(attId, docId, this.ctx.nowIso());
      this.ctx.log({ actor: this.ctx.actorOf(act), action: 'attachment.add', entity: 'document', entityId: docId, after: { sha256: blob.sha256, name: name.data, size: blob.size } });
      return attId;
    });
    return this.list(docId).find((a) => a.id === id)!;
  }

  private addText(docId: number, text: string): void {
    const { db } = this.ctx;
    const prev = (db.prepare('SELECT body FROM doc_text WHERE doc_id = ?').get(docId) as { body: string } | undefined)?.body ?? '';
    db.prepare('INSERT INTO doc_text (doc_id, body) VALUES (?, ?) ON CONFLICT (doc_id) DO UPDATE SET body = excluded.body').run(docId, `${prev}\n${text}`.slice(0, MAX_TEXT));
    this.ctx.reindex(docId);
  }

  /** Attachments whose text is still queued for the search index. */
  pendingText(): number {
    return (this.ctx.db.prepare('SELECT count(*) AS n FROM text_queue WHERE tries < ?').get(MAX_TEXT_TRIES) as { n: number }).n;
  }

  /**
   * Reads the text of up to `max` queued attachments into the search index, oldest first; returns how
   * many it finished. A file pdf.js refuses is retried on later calls, then left unindexed.
   */
  async indexPending(max = 10): Promise<number> {
    const { db } = this.ctx;
    const rows = db.prepare('SELECT attachment_id AS attId, doc_id AS docId FROM text_queue WHERE tries < ? ORDER BY attachment_id LIMIT ?').all(MAX_TEXT_TRIES, max) as Array<{ attId: number; docId: number }>;
    let done = 0;
    for (const { attId, docId } of rows) {
      const a = db.prepare('SELECT sha256 FROM attachments WHERE id = ?').get(attId) as { sha256: string } | undefined;
      let text = '';
      try {
        text = a ? await extractPdfText(this.files.read(a.sha256)) : '';
      } catch (e) {
        db.prepare('UPDATE text_queue SET tries = tries + 1, last_error = ? WHERE attachment_id = ?').run((e as Error).message.slice(0, 500), attId);
        continue;
      }
      this.ctx.write(() => {
        // Gone meanwhile (detached): nothing to index.
        if (a && db.prepare('SELECT 1 FROM attachments WHERE id = ?').get(attId) && text) this.addText(docId, text);
        db.prepare('DELETE FROM text_queue WHERE attachment_id = ?').run(attId);
      });
      done++;
    }
    return done;
  }

  list(docId: number): AttachmentDto[] {
    return this.ctx.db.prepare('SELECT id, doc_id AS docId, sha256, name, mime, size, added_at AS addedAt FROM attachments WHERE doc_id = ? ORDER BY id').all(docId) as AttachmentDto[];
  }

  /** The original bytes, checked against their hash. */
  read(attachmentId: number): Buffer {
    const a = this.ctx.db.prepare('SELECT sha256 FROM attachments WHERE id = ?').get(attachmentId) as { sha256: string } | undefined;
    if (!a) throw notFound('tệp đính kèm', attachmentId);
    return this.files.read(a.sha256);
  }

  /** Unlinks an attachment of an entry that is not closed; the blob goes when its count reaches zero. */
  detach(attachmentId: number, act: { actor?: string } = {}): void {
    const { db } = this.ctx;
    this.ctx.write(() => {
      const a = db.prepare('SELECT doc_id, sha256, name FROM attachments WHERE id = ?').get(attachmentId) as { doc_id: number; sha256: string; name: string } | undefined;
      if (!a) throw notFound('tệp đính kèm', attachmentId);
      if (this.ctx.isClosed(this.ctx.getDoc(a.doc_id))) throw new AppError('REGISTER_CLOSED', 'Sổ đã được đóng cho kỳ này: không thể gỡ tệp đính kèm.', 'detach from closed entry');
      db.prepare('DELETE FROM attachments WHERE id = ?').run(attachmentId);
      db.prepare('UPDATE blobs SET refcount = refcount - 1 WHERE sha256 = ?').run(a.sha256);
      this.ctx.log({ actor: this.ctx.actorOf(act), action: 'attachment.remove', entity: 'document', entityId: a.doc_id, before: { sha256: a.sha256, name: a.name } });
    });
  }

  /** Deletes blobs nobody references (after the DB says so, so a crash never loses a referenced file). */
  gc(): number {
    const { db } = this.ctx;
    const dead = this.ctx.write(() => {
      const rows = db.prepare('SELECT sha256 FROM blobs WHERE refcount = 0').all() as Array<{ sha256: string }>;
      db.prepare('DELETE FROM blobs WHERE refcount = 0').run();
      return rows;
    });
    for (const r of dead) this.files.remove(r.sha256);
    return dead.length;
  }
}
