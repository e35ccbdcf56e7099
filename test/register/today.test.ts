import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { TODAY_GROUPS } from '../../src-main/contract/register';
import { alertsFor, GROUP_OF_KIND, type TodayGroup } from '../../src-main/core/register/deadlines';
import { documentDto } from '../../src-main/core/register/dto';
import type { Register } from '../../src-main/core/register/index';
import { rng } from '../helpers/rng';
import { incoming, outgoing, tempRegister } from './helpers';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** The slow truth: every document read and judged one by one with the per-document alert rules. */
function fullCount(reg: Register, now: Date): Record<TodayGroup, Set<number>> {
  const out = Object.fromEntries(TODAY_GROUPS.map((g) => [g, new Set<number>()])) as Record<TodayGroup, Set<number>>;
  for (const row of reg.db.prepare('SELECT * FROM documents').iterate() as Iterable<Record<string, unknown>>) {
    const doc = documentDto(row);
    const alerts = alertsFor(doc, now, reg.ctx.calendar);
    if (alerts.length === 0) continue;
    const groups = alerts.map((a) => GROUP_OF_KIND[a.kind]);
    const group = doc.Priority >= 1 ? 'urgent' : TODAY_GROUPS.find((g) => groups.includes(g))!;
    out[group].add(doc.id);
  }
  return out;
}

/** Every page of every group, walked through the same method the screen calls. */
function pagedIds(reg: Register, group: TodayGroup, pageSize: number): number[] {
  const ids: number[] = [];
  for (let page = 1; ; page++) {
    const v = reg.today.view({ group, page, pageSize });
    ids.push(...v.groups[0]!.alerts.map((a) => a.docId));
    if (v.groups[0]!.alerts.length < pageSize) return ids;
  }
}

function expectAgree(reg: Register, now: Date): void {
  const truth = fullCount(reg, now);
  const counts = reg.today.counts(now);
  for (const g of TODAY_GROUPS) expect([g, counts[g]]).toEqual([g, truth[g].size]);
  const all = TODAY_GROUPS.flatMap((g) => [...truth[g]]);
  expect(counts.total).toBe(all.length);
  expect(reg.today.recount(now)).toEqual(counts);
  const dirOf = new Map((reg.db.prepare('SELECT id, direction FROM documents').all() as Array<{ id: number; direction: string }>).map((r) => [r.id, r.direction]));
  expect([counts.den, counts.di]).toEqual([all.filter((id) => dirOf.get(id) === 'den').length, all.filter((id) => dirOf.get(id) === 'di').length]);
}

