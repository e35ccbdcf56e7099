import * as z from 'zod';
import { AppError } from '../../contract/errors';
import { nfc } from '../../contract/text';
import { calendarSchema, type CalendarConfig } from './calendar';
import type { ActOptions, RegisterContext } from './context';
import { alertsFor, OPEN_INCOMING, sortAlerts, type AlertDto } from './deadlines';
import { documentDto, numberText, type DocumentDetailDto, type DocumentDto, type RecipientDto } from './dto';
import { invalid, notFound } from './errors';
import type { Numbering } from './numbering';
import type { Reading } from './reading';
import { assignmentSchema, incomingRecordSchema, issuePaths } from './records';
import type { Registration } from './registration';
import { dateInVietnam, VIETNAM_OFFSET } from '../../contract/time';
import { isoDaySchema } from '../../contract/register';
import { displayDate as showDay } from '../print/register-print';
import { yearOf } from './time';
import { normaliseStatusCode, REASON_ACTIONS, stepFor, supersedes, type Action, type StatusCode } from './workflow';

/** The fields of an entry a correction (action "amend") may change: the register's own field rules. */
const amendSchema = incomingRecordSchema
  .pick({ TypeName: true, CodeNumber: true, CodeNotation: true, IssuedDate: true, OrganName: true, Subject: true, PageAmount: true, Description: true, DueDate: true, ArrivalDate: true })
  .partial()
  .extend({ Priority: z.number().int().min(0).max(4).optional() });
type Amendment = z.output<typeof amendSchema>;

export const transitionSchema = z.strictObject({
  note: z.string().max(2000).transform(nfc).optional(),
  /** Required for the steps in REASON_ACTIONS (trả lại, thu hồi, sửa, hủy, đính chính). */
  reason: z.string().max(2000).transform(nfc).optional(),
  assignments: z.array(assignmentSchema).max(50).optional(),
  /** Leader's instructions for giao xử lý. */
  ToPlaces: z.string().max(1000).transform(nfc).optional(),
  DueDate: isoDaySchema.optional(),
  /** Chuyển: the unit or person the document goes to (printed "Đơn vị hoặc người nhận")… */
  handedTo: z.string().transform(nfc).pipe(z.string().trim().min(1).max(200)).optional(),
  /** …and the Ngày chuyển (default today). */
  handedDate: isoDaySchema.optional(),
  /** Sửa: the corrected fields. */
  changes: amendSchema.optional(),
  /** The correcting / replacing document (action "correct"). */
  correctedBy: z.number().int().positive().optional(),
});
export type TransitionOptions = z.input<typeof transitionSchema> & ActOptions;

