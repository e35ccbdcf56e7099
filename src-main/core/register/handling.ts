import { z } from 'zod';
import { AppError } from '../../contract/errors';
import { nfc } from '../../contract/text';
import type { ActOptions, RegisterContext } from './context';
import { alertsFor, OPEN_INCOMING, sortAlerts, type AlertDto } from './deadlines';
import { documentDto, numberText, type DocumentDetailDto, type DocumentDto, type RecipientDto } from './dto';
import { invalid, notFound } from './errors';
import type { Numbering } from './numbering';
import type { Reading } from './reading';
import { assignmentSchema, issuePaths } from './records';
import type { Registration } from './registration';
import { dateInVietnam } from '../../contract/time';
import { isoDaySchema } from '../../contract/register';
import { yearOf } from './time';
import { normaliseStatusCode, stepFor, supersedes, type Action, type StatusCode } from './workflow';

export const transitionSchema = z.strictObject({
  note: z.string().max(2000).transform(nfc).optional(),
  /** Required for trả lại and thu hồi. */
  reason: z.string().max(2000).transform(nfc).optional(),
  assignments: z.array(assignmentSchema).max(50).optional(),
  /** Leader's instructions for giao xử lý. */
  ToPlaces: z.string().max(1000).transform(nfc).optional(),
  DueDate: isoDaySchema.optional(),
  /** The correcting / replacing document (action "correct"). */
  correctedBy: z.number().int().positive().optional(),
});
export type TransitionOptions = z.input<typeof transitionSchema> & ActOptions;

const statusOptionsSchema = z.strictObject({
  at: z.string().datetime({ offset: true }).optional(),
  note: z.string().max(2000).transform(nfc).optional(),
});

const OPEN_OUTGOING = ['drafted', 'signed', 'numbered', 'issued'] as const;

/** Workflow and deadlines: the state machine of workflow.ts applied to rows, status codes, queues and alerts. */
export class Handling {
  private readonly recipientIds;

  constructor(private readonly ctx: RegisterContext, private readonly numbering: Numbering, private readonly registration: Registration, private readonly reading: Reading) {
    this.recipientIds = ctx.db.prepare<[number], { id: number }>('SELECT id FROM recipients WHERE doc_id = ?');
  }

  /** One step of a document's workflow; returns the document after it. */
  transition(id: number, action: Action, opts: TransitionOptions = {}): DocumentDetailDto {
    const { actor: actorOpt, ...rest } = opts;
    const parsed = transitionSchema.safeParse(rest);
    if (!parsed.success) throw invalid('Thông tin xử lý văn bản không hợp lệ.', `transition: ${issuePaths(parsed.error)}`);
    const o = parsed.data;
    const actor = this.ctx.actorOf({ actor: actorOpt });
    this.ctx.write(() => {
      const before = this.ctx.getDoc(id);
      const step = stepFor(before.direction, action);
      if (!step) throw invalid('Thao tác không áp dụng cho loại văn bản này.', `action ${action} on ${before.direction}`);
      if (!step.from.includes(before.state)) {
        throw new AppError('CONFLICT', `Không thể thực hiện thao tác này khi văn bản đang ở trạng thái "${before.stateVi}".`, `illegal ${action} from ${before.state}`, { state: before.state, action });
      }
      if ((action === 'return' || action === 'recall') && !o.reason) throw invalid('Phải nêu lý do trả lại hoặc thu hồi văn bản.', `${action} without reason`);
      const at = this.ctx.nowIso();
      const set = this.changes(before, action, o, actor, at);
      const cols = Object.keys(set);
      this.ctx.db.prepare(`UPDATE documents SET ${cols.map((c) => `${c} = @${c}`).join(', ')} WHERE id = @id`).run({ ...set, id });
      if (step.code) {
        if (before.direction === 'den') this.registration.insertStatus(id, null, step.code, o.reason ?? o.note ?? null, at);
        else for (const r of this.recipientIds.all(id)) this.registration.insertStatus(id, r.id, step.code, o.reason ?? null, at);
      }
      this.registration.logTransition(id, before.state, step.to, actor, o.reason ?? o.note ?? null);
      this.ctx.reindex(id);
      this.ctx.log({ actor, action: `document.${action}`, entity: 'document', entityId: id, before: { state: before.state }, after: { ...set, note: o.note ?? null, reason: o.reason ?? null, assignments: o.assignments ?? null } });
    });
    return this.reading.get(id);
  }

  /** A recipient's status for one of our outgoing documents (sender side of the exchange). */
  recordRecipientStatus(docId: number, recipientId: number, rawCode: string | number, opts: { at?: string; note?: string } & ActOptions = {}): RecipientDto {
    const code = normaliseStatusCode(rawCode);
    if (!code) throw invalid('Mã trạng thái không hợp lệ.', `status code ${String(rawCode).slice(0, 8)}`);
    const o = statusOptionsSchema.safeParse({ at: opts.at, note: opts.note });
    if (!o.success) throw invalid('Thời điểm hoặc ghi chú trạng thái không hợp lệ.', `status: ${issuePaths(o.error)}`);
    const at = o.data.at ?? this.ctx.nowIso();
    const { db } = this.ctx;
    return this.ctx.write(() => {
      const r = db.prepare('SELECT id, status_code FROM recipients WHERE id = ? AND doc_id = ?').get(recipientId, docId) as { id: number; status_code: StatusCode | null } | undefined;
      if (!r) throw notFound('nơi nhận', recipientId);
      this.registration.insertStatus(docId, recipientId, code, o.data.note ?? null, at);
      if (supersedes(r.status_code, code)) db.prepare('UPDATE recipients SET status_code = ?, status_at = ? WHERE id = ?').run(code, at, recipientId);
      this.ctx.log({ actor: this.ctx.actorOf(opts), action: 'recipient.status', entity: 'document', entityId: docId, before: { recipientId, code: r.status_code }, after: { recipientId, code, at } });
      return db.prepare('SELECT id, OrganId, OrganName, status_code AS statusCode, status_at AS statusAt FROM recipients WHERE id = ?').get(recipientId) as RecipientDto;
    });
  }

