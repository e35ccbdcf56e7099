import { randomUUID } from 'node:crypto';
import { TransportError, type MessageType, type SentItem } from '../transport/types';
import { backoffMs, loadPayload, nowIso, storePayload, type SyncContext } from './context';

/**
 * The durable outbox (docs/exchange.md §3): one row per transmission, sent once per attempt (the
 * transport never retries), urgent first. A failure before upload waits with backoff; an ambiguous
 * one is reconciled against the hub's sent list before anything is sent again; a FAIL code stops with
 * the clerk's reason. Evidence is written before each attempt: if it cannot be written, nothing goes.
 */
export type OutboxState = 'QUEUED' | 'SENDING' | 'RETRY_WAIT' | 'NEEDS_RECONCILE' | 'SENT' | 'FAILED_PERMANENT';

export interface OutboxRow {
  id: number;
  message_uuid: string;
  messagetype: MessageType;
  register_doc_id: number | null;
  document_id: string;
  business_type: number | null;
  status_code: string | null;
  recipients: string;
  priority: number;
  package: Buffer;
  package_sha256: string;
  state: OutboxState;
  attempts: number;
  next_at: number;
  hub_doc_id: string | null;
  hub_ack_at: string | null;
  hub_code: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

export interface EnqueueInput {
  messagetype: MessageType;
  registerDocId: number | null;
  documentId: string;
  businessType?: number;
  statusCode?: string;
  recipients: string[];
  priority: number;
  pkg: Buffer;
}

/** Vietnamese reasons for the hub's FAIL codes (docs/exchange.md §2). */
const HUB_CODE_VI: Record<string, string> = {
  '10': 'Trục liên thông báo tệp gửi không hợp lệ.',
  '15': 'Sai mã hệ thống hoặc khóa bí mật kết nối trục liên thông.',
  '18': 'Cơ quan nhận không tồn tại trên trục liên thông (mã có thể đã đổi).',
  '19': 'Cơ quan gửi chưa được đăng ký trên trục liên thông.',
  '20': 'Trục liên thông gặp lỗi nội bộ.',
  '21': 'Trục liên thông không xử lý được tệp.',
  '22': 'Gói tin không đúng chuẩn edXML.',
  '23': 'Cơ quan nhận đang bị khóa trên trục liên thông.',
};

export function reasonVi(code: string | null, fallback: string | null): string {
  if (code && HUB_CODE_VI[code]) return HUB_CODE_VI[code];
  if (fallback) return 'Không kết nối được trục liên thông; sẽ tự thử lại.';
  return '';
}

export class Outbox {
  constructor(private readonly ctx: SyncContext) {}

  private get db() {
    return this.ctx.port.db;
  }

  /** Null when the same workflow status was already queued for this document and addressee. */
  enqueue(e: EnqueueInput): number | null {
    const at = nowIso(this.ctx);
    const pkg = storePayload(this.ctx, e.pkg);
    const r = this.db.prepare(`INSERT OR IGNORE INTO exchange_outbox (message_uuid, messagetype, register_doc_id, document_id, business_type, status_code, recipients, priority, package, package_sha256, state, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'QUEUED', ?, ?)`)
      .run(randomUUID(), e.messagetype, e.registerDocId, e.documentId, e.businessType ?? null, e.statusCode ?? null, JSON.stringify(e.recipients), e.priority, pkg.inline, pkg.sha256, at, at);
    return r.changes ? Number(r.lastInsertRowid) : null;
  }

  hasStatus(documentId: string, code: string, recipients: string[]): boolean {
    return !!this.db.prepare("SELECT 1 FROM exchange_outbox WHERE messagetype = 'status' AND document_id = ? AND status_code = ? AND recipients = ?").get(documentId, code, JSON.stringify(recipients));
  }

  get(id: number): OutboxRow | undefined {
    const row = this.db.prepare<[number], OutboxRow>('SELECT * FROM exchange_outbox WHERE id = ?').get(id);
    return row && { ...row, package: loadPayload(this.ctx, row.package, row.package_sha256) };
  }

  /** Without the package bytes (listing a large queue must not load every package). */
  list(q: { registerDocId?: number; documentId?: string } = {}): Array<Omit<OutboxRow, 'package'>> {
    return this.db.prepare<{ r: number | null; d: string | null }, Omit<OutboxRow, 'package'>>('SELECT id, message_uuid, messagetype, register_doc_id, document_id, business_type, status_code, recipients, priority, package_sha256, state, attempts, next_at, hub_doc_id, hub_ack_at, hub_code, last_error, created_at, updated_at FROM exchange_outbox WHERE (@r IS NULL OR register_doc_id = @r) AND (@d IS NULL OR document_id = @d) ORDER BY id').all({ r: q.registerDocId ?? null, d: q.documentId ?? null });
  }

  counts(): Record<OutboxState, number> {
    const out = { QUEUED: 0, SENDING: 0, RETRY_WAIT: 0, NEEDS_RECONCILE: 0, SENT: 0, FAILED_PERMANENT: 0 };
    for (const r of this.db.prepare<[], { state: OutboxState; n: number }>('SELECT state, count(*) AS n FROM exchange_outbox GROUP BY state').all()) out[r.state] = r.n;
    return out;
  }

