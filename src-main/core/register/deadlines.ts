import type { WorkingCalendar } from './calendar';
import type { DocumentDto } from './dto';
import { dateInVietnam, vietnamInstant } from '../../contract/time';
import { TODAY_GROUPS } from '../../contract/register';

/**
 * Deadline rules (docs/register.md, "Deadlines"), as pure functions of a document,
 * "now" and the working calendar, so they are testable at any instant.
 */
export type AlertKind = 'urgent' | 'ack_receipt' | 'issue_deadline' | 'due_today' | 'overdue';

export interface AlertDto {
  kind: AlertKind;
  docId: number;
  direction: 'den' | 'di';
  priority: number;
  code: string | null;
  subject: string;
  /** ISO instant the action is due by. */
  dueAt: string;
  overdue: boolean;
  messageVi: string;
}

export const OPEN_INCOMING = ['received', 'registered', 'submitted', 'assigned', 'in_progress'] as const;
const AWAITING_HANDOVER = new Set(['received', 'registered', 'submitted']);
const AWAITING_ISSUE = new Set(['signed', 'numbered']);

/**
 * Everything a document's alerts depend on apart from its own instants. Documents of one class raise
 * the same kinds of alert, so the dashboard counts classes (table work_counts, kept by SQL triggers)
 * instead of reading documents; the migration that made that table keys it on exactly these fields.
 */
export interface AlertClass {
  direction: 'den' | 'di';
  state: string;
  urgent: boolean;
  signed: boolean;
  dueDate: string | null;
  dueTime: string | null;
}

export const alertClass = (doc: DocumentDto): AlertClass => ({
  direction: doc.direction, state: doc.state, urgent: doc.Priority >= 1, signed: doc.signedAt !== null, dueDate: doc.DueDate, dueTime: doc.DueTime,
});

/** The instant an incoming document's handling is due (its day's end when no hour is set). */
const dueInstant = (c: AlertClass): Date | null => (c.dueDate ? vietnamInstant(c.dueDate, c.dueTime || '23:59') : null);

/** The one statement of which alerts a class of documents raises at `now`. */
export function alertKinds(c: AlertClass, now: Date): AlertKind[] {
  const out: AlertKind[] = [];
  if (c.direction === 'den') {
    // Receipt must be acknowledged (registered or returned) the same day.
    if (c.state === 'received') out.push('ack_receipt');
    if (c.urgent && AWAITING_HANDOVER.has(c.state)) out.push('urgent');
    const due = dueInstant(c);
    if (due && (OPEN_INCOMING as readonly string[]).includes(c.state)) {
      if (now.getTime() > due.getTime()) out.push('overdue');
      else if (c.dueDate === dateInVietnam(now)) out.push('due_today');
    }
  } else if (AWAITING_ISSUE.has(c.state) && c.signed) {
    out.push('issue_deadline');
  }
  return out;
}

export type TodayGroup = (typeof TODAY_GROUPS)[number];

/** The group an alert of each kind puts a non-urgent document in (an urgent one is always "urgent"). */
export const GROUP_OF_KIND: Record<AlertKind, TodayGroup> = {
  urgent: 'urgent', due_today: 'due_today', overdue: 'overdue', ack_receipt: 'to_register', issue_deadline: 'to_issue',
};

/** The group a class of documents shows in at `now`, or null when it raises no alert. */
export function todayGroup(c: AlertClass, now: Date): TodayGroup | null {
  const kinds = alertKinds(c, now);
  if (kinds.length === 0) return null;
  if (c.urgent) return 'urgent';
  const groups = kinds.map((k) => GROUP_OF_KIND[k]);
  return TODAY_GROUPS.find((g) => groups.includes(g)) ?? null;
}

function alert(doc: DocumentDto, kind: AlertKind, due: Date, now: Date, messageVi: string): AlertDto {
  return {
    kind, docId: doc.id, direction: doc.direction, priority: doc.Priority, code: doc.code, subject: doc.Subject,
    dueAt: due.toISOString(), overdue: now.getTime() > due.getTime(), messageVi,
  };
}

export function alertsFor(doc: DocumentDto, now: Date, cal: WorkingCalendar): AlertDto[] {
  const c = alertClass(doc);
  return alertKinds(c, now).map((kind) => {
    switch (kind) {
      case 'ack_receipt': {
        const since = new Date(doc.receivedAt ?? doc.registeredAt ?? now.toISOString());
        return alert(doc, kind, vietnamInstant(dateInVietnam(since), '23:59'), now, 'Văn bản đến chưa được vào sổ hoặc trả lại: phải xác nhận tiếp nhận ngay trong ngày.');
      }
      case 'urgent': {
        const since = new Date(doc.receivedAt ?? doc.registeredAt ?? now.toISOString());
        return alert(doc, kind, since, now, `Văn bản ${doc.priorityVi.toLowerCase()}: phải vào sổ, trình và chuyển giao ngay.`);
      }
      case 'overdue':
        return alert(doc, kind, dueInstant(c)!, now, 'Văn bản đến đã quá thời hạn giải quyết.');
      case 'due_today':
        return alert(doc, kind, dueInstant(c)!, now, 'Văn bản đến đến hạn giải quyết hôm nay.');
      case 'issue_deadline': {
        const signed = new Date(doc.signedAt!);
        // Urgent: immediately after signing. Otherwise the same day, at the latest the next working-day morning.
        const due = c.urgent ? signed : vietnamInstant(cal.nextWorkingDay(dateInVietnam(signed)), cal.morningEnd);
        return alert(doc, kind, due, now, c.urgent
          ? 'Văn bản khẩn đã ký: phải phát hành ngay.'
          : 'Văn bản đã ký phải được phát hành trong ngày, chậm nhất buổi sáng ngày làm việc tiếp theo.');
      }
    }
  });
}

/** Urgent first, then most overdue first. */
export function sortAlerts(a: AlertDto, b: AlertDto): number {
  return b.priority - a.priority || Number(b.overdue) - Number(a.overdue) || a.dueAt.localeCompare(b.dueAt);
}