/** A refusal that names the form field it is about (the screen shows it there and focuses it). */
function fieldError(field: string, vi: string, detail: string): AppError {
  return new AppError('INPUT_INVALID', vi, detail, { field });
}

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
    if (!parsed.success) throw new AppError('INPUT_INVALID', 'Thông tin xử lý văn bản không hợp lệ.', `transition: ${issuePaths(parsed.error)}`, { field: parsed.error.issues[0]?.path.join('.') ?? '' });
    const o = parsed.data;
    const actor = this.ctx.actorOf({ actor: actorOpt });
    this.ctx.write(() => {
      const before = this.ctx.getDoc(id);
      const step = stepFor(before.direction, action);
      if (!step) throw invalid('Thao tác không áp dụng cho loại văn bản này.', `action ${action} on ${before.direction}`);
      if (!step.from.includes(before.state)) {
        throw new AppError('CONFLICT', `Không thể thực hiện thao tác này khi văn bản đang ở trạng thái "${before.stateVi}".`, `illegal ${action} from ${before.state}`, { state: before.state, action });
      }
      if (REASON_ACTIONS.has(action) && !o.reason?.trim()) throw fieldError('reason', 'Phải nêu lý do (trả lại, thu hồi, sửa, hủy hoặc đính chính văn bản).', `${action} without reason`);
      const at = this.ctx.nowIso();
      const set = this.changes(before, action, o, actor, at);
      const cols = Object.keys(set);
      this.ctx.db.prepare(`UPDATE documents SET ${cols.map((c) => `${c} = @${c}`).join(', ')} WHERE id = @id`).run({ ...set, id });
      if (step.code) {
        if (before.direction === 'den') this.registration.insertStatus(id, null, step.code, o.reason ?? o.note ?? null, at);
        else for (const r of this.recipientIds.all(id)) this.registration.insertStatus(id, r.id, step.code, o.reason ?? null, at);
      }
      // A chuyển says to whom and on which day in the history, as the printed Sổ đến does.
      const handed = action === 'handover' ? `Chuyển cho ${o.handedTo ?? set.ToPlaces ?? this.leadOf(id)}, ngày ${showDay(String(set.handed_at).slice(0, 10))}` : null;
      this.registration.logTransition(id, before.state, step.to ?? before.state, actor, o.reason ?? o.note ?? handed);
      this.ctx.reindex(id);
      // A correction keeps the old values in the entry: what was written before stays readable.
      const was = action === 'amend' ? Object.fromEntries(Object.keys(set).map((k) => [k, (before as unknown as Record<string, unknown>)[k] ?? null])) : {};
      this.ctx.log({ actor, action: `document.${action}`, entity: 'document', entityId: id, before: { state: before.state, ...was }, after: { ...set, note: o.note ?? null, reason: o.reason ?? null, assignments: o.assignments ?? null } });
    });
    return this.reading.get(id);
  }

  /** The working calendar saved in "Cài đặt": every later deadline uses it; a change is an audit entry. */
  setCalendar(input: Pick<CalendarConfig, 'holidays' | 'workingWeekends'>, act: ActOptions = {}): { holidays: number; workingWeekends: number } {
    const parsed = calendarSchema.safeParse({ ...this.ctx.calendar.config, ...input });
    if (!parsed.success) throw invalid('Lịch làm việc (ngày nghỉ, ngày làm bù) không hợp lệ.', `calendar: ${issuePaths(parsed.error)}`);
    const next = { ...parsed.data, holidays: [...new Set(parsed.data.holidays)].sort(), workingWeekends: [...new Set(parsed.data.workingWeekends)].sort() };
    const before = this.ctx.calendar.config;
    if (JSON.stringify(before) !== JSON.stringify(next)) {
      this.ctx.write(() => this.ctx.log({ actor: this.ctx.actorOf(act), action: 'calendar.configure', entity: 'calendar', entityId: 'working', before, after: next }));
      this.ctx.calendar.configure(next);
    }
    return { holidays: next.holidays.length, workingWeekends: next.workingWeekends.length };
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
    const set: Record<string, string | number | null> = { state: stepFor(before.direction, action)!.to ?? before.state };
    const today = dateInVietnam(this.ctx.now());
    switch (action) {
      case 'register':
        Object.assign(set, { year: yearOf(today), number: this.numbering.next(before.book, yearOf(today)), reg_date: today, ArrivalDate: today, registered_at: at });
        break;
      case 'assign': {
        const list = o.assignments ?? [];
        if (!list.some((a) => a.role === 'chu_tri' && (a.unit || a.person))) throw fieldError('lead', 'Phải giao một đơn vị hoặc người chủ trì giải quyết.', 'assign without chu_tri');
        // Hạn giải quyết: not before the document was issued or arrived, nor before today.
        const floor = [before.IssuedDate, before.ArrivalDate, today].filter((d): d is string => !!d).sort().at(-1)!;
        for (const due of [o.DueDate, ...list.map((a) => a.dueDate)]) {
          if (due && due < floor) throw fieldError('due', `Hạn giải quyết không được trước ngày ${showDay(floor)}.`, `assign due ${due} before ${floor}`);
        }
        const ins = this.ctx.db.prepare('INSERT INTO assignments (doc_id, role, unit, person, opinion, due_date, assigned_by, assigned_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
        for (const a of list) ins.run(before.id, a.role, a.unit ?? null, a.person ?? null, a.opinion ?? null, a.dueDate ?? null, actor, at);
        const places = o.ToPlaces ?? list.map((a) => a.unit ?? a.person).filter(Boolean).join(', ');
        // A closed (printed and bound) entry keeps its printed ToPlaces; the assignments hold the truth.
        if (places && !this.ctx.isClosed(before)) set.ToPlaces = places;
        if (o.DueDate) set.DueDate = o.DueDate;
        set.handed_at = at;
        break;
      }
      case 'handover': {
        const day = o.handedDate ?? today;
        const from = before.ArrivalDate ?? before.regDate ?? today;
        if (day > today) throw fieldError('handedDate', 'Ngày chuyển không được sau ngày hôm nay.', `handover ${day} after ${today}`);
        if (day < from) throw fieldError('handedDate', `Ngày chuyển không được trước ngày đến ${showDay(from)}.`, `handover ${day} before ${from}`);
        const lead = this.leadOf(before.id);
        const to = o.handedTo ?? lead;
        if (!to) throw fieldError('handedTo', 'Phải ghi đơn vị hoặc người nhận văn bản.', 'handover without recipient');
        if (!this.ctx.isClosed(before)) set.ToPlaces = to;
        // The day the clerk writes in the Ngày chuyển column; the transition row keeps the moment.
        set.handed_at = day === today ? at : `${day}T00:00:00${VIETNAM_OFFSET}`;
        break;
      }
      case 'amend': Object.assign(set, this.amendment(before, o.changes)); break;
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

  /** The chủ trì of the latest giao xử lý: whom a chuyển goes to when the clerk names nobody else. */
  private leadOf(docId: number): string | null {
    const r = this.ctx.db.prepare("SELECT unit, person FROM assignments WHERE doc_id = ? AND role = 'chu_tri' ORDER BY id DESC LIMIT 1").get(docId) as { unit: string | null; person: string | null } | undefined;
    return r ? (r.unit ?? r.person) : null;
  }

  /** The columns a correction changes, checked like a registration's (closed entries refuse in SQL). */
  private amendment(before: DocumentDto, raw: Amendment | undefined): Record<string, string | number | null> {
    const changes = Object.entries(raw ?? {}).filter(([k, v]) => v !== undefined && v !== (before as unknown as Record<string, unknown>)[k]);
    if (changes.length === 0) throw fieldError('changes', 'Chưa có thông tin nào được sửa.', 'amend without changes');
    const next = { ...before, ...Object.fromEntries(changes) } as DocumentDto;
    const today = dateInVietnam(this.ctx.now());
    if (next.ArrivalDate && next.ArrivalDate > today) throw fieldError('ArrivalDate', 'Ngày đến không được sau ngày hôm nay.', 'amend ArrivalDate in future');
    if (next.IssuedDate && next.DueDate && next.DueDate < next.IssuedDate) throw fieldError('DueDate', 'Hạn giải quyết không được trước ngày ban hành.', 'amend DueDate before IssuedDate');
    if (next.IssuedDate && next.ArrivalDate && next.ArrivalDate < next.IssuedDate) throw fieldError('ArrivalDate', 'Ngày đến không được trước ngày ban hành.', 'amend ArrivalDate before IssuedDate');
    return Object.fromEntries(changes) as Record<string, string | number | null>;
  }
}
