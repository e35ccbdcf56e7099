import { AppError } from '../../../contract/errors';
import { isoVietnam } from '../../../contract/time';
import { buildDocument, buildStatus } from '../edxml/build';
import { BUSINESS_TYPES, type Attachment, type DocumentPackage, type Organization, type StatusPackage } from '../edxml/model';
import { parseEdxml } from '../edxml/parse';
import { edxmlTimestamp, instantOfEdxmlTimestamp } from '../edxml/time';
import { EvidenceLog } from '../evidence';
import { TransportError, type ExchangeTransport } from '../transport/types';
import { backoffMs, DEFAULT_SYNC_CONFIG, nowIso, type SyncConfig, type SyncContext, type SyncEvent } from './context';
import { Inbox, type InboxEntry, type InboxMeta, type InboxRow, type StoreResult } from './inbox';
import { outgoingPackage } from './mapping';
import { Outbox, reasonVi } from './outbox';
import type { RegisterPort } from './port';

/**
 * The sync engine (docs/exchange.md §3–§4): a plain module driven by a clock and a transport. One
 * `syncOnce` reconciles ambiguous sends, sends what is due (urgent first), pulls documents and
 * statuses, applies statuses and recalls (orphans wait for their document), and queues the statuses
 * the register's workflow calls for. Everything it decides is in the register database, so a crash at
 * any point resumes without loss or duplication.
 */
export interface SyncDeps {
  port: RegisterPort;
  transport: ExchangeTransport;
  self: Organization;
  config?: Partial<SyncConfig>;
  now?: () => Date;
  random?: () => number;
  onEvent?: (e: SyncEvent) => void;
}

export interface SyncReport {
  sent: number;
  sendFailed: number;
  received: number;
  duplicates: number;
  invalid: number;
  statusesApplied: number;
  orphans: number;
  error: string | null;
}

/** Statuses the recipient reports from the register's history (§3); 13 is the sender's. */
const OUT_CODES = new Set(['01', '02', '03', '04', '05', '06', '15']);
const DESCRIPTION_VI: Record<string, string> = {
  '01': 'Văn thư: đã nhận văn bản điện tử',
  '02': 'Văn thư: trả lại văn bản',
  '03': 'Văn thư: tiếp nhận, vào sổ văn bản đến',
  '04': 'Lãnh đạo: phân công xử lý',
  '05': 'Đơn vị: đang xử lý',
  '06': 'Đơn vị: hoàn thành xử lý',
  '15': 'Đồng ý yêu cầu thu hồi / cập nhật',
  '16': 'Từ chối yêu cầu thu hồi / cập nhật',
  '13': 'Văn thư: đề nghị lấy lại văn bản',
};

export class SyncEngine {
  readonly ctx: SyncContext;
  readonly outbox: Outbox;
  readonly inbox: Inbox;
  readonly evidence: EvidenceLog;
  private failures = 0;

  constructor(deps: SyncDeps) {
    const now = deps.now ?? (() => new Date());
    this.evidence = new EvidenceLog(deps.port.db, () => nowIso(this.ctx));
    this.ctx = {
      port: deps.port,
      transport: deps.transport,
      evidence: this.evidence,
      self: deps.self,
      config: { ...DEFAULT_SYNC_CONFIG, ...deps.config },
      now,
      random: deps.random ?? Math.random,
      emit: deps.onEvent ?? (() => {}),
    };
    this.outbox = new Outbox(this.ctx);
    this.inbox = new Inbox(this.ctx);
    deps.transport.onCall = (r) => this.evidence.append({ kind: `call${r.call}`, hubDocId: (r.response?.DocId as string | undefined) ?? null, detail: { headers: r.headers, response: r.response, error: r.error } });
    this.outbox.recoverInterrupted();
  }

  private get db() {
    return this.ctx.port.db;
  }

  // ------------------------------------------------------------------ sending

