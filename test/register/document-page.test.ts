/** What the document page reads and writes through the register's contract methods (register/api.ts). */
import { describe, expect, it } from 'vitest';
import { registerMethods } from '../../src-main/contract/register';
import { makeSampleDocument } from '../../src-main/core/pdf/sign/index';
import { registerApi } from '../../src-main/core/register/api';
import { incoming, tempRegister } from './helpers';

const ctx = { transport: 'test' } as never;

describe('the document page over the register contract', () => {
  it('register.get gives the legal next steps and the history in Vietnamese; a step outside them is refused', async () => {
    const { reg } = tempRegister();
    const api = registerApi(reg);
    const { document: d } = reg.registration.register(incoming());
    const page = await api['register.get']({ id: d.id }, ctx);
    expect(page.detail.actions).toEqual(['submit', 'assign', 'return', 'recall', 'amend', 'cancel']);
    expect(page.detail.transitions.map((x) => x.toVi)).toEqual(['Đã vào sổ']);
    await expect(api['register.transition']({ id: d.id, action: 'complete' }, ctx)).rejects.toMatchObject({ code: 'CONFLICT' });
    const input = registerMethods['register.transition'].input.parse({ id: d.id, action: 'assign', assignments: [{ role: 'chu_tri', unit: 'Phòng Y tế', opinion: 'Xử lý ngay' }], DueDate: '2026-03-20' });
    await api['register.transition'](input, ctx);
    const after = await api['register.get']({ id: d.id }, ctx);
    expect(after.detail.actions).toContain('handover');
    expect(after.detail.assignments[0]).toMatchObject({ role: 'chu_tri', unit: 'Phòng Y tế', opinion: 'Xử lý ngay' });
  });

  it('a PDF attached to an entry comes back byte for byte, and only through its own entry', async () => {
    const { reg } = tempRegister();
    const api = registerApi(reg);
    const a = reg.registration.register(incoming()).document;
    const b = reg.registration.register(incoming()).document;
    const bytes = Buffer.from(await makeSampleDocument({ signerName: 'Trần Thị Bình', signerTitle: 'PHÓ CHỦ TỊCH' }));
    const { attachment } = await api['register.attach']({ id: a.id, name: 'cong-van.pdf', base64: bytes.toString('base64') }, ctx);
    const back = await api['register.attachment']({ id: a.id, attachmentId: attachment.id }, ctx);
    expect(Buffer.from(back.base64, 'base64').equals(bytes)).toBe(true);
    await expect(api['register.attachment']({ id: b.id, attachmentId: attachment.id }, ctx)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await api['register.get']({ id: a.id }, ctx)).detail.attachments.map((x) => x.name)).toEqual(['cong-van.pdf']);
  });

  it('a correction names only fields of the entry: an unknown one is refused, nothing changes', async () => {
    const { reg } = tempRegister();
    const api = registerApi(reg);
    const { document: d } = reg.registration.register(incoming());
    await expect(api['register.transition']({ id: d.id, action: 'amend', reason: 'Sai', changes: { state: 'completed' } }, ctx)).rejects.toMatchObject({ code: 'INPUT_INVALID' });
    expect(reg.reading.get(d.id).document.state).toBe('registered');
  });
});
