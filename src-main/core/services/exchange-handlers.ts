import type { z } from 'zod';
import { AppError } from '../../contract/errors';
import type { Handlers } from '../../contract/dispatch';
import type { exchangeMethods, inboxItemDto, outboxItemDto } from '../../contract/exchange';
import { registerDbPath, type Settings } from '../config';
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

/**
 * The exchange behind the contract, for the backend: one session over the workstation's register
 * file, a poll loop while an exchange configuration exists (interval and backoff from the engine),
 * and one sync at a time whoever asks.
 */
export function exchangeService(deps: { settings: Settings; log: Logger; publish: (event: string, payload: unknown) => void }): ExchangeService {
  const session: ExchangeSession = openExchange({
    dbPath: registerDbPath(deps.settings.dataDir),
    agency: deps.settings.agency,
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
      businessType: r.business_type, statusCode: r.status_code, attempts: r.attempts, sentAt: r.hub_ack_at,
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
        const outboxId = engine.queueDocument(registerDocId, to);
        // Sent at once when the hub answers; the outcome shows in the outbox, never as a lost rejection.
        syncOnce().catch((e: unknown) => deps.log.error('exchange sync after send crashed', { error: e instanceof Error ? e.message : String(e) }));
        return { outboxId };
      },
      'exchange.recall': async ({ registerDocId, reason }) => ({ queued: (await engine.recall(registerDocId, reason)).length }),
      'exchange.resend': ({ outboxId }) => ({ requeued: engine.outbox.retry(outboxId) }),
      'exchange.answer': ({ inboxId, accept, reason }) => {
        engine.answerChange(inboxId, accept, reason);
        return { ok: true as const };
      },
      'exchange.verifyArrived': async ({ inboxId }) => {
        const row = engine.inbox.get(inboxId);
        if (!row || row.register_doc_id === null) throw new AppError('NOT_FOUND', 'Không tìm thấy văn bản đến này.', `inbox ${inboxId} has no register entry`);
        const detail = session.reg.reading.get(row.register_doc_id);
        const attachments = [];
        for (const a of detail.attachments) {
          const report = a.mime === 'application/pdf' ? toReportDto(await verifyPdf(session.reg.attachments.read(a.id), { trustDir: deps.settings.trustDir })) : null;
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