  /** Queues a văn bản đi for its recipients. Documents with độ mật never enter the outbox (Điều 1.2). */
  queueDocument(registerDocId: number, to: Organization[]): number {
    const detail = this.ctx.port.get(registerDocId);
    const doc = detail.document;
    if (doc.Secrecy > 0) throw new AppError('CONFLICT', 'Văn bản mật không được gửi qua trục liên thông.', `document ${registerDocId} has secrecy ${doc.Secrecy}`);
    if (doc.direction !== 'di' || !['issued', 'sent'].includes(doc.state)) throw new AppError('CONFLICT', 'Chỉ gửi được văn bản đi đã phát hành.', `document ${registerDocId} is ${doc.direction}/${doc.state}`);
    if (to.length === 0) throw new AppError('INPUT_INVALID', 'Chưa chọn cơ quan nhận.', 'no recipients');
    const attachments: Attachment[] = detail.attachments.map((a, i) => ({ ContentId: `att${i + 1}`, AttachmentName: a.name, ContentType: a.mime, data: this.ctx.port.readAttachment(a.id) }));
    const pkg = outgoingPackage({ doc, self: this.ctx.self, to, attachments, now: this.ctx.now() });
    const id = this.outbox.enqueue({ messagetype: 'edoc', registerDocId, documentId: pkg.header.DocumentId, businessType: 0, recipients: to.map((t) => t.OrganId), priority: doc.Priority, pkg: buildDocument(pkg) });
    return id!;
  }

  /** Thu hồi: status 13 and/or a type-1 package to every recipient the document reached. */
  async recall(registerDocId: number, reason: string): Promise<number[]> {
    if (!reason.trim()) throw new AppError('INPUT_INVALID', 'Cần nêu lý do thu hồi.', 'recall without reason');
    const sent = this.outbox.list({ registerDocId }).filter((r) => r.messagetype === 'edoc' && r.business_type === 0 && r.state === 'SENT');
    if (sent.length === 0) throw new AppError('CONFLICT', 'Văn bản chưa được trục liên thông xác nhận đã gửi nên không thể thu hồi qua trục.', `no sent package for ${registerDocId}`);
    const ids: number[] = [];
    const doc = this.ctx.port.get(registerDocId).document;
    for (const row of sent) {
      const to = JSON.parse(row.recipients) as string[];
      const meta: InboxMeta = { code: `${doc.CodeNumber ?? ''}/${doc.CodeNotation ?? ''}`, promulgationDate: (doc.IssuedDate ?? '').replace(/-/g, '/'), subject: doc.Subject, attachments: 0 };
      for (const organ of to) {
        if (this.ctx.config.recallChannel !== 'package') {
          const id = this.queueStatus(row.document_id, organ, meta, '13', reason, registerDocId);
          if (id) ids.push(id);
        }
      }
      if (this.ctx.config.recallChannel !== 'status13') {
        const original = (await parseEdxml(this.outbox.get(row.id)!.package)) as DocumentPackage;
        const pkg: DocumentPackage = {
          ...original,
          header: { ...original.header, ResponseFor: [{ OrganId: original.header.To[0]!.OrganId, Code: meta.code, PromulgationDate: original.header.PromulgationInfo.PromulgationDate, DocumentId: row.document_id }] },
          trace: { TraceHeader: [{ OrganId: this.ctx.self.OrganId, Timestamp: edxmlTimestamp(this.ctx.now()) }], Bussiness: { DocumentId: row.document_id, BussinessDocType: BUSINESS_TYPES.RECALL, BussinessDocReason: reason.slice(0, 500), Paper: 0, ReplacementInfoList: [], StaffInfo: [] } },
          attachments: [],
        };
        const id = this.outbox.enqueue({ messagetype: 'edoc', registerDocId, documentId: row.document_id, businessType: BUSINESS_TYPES.RECALL, recipients: to, priority: doc.Priority, pkg: buildDocument(pkg) });
        if (id) ids.push(id);
      }
    }
    return ids;
  }

  private queueStatus(documentId: string, to: string, meta: InboxMeta, code: string, description: string | undefined, registerDocId: number | null, at?: Date): number | null {
    if (this.outbox.hasStatus(documentId, code, [to])) return null;
    const pkg: StatusPackage = {
      kind: 'status',
      From: this.ctx.self,
      ResponseFor: { OrganId: to, Code: meta.code, PromulgationDate: meta.promulgationDate, DocumentId: documentId },
      StatusCode: code,
      Description: (description ?? DESCRIPTION_VI[code] ?? '').slice(0, 2000),
      Timestamp: edxmlTimestamp(at ?? this.ctx.now()),
    };
    return this.outbox.enqueue({ messagetype: 'status', registerDocId, documentId, statusCode: code, recipients: [to], priority: 0, pkg: buildStatus(pkg) });
  }

  // ------------------------------------------------------------------ receiving