  /** Open work, urgent first, then oldest first. */
  queue(q: { direction?: 'den' | 'di'; limit?: number } = {}): DocumentDto[] {
    const limit = Math.min(Math.max(q.limit ?? 100, 1), 1000);
    const states = q.direction === 'di' ? [...OPEN_OUTGOING] : q.direction === 'den' ? [...OPEN_INCOMING] : [...OPEN_INCOMING, ...OPEN_OUTGOING];
    const rows = this.ctx.db
      .prepare(`SELECT * FROM documents WHERE state IN (${states.map(() => '?').join(', ')}) ${q.direction ? 'AND direction = ?' : ''}
                ORDER BY Priority DESC, COALESCE(received_at, created_at), id LIMIT ?`)
      .all(...states, ...(q.direction ? [q.direction] : []), limit) as Record<string, unknown>[];
    return rows.map(documentDto);
  }

  alerts(): AlertDto[] {
    const now = this.ctx.now();
    const rows = this.ctx.db
      // Every condition is on open states, so the state index bounds the scan to open work.
      .prepare(`SELECT * FROM documents WHERE state IN (${OPEN_INCOMING.map(() => '?').join(', ')}, 'signed', 'numbered') AND (
                  (direction = 'den' AND state = 'received')
               OR (direction = 'den' AND Priority >= 1 AND state IN ('received', 'registered', 'submitted'))
               OR (direction = 'den' AND DueDate IS NOT NULL AND DueDate <= ?)
               OR (direction = 'di' AND state IN ('signed', 'numbered') AND signed_at IS NOT NULL))
               LIMIT 5000`)
      .all(...OPEN_INCOMING, dateInVietnam(now)) as Record<string, unknown>[];
    return rows.flatMap((r) => alertsFor(documentDto(r), now, this.ctx.calendar)).sort(sortAlerts);
  }

  dueToday(): AlertDto[] {
    return this.alerts().filter((a) => a.kind === 'due_today');
  }

  overdue(): AlertDto[] {
    return this.alerts().filter((a) => a.overdue);
  }

  /** The columns one action sets (and the rows it adds: assignments). */
  private changes(before: DocumentDto, action: Action, o: z.output<typeof transitionSchema>, actor: string, at: string): Record<string, string | number | null> {
    const set: Record<string, string | number | null> = { state: stepFor(before.direction, action)!.to };
    const today = dateInVietnam(this.ctx.now());
    switch (action) {
      case 'register':
        Object.assign(set, { year: yearOf(today), number: this.numbering.next(before.book, yearOf(today)), reg_date: today, ArrivalDate: today, registered_at: at });
        break;
      case 'assign': {
        const list = o.assignments ?? [];
        if (!list.some((a) => a.role === 'chu_tri')) throw invalid('Phải giao một đơn vị hoặc người chủ trì giải quyết.', 'assign without chu_tri');
        const ins = this.ctx.db.prepare('INSERT INTO assignments (doc_id, role, unit, person, opinion, due_date, assigned_by, assigned_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
        for (const a of list) ins.run(before.id, a.role, a.unit ?? null, a.person ?? null, a.opinion ?? null, a.dueDate ?? null, actor, at);
        const places = o.ToPlaces ?? list.map((a) => a.unit ?? a.person).filter(Boolean).join(', ');
        // A closed (printed and bound) entry keeps its printed ToPlaces; the assignments hold the truth.
        if (places && !this.ctx.isClosed(before)) set.ToPlaces = places;
        if (o.DueDate) set.DueDate = o.DueDate;
        set.handed_at = at;
        break;
      }
      case 'complete': set.completed_at = at; break;
      case 'sign': set.signed_at = at; break;
      case 'number': {
        const number = this.numbering.next(before.book, yearOf(today));
        Object.assign(set, {
          year: yearOf(today), number, reg_date: today, IssuedDate: today, CodeNumber: numberText(number),
          CodeNotation: this.registration.notationFor(this.ctx.book(before.book), before.CodeNotation ?? undefined), registered_at: at,
        });
        break;
      }
      case 'issue': set.issued_at = at; break;
      case 'send': set.sent_at = at; break;
      case 'recall': set.recalled_at = at; set.recall_reason = o.reason ?? null; break;
      case 'correct':
        if (!o.correctedBy) throw invalid('Phải chỉ rõ văn bản đính chính hoặc thay thế.', 'correct without correctedBy');
        this.ctx.getDoc(o.correctedBy);
        set.corrected_by = o.correctedBy;
        break;
      default: break;
    }
    return set;
  }
}
