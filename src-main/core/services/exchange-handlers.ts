import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { AppError } from '../../contract/errors';
import type { Handlers } from '../../contract/dispatch';
import type { exchangeMethods, inboxItemDto, outboxItemDto } from '../../contract/exchange';
import type { AgencyInfo, Register } from '../register/index';
import type { InboxMeta } from '../exchange/sync/inbox';
import { reasonVi } from '../exchange/sync/outbox';
import type { SyncReport } from '../exchange/sync/engine';
import { openExchange, type ExchangeSession } from '../exchange/session';
import type { Logger } from '../log';
import { verifyPdf } from '../verify/index';
import { toReportDto } from './verify-handlers';

const OUTBOX_VI = { QUEUED: 'Chờ gửi', SENDING: 'Đang gửi', RETRY_WAIT: 'Chờ gửi lại', NEEDS_RECONCILE: 'Đang đối chiếu với trục', SENT: 'Đã gửi', FAILED_PERMANENT: 'Gửi lỗi' } as const;
const INBOX_VI = { STORED: 'Đang lưu', RECEIVED: 'Đã đến', INVALID: 'Bị từ chối', DUPLICATE: 'Trùng', RECALLED: 'Đã thu hồi', PENDING_DECISION: 'Chờ quyết định', APPLIED: 'Đã xử lý', ORPHAN: 'Chờ đối chiếu' } as const;

export interface ExchangeService {
  handlers: Handlers<typeof exchangeMethods>;
  close(): Promise<void>;
}

export interface ExchangeServiceDeps {
  /** The register file; exchange.json and the secrets sit beside it unless `configFile` names another. */
  dbPath: string;
  agency: AgencyInfo;
  trustDir: string;
  configFile?: string;
  /** The register already open on `dbPath` (the worker's connection): the exchange writes through it. */
  reg?: Register;
  log: Logger;
  publish: (event: string, payload: unknown) => void;
}

/**
 * The exchange behind the contract: one session over the workstation's register, a poll loop while an
 * exchange configuration exists (interval and backoff from the engine), and one sync at a time
 * whoever asks. The backend runs it inside the register worker (exchange-worker.ts); the CLI reaches
 * it through the same backend.
 */
