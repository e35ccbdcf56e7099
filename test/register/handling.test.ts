import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../src-main/contract/errors';
import { openRegister } from '../../src-main/core/register/index';
import { AGENCY, expectAppError, incoming, tempRegister, testClock } from './helpers';

/** The field a refusal names (the document page shows the error there). */
function fieldOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    if (isAppError(e)) return e.data?.field;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('incoming handling: giao xử lý, chuyển, corrections', () => {
  it('Đ11.1 giao xử lý then chuyển writes Đơn vị hoặc người nhận and Ngày chuyển into the entry, each step in the history and the audit chain', () => {
    const { reg, clock } = tempRegister('2026-03-10T09:00:00+07:00');
    const { document: d } = reg.registration.register(incoming());
    reg.handling.transition(d.id, 'submit', { note: 'Trình Chủ tịch' });
    reg.handling.transition(d.id, 'assign', {
      assignments: [
        { role: 'chu_tri', unit: 'Phòng Tư pháp', opinion: 'Chủ trì tham mưu văn bản trả lời' },
        { role: 'phoi_hop', unit: 'Văn phòng' },
      ],
      DueDate: '2026-03-20',
    });
    clock.set('2026-03-11T08:30:00+07:00');
    const handed = reg.handling.transition(d.id, 'handover', { handedTo: 'Ông Lê Văn Tư (Phòng Tư pháp)', handedDate: '2026-03-10' });
    expect(handed.document).toMatchObject({ state: 'in_progress', ToPlaces: 'Ông Lê Văn Tư (Phòng Tư pháp)', DueDate: '2026-03-20' });
    expect(handed.document.handedAt?.slice(0, 10)).toBe('2026-03-10');
    expect(handed.transitions.at(-1)?.note).toBe('Chuyển cho Ông Lê Văn Tư (Phòng Tư pháp), ngày 10/03/2026');
    const done = reg.handling.transition(d.id, 'complete', { note: '30/UBND-TP' });
    expect(done.transitions.map((t) => t.to)).toEqual(['registered', 'submitted', 'assigned', 'in_progress', 'completed']);
    const actions = reg.audit.trail({ entity: 'document', entityId: d.id }).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['document.submit', 'document.assign', 'document.handover', 'document.complete']));
    expect(reg.audit.verify().ok).toBe(true);
  });

  it('chuyển goes to the chủ trì when nobody else is named, and refuses a Ngày chuyển in the future or before the Ngày đến, naming the field', () => {
    const { reg } = tempRegister('2026-03-10T09:00:00+07:00');
    const { document: d } = reg.registration.register(incoming());
    reg.handling.transition(d.id, 'assign', { assignments: [{ role: 'chu_tri', unit: 'Phòng Kinh tế' }] });
    expect(fieldOf(() => reg.handling.transition(d.id, 'handover', { handedDate: '2026-03-11' }))).toBe('handedDate');
    expect(fieldOf(() => reg.handling.transition(d.id, 'handover', { handedDate: '2026-03-09' }))).toBe('handedDate');
    expect(reg.handling.transition(d.id, 'handover').document.ToPlaces).toBe('Phòng Kinh tế');
  });

  it('giao xử lý needs a chủ trì and a hạn not before the Ngày ban hành or today', () => {
    const { reg } = tempRegister('2026-03-10T09:00:00+07:00');
    const { document: d } = reg.registration.register(incoming({ IssuedDate: '2026-03-01' }));
    expect(fieldOf(() => reg.handling.transition(d.id, 'assign', { assignments: [{ role: 'phoi_hop', unit: 'A' }] }))).toBe('lead');
    expect(fieldOf(() => reg.handling.transition(d.id, 'assign', { assignments: [{ role: 'chu_tri', unit: 'A' }], DueDate: '2026-02-28' }))).toBe('due');
    expect(fieldOf(() => reg.handling.transition(d.id, 'assign', { assignments: [{ role: 'chu_tri', unit: 'A', dueDate: '2026-03-09' }] }))).toBe('due');
    expect(reg.reading.get(d.id).document.state).toBe('registered');
  });

  it('a wrong entry is corrected with a reason: the old values stay in the audit chain, the number stays', () => {
    const { reg } = tempRegister();
    const { document: d } = reg.registration.register(incoming({ Subject: 'Về việc tổ chức hội nghi' }));
    expect(fieldOf(() => reg.handling.transition(d.id, 'amend', { changes: { Subject: 'Về việc tổ chức hội nghị' } }))).toBe('reason');
    expectAppError(() => reg.handling.transition(d.id, 'amend', { reason: 'Sai chính tả', changes: { Nonsense: 'x' } as never }), 'INPUT_INVALID');
    const r = reg.handling.transition(d.id, 'amend', { reason: 'Sai chính tả trích yếu', changes: { Subject: 'Về việc tổ chức hội nghị' } });
    expect(r.document).toMatchObject({ Subject: 'Về việc tổ chức hội nghị', number: d.number, state: 'registered' });
    expect(r.transitions.at(-1)).toMatchObject({ from: 'registered', to: 'registered', note: 'Sai chính tả trích yếu' });
    const entry = reg.audit.trail({ entity: 'document', entityId: d.id }).find((e) => e.action === 'document.amend');
    expect(JSON.parse(String(entry?.before)).Subject).toBe('Về việc tổ chức hội nghi');
    expect(fieldOf(() => reg.handling.transition(d.id, 'amend', { reason: 'x', changes: { ArrivalDate: '2026-03-11' } }))).toBe('ArrivalDate');
  });

  it('an entry is cancelled only with a reason, and its Số đến is never given again', () => {
    const { reg } = tempRegister();
    const { document: d } = reg.registration.register(incoming());
    expect(fieldOf(() => reg.handling.transition(d.id, 'cancel'))).toBe('reason');
    expect(reg.handling.transition(d.id, 'cancel', { reason: 'Vào sổ trùng' }).document.stateVi).toBe('Đã hủy');
    expect(reg.registration.register(incoming()).document.number).toBe(d.number! + 1);
  });

  it('the working calendar from Cài đặt moves the issuing deadline, and the change is an audit entry', () => {
    const { reg } = tempRegister('2026-03-13T09:00:00+07:00');
    const { document: d } = reg.registration.draft({ book: 'di', TypeName: 'Công văn', Subject: 'Về việc A' });
    reg.handling.transition(d.id, 'sign');
    const dueBefore = reg.handling.alerts().find((a) => a.docId === d.id)!.dueAt;
    // Friday 13 March: due Monday 16 March morning; Monday declared a holiday → Tuesday.
    expect(dueBefore.slice(0, 10)).toBe('2026-03-16');
    reg.handling.setCalendar({ holidays: ['2026-03-16'], workingWeekends: [] });
    expect(reg.handling.alerts().find((a) => a.docId === d.id)!.dueAt.slice(0, 10)).toBe('2026-03-17');
    reg.handling.setCalendar({ holidays: ['2026-03-16'], workingWeekends: ['2026-03-14'] });
    expect(reg.handling.alerts().find((a) => a.docId === d.id)!.dueAt.slice(0, 10)).toBe('2026-03-14');
    expect(reg.audit.trail({ entity: 'calendar' })).toHaveLength(2);
    expectAppError(() => reg.handling.setCalendar({ holidays: ['2026-02-30'], workingWeekends: [] }), 'INPUT_INVALID', /Lịch làm việc/);
    expect(reg.audit.verify().ok).toBe(true);
  });

  it('a register opened with a saved calendar uses it', () => {
    const { dbPath } = tempRegister();
    const reg = openRegister(dbPath, { agency: AGENCY, clock: testClock('2026-03-13T09:00:00+07:00'), calendar: { holidays: ['2026-03-16'] } });
    const { document: d } = reg.registration.draft({ book: 'di', TypeName: 'Công văn', Subject: 'Về việc B' });
    reg.handling.transition(d.id, 'sign');
    expect(reg.handling.alerts().find((a) => a.docId === d.id)!.dueAt.slice(0, 10)).toBe('2026-03-17');
  });

  it('Đ10.1 the printed Sổ đến shows Đơn vị hoặc người nhận and Ngày chuyển for the rows that were chuyển, blank for the others', async () => {
    const { reg, clock } = tempRegister('2026-03-10T09:00:00+07:00');
    const a = reg.registration.register(incoming({ Subject: 'Về việc chuyển văn bản A' })).document;
    reg.registration.register(incoming({ Subject: 'Về việc chưa chuyển B' }));
    reg.handling.transition(a.id, 'assign', { assignments: [{ role: 'chu_tri', unit: 'Phòng Nội vụ' }] });
    clock.set('2026-03-12T09:00:00+07:00');
    reg.handling.transition(a.id, 'handover', { handedTo: 'Bà Phạm Thị Hoa', handedDate: '2026-03-11' });
    const { bytes } = await reg.printing.render({ kind: 'so-den', year: 2026 });
    const text = execFileSync('pdftotext', ['-layout', '-', '-'], { input: Buffer.from(bytes), encoding: 'utf8' });
    const rowA = text.split('\n').find((l) => l.includes('chuyển văn bản A'))!;
    expect(rowA).toContain('Bà Phạm Thị Hoa');
    expect(rowA).toContain('11/03/2026');
    const rowB = text.split('\n').find((l) => l.includes('chưa chuyển B'))!;
    // Ngày đến and Ngày ban hành only: no Ngày chuyển, no người nhận.
    expect(rowB.match(/\d{2}\/\d{2}\/2026/g)).toHaveLength(2);
    expect(rowA.match(/\d{2}\/\d{2}\/2026/g)).toHaveLength(3);
  });
});
