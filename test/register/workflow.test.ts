import { describe, expect, it } from 'vitest';
import { expectAppError, incoming, outgoing, tempRegister } from './helpers';

describe('incoming workflow', () => {
  it('Đ11.1 tiếp nhận → đăng ký → trình → chuyển giao → giải quyết → hoàn thành, with status codes and instructions', () => {
    const { reg, clock } = tempRegister();
    const { document: d } = reg.registration.receive(incoming());
    expect([d.state, d.number]).toEqual(['received', null]);
    clock.set('2026-03-10T10:00:00+07:00');
    expect(reg.handling.transition(d.id, 'register').document).toMatchObject({ state: 'registered', number: 1, ArrivalDate: '2026-03-10' });
    reg.handling.transition(d.id, 'submit', { note: 'Trình Chủ tịch' });
    const assigned = reg.handling.transition(d.id, 'assign', {
      assignments: [
        { role: 'chu_tri', unit: 'Phòng Văn hóa - Xã hội', opinion: 'Chủ trì tham mưu, báo cáo trước ngày 20/3', dueDate: '2026-03-20' },
        { role: 'phoi_hop', unit: 'Phòng Kinh tế' },
      ],
      DueDate: '2026-03-20',
    });
    expect(assigned.document).toMatchObject({ state: 'assigned', ToPlaces: 'Phòng Văn hóa - Xã hội, Phòng Kinh tế', DueDate: '2026-03-20' });
    expect(assigned.document.handedAt).not.toBeNull();
    expect(assigned.assignments.map((a) => [a.role, a.unit, a.opinion])).toEqual([
      ['chu_tri', 'Phòng Văn hóa - Xã hội', 'Chủ trì tham mưu, báo cáo trước ngày 20/3'],
      ['phoi_hop', 'Phòng Kinh tế', null],
    ]);
    reg.handling.transition(d.id, 'progress');
    reg.handling.transition(d.id, 'progress', { note: 'Đã dự thảo văn bản trả lời' });
    const done = reg.handling.transition(d.id, 'complete', { note: '25/UBND-VX' });
    expect(done.document.state).toBe('completed');
    expect(done.statusHistory.map((s) => s.code)).toEqual(['01', '03', '04', '05', '05', '06']);
    expect(done.transitions.map((t) => t.to)).toEqual(['received', 'registered', 'submitted', 'assigned', 'in_progress', 'in_progress', 'completed']);
  });

  it('refuses illegal transitions with the current state in Vietnamese', () => {
    const { reg } = tempRegister();
    const { document: d } = reg.registration.register(incoming());
    expectAppError(() => reg.handling.transition(d.id, 'complete'), 'CONFLICT', /Đã vào sổ/);
    expectAppError(() => reg.handling.transition(d.id, 'sign'), 'INPUT_INVALID');
    expectAppError(() => reg.handling.transition(d.id, 'assign', { assignments: [{ role: 'phoi_hop', unit: 'A' }] }), 'INPUT_INVALID', /chủ trì/);
    expectAppError(() => reg.handling.transition(d.id, 'return'), 'INPUT_INVALID', /lý do/);
    reg.handling.transition(d.id, 'return', { reason: 'Gửi sai nơi nhận' });
    expectAppError(() => reg.handling.transition(d.id, 'submit'), 'CONFLICT', /Đã trả lại/);
    expect(reg.reading.get(d.id).statusHistory.map((s) => [s.code, s.note])).toEqual([['03', null], ['02', 'Gửi sai nơi nhận']]);
  });

  it('thu hồi by the issuer answers 15 and keeps the recall metadata', () => {
    const { reg } = tempRegister();
    const { document: d } = reg.registration.register(incoming());
    const r = reg.handling.transition(d.id, 'recall', { reason: 'Cơ quan ban hành thu hồi' });
    expect(r.document).toMatchObject({ state: 'recalled', recallReason: 'Cơ quan ban hành thu hồi' });
    expect(r.statusHistory.at(-1)?.code).toBe('15');
  });
});

describe('outgoing workflow', () => {
  it('drafted → signed → numbered → issued → sent; the số is given at numbering', () => {
    const { reg, clock } = tempRegister();
    reg.registration.register(outgoing());
    const { document: d } = reg.registration.draft(outgoing({ To: [{ OrganName: 'Sở Nội vụ', OrganId: '000.00.01.H40' }, { OrganName: 'Sở Tài chính' }] }));
    expect([d.state, d.number, d.CodeNumber]).toEqual(['drafted', null, null]);
    expectAppError(() => reg.handling.transition(d.id, 'number'), 'CONFLICT');
    reg.handling.transition(d.id, 'sign');
    clock.set('2026-03-11T08:00:00+07:00');
    expect(reg.handling.transition(d.id, 'number').document).toMatchObject({ state: 'numbered', number: 2, code: '02/UBND-VP', IssuedDate: '2026-03-11' });
    reg.handling.transition(d.id, 'issue');
    const sent = reg.handling.transition(d.id, 'send');
    expect(sent.document.state).toBe('sent');
    const [r1, r2] = sent.recipients;
    reg.handling.recordRecipientStatus(d.id, r1!.id, '01');
    reg.handling.recordRecipientStatus(d.id, r1!.id, 5);
    // Out of order: 03 after 05 is kept in history but does not step the status back.
    expect(reg.handling.recordRecipientStatus(d.id, r1!.id, '03').statusCode).toBe('05');
    expect(reg.handling.recordRecipientStatus(d.id, r2!.id, '02', { note: 'Sai thể thức' }).statusCode).toBe('02');
    expectAppError(() => reg.handling.recordRecipientStatus(d.id, r2!.id, '07'), 'INPUT_INVALID');
    const recalled = reg.handling.transition(d.id, 'recall', { reason: 'Sai sót nội dung' });
    expect(recalled.document.state).toBe('recalled');
    expect(recalled.statusHistory.filter((s) => s.code === '13').map((s) => s.recipientId)).toEqual([r1!.id, r2!.id]);
    expectAppError(() => reg.handling.transition(d.id, 'send'), 'CONFLICT', /Đã thu hồi/);
  });

  it('a correction links the đính chính document; a cancelled number is never reused', () => {
    const { reg } = tempRegister();
    const a = reg.registration.register(outgoing()).document;
    reg.handling.transition(a.id, 'issue');
    const fix = reg.registration.register(outgoing({ Subject: 'Đính chính Công văn số 01/UBND-VP' })).document;
    expect(reg.handling.transition(a.id, 'correct', { correctedBy: fix.id, reason: 'Sai số liệu tại Điều 2' }).document).toMatchObject({ state: 'corrected', correctedBy: fix.id });
    const c = reg.registration.register(outgoing()).document;
    expectAppError(() => reg.handling.transition(c.id, 'cancel', { note: 'Hủy số' }), 'INPUT_INVALID', /lý do/);
    reg.handling.transition(c.id, 'cancel', { reason: 'Hủy số' });
    expect(reg.registration.register(outgoing()).document.number).toBe(c.number! + 1);
  });
});
