import type { WorkingCalendar } from './calendar';
import type { DocumentDto } from './dto';
import { dateInVietnam, vietnamInstant } from '../../contract/time';

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

function alert(doc: DocumentDto, kind: AlertKind, due: Date, now: Date, messageVi: string): AlertDto {
  return {
    kind, docId: doc.id, direction: doc.direction, priority: doc.Priority, code: doc.code, subject: doc.Subject,
    dueAt: due.toISOString(), overdue: now.getTime() > due.getTime(), messageVi,
  };
}

export function alertsFor(doc: DocumentDto, now: Date, cal: WorkingCalendar): AlertDto[] {
  const out: AlertDto[] = [];
  const urgent = doc.Priority >= 1;
  if (doc.direction === 'den') {
    if (doc.state === 'received' && doc.receivedAt) {
      // Receipt must be acknowledged (registered or returned) the same day.
      out.push(alert(doc, 'ack_receipt', vietnamInstant(dateInVietnam(new Date(doc.receivedAt)), '23:59'), now, 'Văn bản đến chưa được vào sổ hoặc trả lại: phải xác nhận tiếp nhận ngay trong ngày.'));
    }
    if (urgent && AWAITING_HANDOVER.has(doc.state)) {
      const since = new Date(doc.receivedAt ?? doc.registeredAt ?? now.toISOString());
      out.push(alert(doc, 'urgent', since, now, `Văn bản ${doc.priorityVi.toLowerCase()}: phải vào sổ, trình và chuyển giao ngay.`));
    }
    if (doc.DueDate && (OPEN_INCOMING as readonly string[]).includes(doc.state)) {
      const due = vietnamInstant(doc.DueDate, doc.DueTime ?? '23:59');
      const today = dateInVietnam(now);
      if (now.getTime() > due.getTime()) out.push(alert(doc, 'overdue', due, now, 'Văn bản đến đã quá thời hạn giải quyết.'));
      else if (doc.DueDate === today) out.push(alert(doc, 'due_today', due, now, 'Văn bản đến đến hạn giải quyết hôm nay.'));
    }
  } else if ((doc.state === 'signed' || doc.state === 'numbered') && doc.signedAt) {
    const signed = new Date(doc.signedAt);
    // Urgent: immediately after signing. Otherwise the same day, at the latest the next working-day morning.
    const due = urgent ? signed : vietnamInstant(cal.nextWorkingDay(dateInVietnam(signed)), cal.morningEnd);
    out.push(alert(doc, 'issue_deadline', due, now, urgent
      ? 'Văn bản khẩn đã ký: phải phát hành ngay.'
      : 'Văn bản đã ký phải được phát hành trong ngày, chậm nhất buổi sáng ngày làm việc tiếp theo.'));
  }
  return out;
}

/** Urgent first, then most overdue first. */
export function sortAlerts(a: AlertDto, b: AlertDto): number {
  return b.priority - a.priority || Number(b.overdue) - Number(a.overdue) || a.dueAt.localeCompare(b.dueAt);
}