describe('"Hôm nay" counts from maintained aggregates', () => {
  it('Đ5.2 the dashboard counts agree with a full count after registrations, workflow steps, imports and edits by another tool', () => {
    const { reg, clock, dir } = tempRegister('2026-03-10T09:00:00+07:00');
    dirs.push(dir);
    const r = rng(20261206);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
    const days = ['2026-03-05', '2026-03-09', '2026-03-10', '2026-03-11', '2026-03-20'];
    const rec = () => ({ Priority: r() < 0.2 ? 1 + Math.floor(r() * 3) : 0, ...(r() < 0.5 ? { DueDate: pick(days) } : {}), ...(r() < 0.2 ? { DueTime: pick(['08:00', '10:30', '17:00']) } : {}) });
    const ids: number[] = [];
    for (let i = 0; i < 120; i++) ids.push((r() < 0.3 ? reg.registration.receive(incoming(rec())) : reg.registration.register(incoming(rec()))).document.id);
    const report = reg.registration.importRecords(Array.from({ length: 150 }, () => incoming({ ...rec(), ArrivalDate: pick(['2026-03-02', '2026-03-03']) })));
    expect(report.failed).toEqual([]);
    const drafts = Array.from({ length: 40 }, () => reg.registration.draft(outgoing({ Priority: r() < 0.3 ? 2 : 0 })).document.id);
    expectAgree(reg, clock());

    // Workflow steps move documents between classes; each step is tried only where it is legal.
    const steps: Array<[string, Record<string, unknown>]> = [['register', {}], ['submit', {}], ['assign', { assignments: [{ role: 'chu_tri', unit: 'Phòng Nội vụ' }] }], ['progress', {}], ['complete', {}], ['return', { reason: 'Gửi nhầm cơ quan' }]];
    for (const id of ids) {
      for (const [action, opts] of steps.slice(0, Math.floor(r() * steps.length) + 1)) {
        try { reg.handling.transition(id, action as never, opts); } catch { /* not legal from this state: skipped */ }
      }
    }
    for (const id of drafts) {
      for (const action of ['sign', 'number', 'issue', 'send'].slice(0, Math.floor(r() * 5))) reg.handling.transition(id, action as never);
    }
    expectAgree(reg, clock());

    // Another tool on the file: the SQL triggers keep the counts, whatever the writer.
    reg.db.prepare("UPDATE documents SET DueDate = '2026-03-10', DueTime = '08:30' WHERE id % 7 = 0 AND direction = 'den'").run();
    reg.db.prepare('UPDATE documents SET Priority = 4 WHERE id % 11 = 0').run();
    reg.db.prepare("UPDATE documents SET signed_at = NULL WHERE id = ?").run(drafts[0]);
    expectAgree(reg, clock());

    // The same classes fall into other groups as time passes: due today becomes overdue.
    for (const at of ['2026-03-10T08:45:00+07:00', '2026-03-10T23:59:30+07:00', '2026-03-11T07:00:00+07:00', '2026-03-25T10:00:00+07:00']) {
      clock.set(at);
      expectAgree(reg, clock());
    }
    // The table itself equals a GROUP BY over the documents.
    const kept = reg.db.prepare('SELECT direction, state, urgent, signed, due_date, due_time, n FROM work_counts WHERE n > 0 ORDER BY 1, 2, 3, 4, 5, 6').all();
    const fresh = reg.db.prepare("SELECT direction, state, Priority >= 1 AS urgent, signed_at IS NOT NULL AS signed, coalesce(DueDate, '') AS due_date, coalesce(DueTime, '') AS due_time, count(*) AS n FROM documents GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6").all();
    expect(kept).toEqual(fresh);
  });

  it('Đ5.2 register.alerts pages every group to its end: no document is left out however many there are', () => {
    const { reg, clock, dir } = tempRegister('2026-03-10T09:00:00+07:00');
    dirs.push(dir);
    // More urgent documents than the old silent cap of 5,000 rows.
    const n = 5_100;
    const report = reg.registration.importRecords(Array.from({ length: n }, (_, i) => incoming({ Priority: 1 + (i % 3), ArrivalDate: '2026-03-09' })), { batchSize: 1000 });
    expect(report.imported).toBe(n);
    reg.registration.receive(incoming());
    reg.registration.register(incoming({ DueDate: '2026-03-09' }));
    const view = reg.today.view();
    expect(view.counts.urgent).toBe(n);
    expect(view.counts.to_register).toBe(1);
    expect(view.counts.overdue).toBe(1);
    expect(view.counts.total).toBe(n + 2);
    expect(view.groups.map((g) => [g.id, g.total, g.alerts.length])).toEqual([['urgent', n, 20], ['overdue', 1, 1], ['to_register', 1, 1]]);
    const truth = fullCount(reg, clock());
    for (const g of TODAY_GROUPS) {
      const ids = pagedIds(reg, g, 200);
      expect(new Set(ids).size).toBe(ids.length);
      expect(new Set(ids)).toEqual(truth[g]);
    }
    // Highest priority first on the first page; each item names its document.
    expect(view.groups[0]!.alerts[0]!.priority).toBe(3);
    expect(view.groups[2]!.alerts[0]).toMatchObject({ kind: 'ack_receipt', subject: expect.stringMatching(/^Về việc/) });
  });
});