export function exchangeService(deps: ExchangeServiceDeps): ExchangeService {
  const session: ExchangeSession = openExchange({
    dbPath: deps.dbPath,
    agency: deps.agency,
    ...(deps.configFile ? { configFile: deps.configFile } : {}),
    ...(deps.reg ? { reg: deps.reg } : {}),
    onEvent: (e) => {
      const { type, ...payload } = e;
      deps.publish(`exchange.${type}`, payload);
    },
  });
  const { engine } = session;
  let running: Promise<SyncReport> | null = null;
  const syncOnce = () => {
    running ??= engine.syncOnce().finally(() => (running = null));
    return running;
  };
  let timer: NodeJS.Timeout | null = null;
  let closed = false;
  const loop = () => {
    if (closed) return;
    timer = setTimeout(() => {
      syncOnce()
        .then((r) => r.error && deps.log.warn('exchange sync failed', { error: r.error }))
        .catch((e: unknown) => deps.log.error('exchange sync crashed', { error: e instanceof Error ? e.message : String(e) }))
        .finally(loop);
    }, engine.nextPollMs());
    timer.unref();
  };
  if (session.config) loop();

  const inboxItem = (r: ReturnType<typeof engine.inbox.list>[number]): z.input<typeof inboxItemDto> => ({
    id: r.id, hubDocId: r.hub_doc_id, kind: r.messagetype, state: r.state, stateVi: INBOX_VI[r.state], documentId: r.document_id, from: r.from_organ,
    businessType: r.business_type, statusCode: r.status_code, subject: r.meta ? ((JSON.parse(r.meta) as InboxMeta).subject ?? null) : null,
    registerDocId: r.register_doc_id, reason: r.reason, receivedAt: r.received_at,
  });

  const outboxItem = (r: ReturnType<typeof engine.outbox.list>[number]): z.input<typeof outboxItemDto> => {
    const to = JSON.parse(r.recipients) as string[];
    const detail = r.messagetype === 'edoc' && r.register_doc_id !== null ? session.reg.reading.get(r.register_doc_id) : null;
    return {
      id: r.id, kind: r.messagetype, state: r.state, stateVi: OUTBOX_VI[r.state], registerDocId: r.register_doc_id, documentId: r.document_id,
      businessType: r.business_type, statusCode: r.status_code, attempts: r.attempts, sentAt: r.hub_ack_at, hubDocId: r.hub_doc_id,
      errorVi: r.state === 'FAILED_PERMANENT' || r.state === 'RETRY_WAIT' ? reasonVi(r.hub_code, r.last_error) || null : null, createdAt: r.created_at,
      recipients: to.map((organId) => {
        const rec = detail?.recipients.find((x) => x.OrganId === organId);
        const history = rec ? detail!.statusHistory.filter((h) => h.recipientId === rec.id).map((h) => ({ code: h.code, at: h.at, description: h.note })) : [];
        return { organId, statusCode: rec?.statusCode ?? null, history };
      }),
    };
  };

  return {
    handlers: {
      'exchange.status': () => ({ configured: session.config !== null, ...engine.summary() }),
      'exchange.syncNow': () => syncOnce(),
      'exchange.inbox': ({ state }) => ({ items: engine.inbox.list(state ? { state } : {}).reverse().map(inboxItem) }),
      'exchange.outbox': ({ registerDocId }) => ({ items: engine.outbox.list(registerDocId ? { registerDocId } : {}).reverse().map(outboxItem) }),
      'exchange.send': async ({ registerDocId, to }) => {
        const known = session.reg.reading.get(registerDocId).recipients;
        const outboxId = engine.queueDocument(registerDocId, to.map((t) => ({ OrganId: t.OrganId, OrganName: t.OrganName ?? known.find((r) => r.OrganId === t.OrganId)?.OrganName ?? t.OrganId })));
        // Sent at once when the hub answers; the outcome shows in the outbox, never as a lost rejection.
        syncOnce().catch((e: unknown) => deps.log.error('exchange sync after send crashed', { error: e instanceof Error ? e.message : String(e) }));
        return { outboxId };
      },
      'exchange.recall': async ({ registerDocId, reason }) => ({ queued: (await engine.recall(registerDocId, reason)).length }),
      'exchange.resend': ({ outboxId }) => ({ requeued: engine.outbox.retry(outboxId) }),
      'exchange.answer': async ({ inboxId, accept, reason }) => {
        await engine.answerChange(inboxId, accept, reason);
        return { ok: true as const };
      },
      'exchange.import': async ({ base64 }) => {
        const raw = Buffer.from(base64, 'base64');
        // The same id for the same bytes: importing the file again is recognised, not registered twice.
        const r = await engine.accept(`manual:${createHash('sha256').update(raw).digest('hex')}`, undefined, raw);
        return { item: inboxItem(r.row), duplicate: r.duplicate, duplicateOf: r.row.duplicate_of };
      },
      'exchange.verifyArrived': async ({ inboxId }) => {
        const row = engine.inbox.get(inboxId);
        if (!row || row.register_doc_id === null) throw new AppError('NOT_FOUND', 'Không tìm thấy văn bản đến này.', `inbox ${inboxId} has no register entry`);
        const detail = session.reg.reading.get(row.register_doc_id);
        const attachments = [];
        for (const a of detail.attachments) {
          const report = a.mime === 'application/pdf' ? toReportDto(await verifyPdf(session.reg.attachments.read(a.id), { trustDir: deps.trustDir })) : null;
          attachments.push({ name: a.name, report });
        }
        return { attachments };
      },
    },
    // A sync under way finishes before the register closes under it.
    close: async () => {
      closed = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => undefined);
      session.close();
    },
  };
}
