import { TODAY_GROUPS } from '../../contract/register';
import type { RegisterContext } from './context';
import { alertsFor, GROUP_OF_KIND, sortAlerts, todayGroup, type AlertClass, type AlertDto, type TodayGroup } from './deadlines';
import { documentDto } from './dto';

export type TodayCounts = Record<TodayGroup, number> & { den: number; di: number; total: number };

export interface TodayView {
  counts: TodayCounts;
  groups: Array<{ id: TodayGroup; total: number; alerts: AlertDto[] }>;
  alerts: AlertDto[];
}

type ClassRow = AlertClass & { n: number };

/** The documents of a group a page draws, in the order a clerk works through them. */
const ORDER: Record<TodayGroup, string> = {
  urgent: 'Priority DESC, id DESC',
  due_today: 'DueTime, id',
  overdue: 'DueDate, id',
  to_register: 'id',
  to_issue: 'id',
};

const CLASS_COLUMNS = "(direction, state, Priority >= 1, signed_at IS NOT NULL, coalesce(DueDate, ''), coalesce(DueTime, ''))";

/**
 * "Hôm nay" and the navigation's counts. Counts come from work_counts (migration 0070): a few
 * hundred classes, whatever the register's size, each judged by the deadline rules of deadlines.ts;
 * so they are exact and the first screen costs the same at a million documents. A group's page reads
 * only the documents of its classes, through the state or due-date index.
 */
export class Today {
  private readonly classesStmt;

  constructor(private readonly ctx: RegisterContext) {
    this.classesStmt = ctx.db.prepare<[], { direction: 'den' | 'di'; state: string; urgent: number; signed: number; due_date: string; due_time: string; n: number }>(
      'SELECT direction, state, urgent, signed, due_date, due_time, n FROM work_counts WHERE n > 0',
    );
  }

  /** Every non-empty class with the group it shows in now. */
  private classes(now: Date): Array<ClassRow & { group: TodayGroup | null }> {
    return this.classesStmt.all().map((r) => {
      const c: ClassRow = { direction: r.direction, state: r.state, urgent: r.urgent === 1, signed: r.signed === 1, dueDate: r.due_date || null, dueTime: r.due_time || null, n: r.n };
      return { ...c, group: todayGroup(c, now) };
    });
  }

  counts(now = this.ctx.now()): TodayCounts {
    return countsOf(this.classes(now));
  }

  /**
   * The same counts by reading every document and judging it alone (alertsFor): seconds at a million
   * documents, never on a screen; the check that the maintained aggregates are right.
   */
  recount(now = this.ctx.now()): TodayCounts {
    const counts = emptyCounts();
    for (const row of this.ctx.db.prepare('SELECT * FROM documents').iterate() as Iterable<Record<string, unknown>>) {
      const doc = documentDto(row);
      const groups = alertsFor(doc, now, this.ctx.calendar).map((a) => GROUP_OF_KIND[a.kind]);
      if (groups.length > 0) add(counts, doc.Priority >= 1 ? 'urgent' : TODAY_GROUPS.find((g) => groups.includes(g))!, doc.direction, 1);
    }
    return counts;
  }

  view(q: { group?: TodayGroup | undefined; page?: number; pageSize?: number } = {}): TodayView {
    const now = this.ctx.now();
    const classes = this.classes(now);
    const counts = countsOf(classes);
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    const groups = (q.group ? [q.group] : TODAY_GROUPS.filter((g) => counts[g] > 0)).map((id) => ({
      id,
      total: counts[id],
      alerts: this.pageOf(id, classes.filter((c) => c.group === id), now, page, pageSize),
    }));
    return { counts, groups, alerts: groups.flatMap((g) => g.alerts) };
  }

  private pageOf(group: TodayGroup, classes: readonly ClassRow[], now: Date, page: number, pageSize: number): AlertDto[] {
    if (classes.length === 0) return [];
    const params: unknown[] = [];
    const inList = (xs: readonly unknown[]) => {
      params.push(...xs);
      return xs.map(() => '?').join(', ');
    };
    // The class list is exact; the plain conditions beside it only let SQLite pick an index.
    const where = [`${CLASS_COLUMNS} IN (VALUES ${classes.map((c) => `(${inList([c.direction, c.state, Number(c.urgent), Number(c.signed), c.dueDate ?? '', c.dueTime ?? ''])})`).join(', ')})`];
    where.push(`state IN (${inList([...new Set(classes.map((c) => c.state))])})`);
    if (classes.every((c) => c.urgent)) where.push('Priority >= 1');
    if (classes.every((c) => !c.urgent)) where.push('Priority = 0');
    if (classes.every((c) => c.dueDate)) where.push(`DueDate IN (${inList([...new Set(classes.map((c) => c.dueDate))])})`);
    params.push(pageSize, (page - 1) * pageSize);
    const rows = this.ctx.db.prepare(`SELECT * FROM documents WHERE ${where.join(' AND ')} ORDER BY ${ORDER[group]} LIMIT ? OFFSET ?`).all(...params) as Record<string, unknown>[];
    return rows.map((r) => {
      const doc = documentDto(r);
      const alerts = alertsFor(doc, now, this.ctx.calendar).sort(sortAlerts);
      // The alert that put the document in this group names why it is there.
      return alerts.find((a) => group !== 'urgent' && GROUP_OF_KIND[a.kind] === group) ?? alerts[0]!;
    });
  }
}

const emptyCounts = (): TodayCounts => ({ ...Object.fromEntries(TODAY_GROUPS.map((g) => [g, 0])), den: 0, di: 0, total: 0 }) as TodayCounts;

function add(counts: TodayCounts, group: TodayGroup, direction: 'den' | 'di', n: number): void {
  counts[group] += n;
  counts[direction] += n;
  counts.total += n;
}

function countsOf(classes: ReadonlyArray<ClassRow & { group: TodayGroup | null }>): TodayCounts {
  const counts = emptyCounts();
  for (const c of classes) if (c.group) add(counts, c.group, c.direction, c.n);
  return counts;
}