  /** Gửi lại: a permanently failed row goes back to the queue (the clerk fixed the cause). */
  retry(id: number): boolean {
    return this.db.prepare("UPDATE exchange_outbox SET state = 'QUEUED', attempts = 0, next_at = 0, hub_code = NULL, last_error = NULL, updated_at = ? WHERE id = ? AND state = 'FAILED_PERMANENT'").run(nowIso(this.ctx), id).changes > 0;
  }

  /** A row left SENDING by a crash is ambiguous: the upload may have happened. */
  recoverInterrupted(): number {
    return this.db.prepare("UPDATE exchange_outbox SET state = 'NEEDS_RECONCILE', updated_at = ? WHERE state = 'SENDING'").run(nowIso(this.ctx)).changes;
  }

  private set(id: number, fields: Partial<Pick<OutboxRow, 'state' | 'attempts' | 'next_at' | 'hub_doc_id' | 'hub_ack_at' | 'hub_code' | 'last_error'>>): void {
    const cols = Object.keys(fields);
    this.db.prepare(`UPDATE exchange_outbox SET ${cols.map((c) => `${c} = @${c}`).join(', ')}, updated_at = @updated_at WHERE id = @id`).run({ ...fields, updated_at: nowIso(this.ctx), id });
  }

  async reconcile(): Promise<number> {
    const rows = this.db.prepare<[], OutboxRow>("SELECT * FROM exchange_outbox WHERE state = 'NEEDS_RECONCILE' ORDER BY id").all();
    const lists = new Map<MessageType, SentItem[]>();
    let n = 0;
    for (const row of rows) {
      if (!lists.has(row.messagetype)) lists.set(row.messagetype, await this.ctx.transport.listSent(row.messagetype));
      const found = lists.get(row.messagetype)!.find((i) => (i.hashFile ? i.hashFile === row.package_sha256 : i.documentId === row.document_id && (row.messagetype === 'edoc' || i.title === row.status_code)));
      this.ctx.evidence.append({ kind: 'reconcile', messageUuid: row.message_uuid, hubDocId: found?.senderDocId, documentId: row.document_id, detail: { found: !!found } });
      if (found) this.markSent(row, found.senderDocId);
      else this.set(row.id, { state: 'QUEUED', next_at: 0 });
      n++;
      this.ctx.emit({ type: 'progress', phase: 'reconcile', done: n, total: rows.length });
    }
    return n;
  }

  private markSent(row: OutboxRow, hubDocId: string): void {
    this.db.transaction(() => {
      this.set(row.id, { state: 'SENT', hub_doc_id: hubDocId, hub_ack_at: nowIso(this.ctx), last_error: null, hub_code: null });
      this.ctx.evidence.append({ kind: 'send.acknowledged', messageUuid: row.message_uuid, hubDocId, documentId: row.document_id });
    })();
    // "Đã gửi" in the register only now, after the hub's acknowledgement (Điều 6.1).
    if (row.messagetype === 'edoc' && row.business_type === 0 && row.register_doc_id !== null) {
      const doc = this.ctx.port.get(row.register_doc_id).document;
      if (doc.state === 'issued') this.ctx.port.transition(row.register_doc_id, 'send', { note: `Gửi qua trục liên thông, mã ${hubDocId}` });
    }
  }

  /** Sends every due row, urgent first; stops at the first evidence failure. */
  async sendDue(): Promise<{ sent: number; failed: number; waiting: number }> {
    const nowMs = this.ctx.now().getTime();
    // Ids first, each package loaded when its turn comes: memory stays one package whatever the queue.
    const ids = this.db.prepare<[number], { id: number }>("SELECT id FROM exchange_outbox WHERE state IN ('QUEUED', 'RETRY_WAIT') AND next_at <= ? ORDER BY priority DESC, id").all(nowMs);
    const out = { sent: 0, failed: 0, waiting: 0 };
    let done = 0;
    for (const { id } of ids) {
      const row = this.get(id)!;
      this.db.transaction(() => {
        this.ctx.evidence.append({ kind: 'send.attempt', messageUuid: row.message_uuid, documentId: row.document_id, payload: row.package, detail: { messagetype: row.messagetype, attempt: row.attempts + 1, recipients: JSON.parse(row.recipients) as unknown } });
        this.set(row.id, { state: 'SENDING', attempts: row.attempts + 1 });
      })();
      try {
        const { docId } = await this.ctx.transport.send(row.package, row.messagetype, []);
        this.markSent(row, docId);
        out.sent++;
      } catch (e) {
        if (!(e instanceof TransportError)) throw e;
        const attempts = row.attempts + 1;
        if (e.kind === 'ambiguous') this.set(row.id, { state: 'NEEDS_RECONCILE', last_error: e.message });
        else if (e.kind === 'permanent' || attempts >= this.ctx.config.maxSendAttempts) {
          this.set(row.id, { state: 'FAILED_PERMANENT', hub_code: e.hubCode ?? null, last_error: e.message });
          out.failed++;
        } else {
          this.set(row.id, { state: 'RETRY_WAIT', next_at: this.ctx.now().getTime() + backoffMs(this.ctx.config, attempts, this.ctx.random), last_error: e.message });
          out.waiting++;
        }
      }
      this.ctx.emit({ type: 'progress', phase: 'send', done: ++done, total: ids.length });
    }
    return out;
  }
}
