import { describe, expect, it } from 'vitest';
import { WorkingCalendar } from '../../src-main/core/register/index';
import { incoming, outgoing, tempRegister } from './helpers';

describe('working calendar', () => {
  const cal = new WorkingCalendar({ holidays: ['2026-04-30', '2026-05-01'], workingWeekends: ['2026-05-09'] });
  it('skips weekends and holidays, honours make-up days', () => {
    expect(cal.isWorkingDay('2026-03-13')).toBe(true); // Friday
    expect(cal.isWorkingDay('2026-03-14')).toBe(false); // Saturday
    expect(cal.nextWorkingDay('2026-03-13')).toBe('2026-03-16');
    expect(cal.nextWorkingDay('2026-04-29')).toBe('2026-05-04');
    expect(cal.isWorkingDay('2026-05-09')).toBe(true);
    expect(cal.addWorkingDays('2026-04-28', 3)).toBe('2026-05-05');
  });
});

describe('alerts and queues', () => {
  it('Đ5.2 ¶1, Đ5.2 ¶2 a signed document must be issued by the next working-day morning; urgent ones at once', () => {
    const { reg, clock } = tempRegister('2026-04-29T15:00:00+07:00');
    const normal = reg.registration.draft(outgoing()).document;
    reg.handling.transition(normal.id, 'sign');
    const urgent = reg.registration.draft(outgoing({ Priority: 3 })).document;
    reg.handling.transition(urgent.id, 'sign');
    const alerts = reg.handling.alerts();
    expect(alerts.map((a) => [a.docId, a.kind])).toEqual([[urgent.id, 'issue_deadline'], [normal.id, 'issue_deadline']]);
    // 29/4 is followed by two holidays and a weekend: due Monday 4/5 at 12:00.
    expect(new Date(alerts[1]!.dueAt).toISOString()).toBe(new Date('2026-05-04T12:00:00+07:00').toISOString());
    expect(alerts[1]!.overdue).toBe(false);
    clock.set('2026-05-04T12:00:01+07:00');
    expect(reg.handling.overdue().map((a) => a.docId).sort()).toEqual([normal.id, urgent.id].sort());
    reg.handling.transition(normal.id, 'number');
    reg.handling.transition(normal.id, 'issue');
    expect(reg.handling.alerts().map((a) => a.docId)).toEqual([urgent.id]);
  });

  it('Đ5.2 ¶1, Đ5.2 ¶2, Đ9.3 receipt is acknowledged the same day; due-today and overdue views; urgent first in the queue', () => {
    const { reg, clock } = tempRegister('2026-03-10T09:00:00+07:00');
    const waiting = reg.registration.receive(incoming()).document;
    const dueToday = reg.registration.register(incoming({ DueDate: '2026-03-10' })).document;
    const late = reg.registration.register(incoming({ DueDate: '2026-03-09' })).document;
    const timed = reg.registration.register(incoming({ Priority: 4, DueDate: '2026-03-10', DueTime: '08:30' })).document;
    const ack = reg.handling.alerts().find((a) => a.kind === 'ack_receipt')!;
    expect(ack.docId).toBe(waiting.id);
    expect(ack.overdue).toBe(false);
    expect(reg.handling.dueToday().map((a) => a.docId)).toEqual([dueToday.id]);
    expect(reg.handling.overdue().map((a) => [a.docId, a.kind])).toEqual([[timed.id, 'overdue'], [late.id, 'overdue']]);
    expect(reg.handling.alerts().filter((a) => a.kind === 'urgent').map((a) => a.docId)).toEqual([timed.id]);
    expect(reg.handling.queue({ direction: 'den' }).map((d) => d.id)).toEqual([timed.id, waiting.id, dueToday.id, late.id]);
    clock.set('2026-03-11T00:00:30+07:00');
    expect(reg.handling.overdue().some((a) => a.kind === 'ack_receipt' && a.docId === waiting.id)).toBe(true);
    reg.handling.transition(late.id, 'assign', { assignments: [{ role: 'chu_tri', unit: 'Phòng A' }] });
    reg.handling.transition(late.id, 'complete');
    expect(reg.handling.overdue().some((a) => a.docId === late.id)).toBe(false);
  });
});