  /** Stores one package (from the hub or by hand) and applies it; the caller acknowledges. */
  async accept(hubDocId: string, type: 'edoc' | 'status' | undefined, raw: Buffer): Promise<StoreResult> {
    const r = await this.inbox.store(hubDocId, type, raw);
    if (r.duplicate || r.row.state === 'INVALID') return r;
    if (r.row.messagetype === 'edoc' && r.row.state === 'STORED' && r.row.register_doc_id !== null) {
      await this.inbox.completeAttachments(r.row, r.pkg?.kind === 'edoc' ? r.pkg : undefined);
      this.ctx.emit({ type: 'arrived', inboxId: r.row.id, registerDocId: r.row.register_doc_id!, subject: (JSON.parse(r.row.meta ?? '{}') as InboxMeta).subject ?? '', from: r.row.from_organ ?? '' });
    }
    await this.applyPending();
    return { ...r, row: this.inbox.refresh(r.row.id) };
  }

  /**
   * One failed item does not stop the others: it stays unacknowledged and comes back next time. The
   * next item's download runs while this one is stored and acknowledged (at most one package ahead),
   * so the network wait overlaps the work instead of adding to it.
   */
  private async pull(type: 'edoc' | 'status', report: SyncReport): Promise<void> {
    const items = await this.ctx.transport.listReceived(type);
    // Each item is looked up once, when its download would start; one the hub lists twice is found
    // among those this loop already stored.
    const stored = new Map<string, Pick<InboxEntry, 'id' | 'state'>>();
    const download = (i: number): { known?: Pick<InboxEntry, 'id' | 'state'>; fetching?: Promise<Buffer> } => {
      const item = items[i];
      if (!item) return {};
      const known = this.inbox.byHubId(item.docId);
      if (known) return { known };
      const p = this.ctx.transport.fetch(item.docId);
      // Awaited in its turn; a failure then is handled there, never left unhandled meanwhile.
      p.catch(() => undefined);
      return { fetching: p };
    };
    let ahead = download(0);
    let done = 0;
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      const { known, fetching } = ahead;
      ahead = download(i + 1);
      try {
        const row = stored.get(item.docId) ?? known ?? (await this.storeFetched(item.docId, type, await fetching!, report));
        stored.set(item.docId, row);
        await this.ctx.transport.ack(item.docId, row.state === 'INVALID' ? 'fail' : 'done');
        this.inbox.markAcked(row.id);
      } catch (e) {
        if (!(e instanceof TransportError)) throw e;
        report.error ??= e.message;
      }
      this.ctx.emit({ type: 'progress', phase: 'receive', done: ++done, total: items.length });
    }
  }

  private async storeFetched(docId: string, type: 'edoc' | 'status', raw: Buffer, report: SyncReport): Promise<InboxEntry> {
    this.evidence.append({ kind: 'fetched', hubDocId: docId, payload: raw, detail: { messagetype: type } });
    const r = await this.accept(docId, type, raw);
    if (r.row.state === 'INVALID') report.invalid++;
    else if (r.duplicate) report.duplicates++;
    else report.received++;
    return r.row;
  }

  /** Applies stored statuses and recalls, and retries orphans (their document may have arrived). */
  async applyPending(): Promise<{ applied: number; orphans: number }> {
    const rows = this.db.prepare<[], InboxRow>("SELECT * FROM exchange_inbox WHERE state IN ('STORED', 'ORPHAN') AND (messagetype = 'status' OR business_type = 1) ORDER BY id").all();
    let applied = 0;
    for (const row of rows) {
      const state = row.messagetype === 'edoc' || row.status_code === '13' ? await this.applyRecall(row) : await this.applySenderStatus(row);
      if (state !== row.state) this.inbox.setState(row.id, state);
      if (state === 'APPLIED') applied++;
    }
    applied += this.applyReplacements();
    const orphans = (this.db.prepare("SELECT count(*) AS n FROM exchange_inbox WHERE state = 'ORPHAN'").get() as { n: number }).n;
    return { applied, orphans };
  }

  /**
   * A replacement (type 3) is registered as a new document on arrival; each document it replaces is
   * linked to it and marked replaced when that one is in the register (it may arrive later: checked
   * again on every cycle). Status 15 then goes back for the replaced document from its history.
   */
  private applyReplacements(): number {
    const rows = this.db.prepare<[], Pick<InboxRow, 'id' | 'from_organ' | 'register_doc_id' | 'meta'>>("SELECT id, from_organ, register_doc_id, meta FROM exchange_inbox WHERE messagetype = 'edoc' AND business_type = 3 AND state = 'RECEIVED' AND register_doc_id IS NOT NULL ORDER BY id").all();
    let n = 0;
    for (const row of rows) {
      const meta = JSON.parse(row.meta ?? '{}') as InboxMeta;
      for (const replaced of meta.replaces ?? []) {
        const target = this.inbox.original(replaced, row.from_organ ?? '');
        if (!target || target.register_doc_id === null || target.register_doc_id === row.register_doc_id) continue;
        const doc = this.ctx.port.get(target.register_doc_id).document;
        if (doc.state === 'corrected' || doc.state === 'recalled' || doc.state === 'returned' || doc.state === 'cancelled') continue;
        this.ctx.port.supersede(target.register_doc_id, row.register_doc_id!, 'replace', meta.reason || 'Cơ quan gửi thay thế văn bản');
        n++;
      }
    }
    return n;
  }

  /** A recall (status 13 or type 1) before registration ends the document RECALLED (→ 15, never 03). */
  private async applyRecall(row: InboxRow): Promise<'APPLIED' | 'ORPHAN' | 'PENDING_DECISION'> {
    const target = this.inbox.original(row.document_id ?? '', row.from_organ ?? '');
    if (!target || target.register_doc_id === null) return 'ORPHAN';
    const doc = this.ctx.port.get(target.register_doc_id).document;
    if (doc.state === 'recalled') return 'APPLIED';
    if (doc.state !== 'received') return 'PENDING_DECISION';
    const reason = row.messagetype === 'status' ? (await this.inbox.statusPackage(row)).Description : (JSON.parse(row.meta ?? '{}') as InboxMeta).reason;
    this.ctx.port.transition(target.register_doc_id, 'recall', { reason: reason || 'Cơ quan gửi thu hồi văn bản' });
    this.inbox.setState(target.id, 'RECALLED');
    return 'APPLIED';
  }

  private async applySenderStatus(row: InboxRow): Promise<'APPLIED' | 'ORPHAN'> {
    const sent = this.db.prepare<[string], { register_doc_id: number | null; recipients: string }>("SELECT register_doc_id, recipients FROM exchange_outbox WHERE messagetype = 'edoc' AND business_type = 0 AND state = 'SENT' AND document_id = ? ORDER BY id").all(row.document_id ?? '');
    const match = sent.find((s) => (JSON.parse(s.recipients) as string[]).includes(row.from_organ ?? ''));
    if (!match) return 'ORPHAN';
    const pkg = await this.inbox.statusPackage(row);
    if (match.register_doc_id !== null) {
      const r = this.ctx.port.get(match.register_doc_id).recipients.find((x) => x.OrganId === row.from_organ);
      if (r && /^(0[1-6]|1[356])$/.test(pkg.StatusCode)) this.ctx.port.recordRecipientStatus(match.register_doc_id, r.id, pkg.StatusCode, isoVietnam(instantOfEdxmlTimestamp(pkg.Timestamp)), pkg.Description);
    }
    this.ctx.emit({ type: 'statusChanged', documentId: row.document_id ?? '', organId: row.from_organ ?? '', code: pkg.StatusCode, registerDocId: match.register_doc_id });
    return 'APPLIED';
  }

  /**
   * The clerk's answer to a recall or update that came after registration: 15 or 16 (+ reason). An
   * accepted update becomes its own received entry, and the earlier one is marked corrected by it.
   */
  async answerChange(inboxId: number, accept: boolean, reason?: string): Promise<void> {
    const row = this.inbox.get(inboxId);
    if (!row || row.state !== 'PENDING_DECISION') throw new AppError('CONFLICT', 'Yêu cầu này không chờ quyết định.', `inbox ${inboxId} is not pending`);
    if (!accept && !reason?.trim()) throw new AppError('INPUT_INVALID', 'Cần nêu lý do từ chối.', '16 without reason');
    const target = this.inbox.original(row.document_id ?? '', row.from_organ ?? '');
    const isRecall = row.status_code === '13' || row.business_type === 1;
    if (accept && isRecall && target?.register_doc_id) {
      this.ctx.port.transition(target.register_doc_id, 'recall', { reason: reason || 'Đồng ý thu hồi theo đề nghị của cơ quan gửi' });
      this.inbox.setState(target.id, 'RECALLED');
    } else if (accept && row.business_type === BUSINESS_TYPES.UPDATE && target?.register_doc_id) {
      const pkg = (await parseEdxml(row.raw)) as DocumentPackage;
      const later = row.register_doc_id ?? this.inbox.receiveUpdate(row, pkg);
      await this.inbox.completeAttachments({ ...row, register_doc_id: later }, pkg);
      this.ctx.port.supersede(target.register_doc_id, later, 'update', reason || (JSON.parse(row.meta ?? '{}') as InboxMeta).reason || 'Cơ quan gửi cập nhật văn bản');
    } else {
      const meta = (JSON.parse(target?.meta ?? row.meta ?? '{}') as InboxMeta);
      this.queueStatus(row.document_id ?? '', row.from_organ ?? '', meta, accept ? '15' : '16', reason, target?.register_doc_id ?? null);
    }
    this.inbox.setState(row.id, 'APPLIED');
  }

  /** Statuses out by themselves: every code in a received document's register history, once. */
  queueWorkflowStatuses(): number {
    const rows = this.db.prepare<[], Omit<InboxRow, 'raw'>>("SELECT id, document_id, from_organ, register_doc_id, meta FROM exchange_inbox WHERE messagetype = 'edoc' AND register_doc_id IS NOT NULL AND state IN ('RECEIVED', 'RECALLED') ORDER BY id").all();
    let n = 0;
    for (const row of rows) {
      const detail = this.ctx.port.get(row.register_doc_id!);
      const meta = JSON.parse(row.meta ?? '{}') as InboxMeta;
      for (const ev of detail.statusHistory) {
        if (ev.recipientId !== null || !OUT_CODES.has(ev.code)) continue;
        const note = ev.code === '02' ? (ev.note ?? detail.transitions.findLast((t) => t.to === 'returned')?.note ?? 'Trả lại văn bản') : (ev.note ?? undefined);
        if (this.queueStatus(row.document_id!, row.from_organ!, meta, ev.code, note, row.register_doc_id, new Date(ev.at)) !== null) n++;
      }
    }
    return n;
  }

  // ------------------------------------------------------------------ the cycle

  async syncOnce(): Promise<SyncReport> {
    const report: SyncReport = { sent: 0, sendFailed: 0, received: 0, duplicates: 0, invalid: 0, statusesApplied: 0, orphans: 0, error: null };
    // Each phase runs even when an earlier one met a network error: a 5xx on one call loses nothing.
    const phase = async (fn: () => Promise<unknown>) => {
      try {
        await fn();
      } catch (e) {
        if (!(e instanceof TransportError)) throw e;
        report.error ??= e.message;
        this.setState('last_failure_vi', reasonVi(e.hubCode ?? null, e.message));
      }
    };
    for (const row of this.inbox.storedWithoutAttachments()) await this.inbox.completeAttachments(row);
    await phase(() => this.outbox.reconcile());
    await phase(async () => this.add(report, await this.outbox.sendDue()));
    await phase(() => this.pull('edoc', report));
    await phase(() => this.pull('status', report));
    const a = await this.applyPending();
    report.statusesApplied = a.applied;
    report.orphans = a.orphans;
    this.queueWorkflowStatuses();
    await phase(async () => this.add(report, await this.outbox.sendDue()));
    if (report.error) {
      this.failures++;
      this.setState('last_failure_at', nowIso(this.ctx));
    } else {
      this.failures = 0;
      this.setState('last_success_at', nowIso(this.ctx));
    }
    return report;
  }

  private add(report: SyncReport, r: { sent: number; failed: number }): void {
    report.sent += r.sent;
    report.sendFailed += r.failed;
  }

  /** Next poll: the configured interval, stretched with backoff after consecutive failures (§3). */
  nextPollMs(): number {
    return this.failures === 0 ? this.ctx.config.pollMs : Math.max(this.ctx.config.pollMs, backoffMs(this.ctx.config, this.failures, this.ctx.random));
  }

  private setState(key: string, value: string): void {
    this.db.prepare('INSERT INTO exchange_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  /** The sync indicator's facts: queue sizes, last success, last failure in Vietnamese, evidence health. */
  summary(): SyncSummary {
    const st = Object.fromEntries(this.db.prepare<[], { key: string; value: string }>('SELECT key, value FROM exchange_state').all().map((r) => [r.key, r.value]));
    const inbox: Record<string, number> = {};
    for (const r of this.db.prepare<[], { state: string; n: number }>('SELECT state, count(*) AS n FROM exchange_inbox GROUP BY state').all()) inbox[r.state] = r.n;
    const ev = this.evidence.verify();
    return {
      outbox: this.outbox.counts(),
      inbox,
      lastSuccessAt: st.last_success_at ?? null,
      lastFailureAt: st.last_failure_at ?? null,
      lastFailureVi: st.last_failure_vi ?? null,
      evidence: { records: ev.records, ok: ev.ok, problems: ev.problems.length },
    };
  }
}

export interface SyncSummary {
  outbox: Record<string, number>;
  inbox: Record<string, number>;
  lastSuccessAt: string | null;
  lastFailureAt: string | null;
  lastFailureVi: string | null;
  evidence: { records: number; ok: boolean; problems: number };
}
