import { describe, expect, it } from 'vitest';
import { expectAppError, incoming, outgoing, tempRegister } from './helpers';

const FILE_CODE = { OrganId: '000.00.12.H40', FileCatalog: 2026, FileNotation: '01.TH' };

describe('hồ sơ', () => {
  it('Đ19.2.b links one document into several hồ sơ without copying, with ordinals and computed totals', () => {
    const { reg } = tempRegister();
    const a = reg.dossiers.create({ FileCode: FILE_CODE, Title: 'Hồ sơ tổng hợp năm 2026', Maintenance: 'Vĩnh viễn', Creator: 'Văn thư' });
    expect(a.code).toBe('000.00.12.H40.2026.01.TH');
    const b = reg.dossiers.create({ FileCode: { ...FILE_CODE, FileNotation: '02.TCCB' }, Title: 'Hồ sơ tổ chức cán bộ' });
    const d1 = reg.registration.register(incoming({ FileCode: FILE_CODE, PageAmount: 3 })).document;
    const d2 = reg.registration.register(outgoing({ PageAmount: 2 })).document;
    reg.dossiers.file(FILE_CODE, d2.id);
    reg.dossiers.file({ ...FILE_CODE, FileNotation: '02.TCCB' }, d2.id);
    expect(reg.dossiers.get(a.id)).toMatchObject({ Title: 'Hồ sơ tổng hợp năm 2026', DocTotal: 2, PageTotal: 5, documents: [{ DocOrdinal: 1, id: d1.id }, { DocOrdinal: 2, id: d2.id }] });
    expect(reg.dossiers.get(b.id)).toMatchObject({ DocTotal: 1, PageTotal: 2 });
    expect((reg.db.prepare('SELECT count(*) AS n FROM documents').get() as { n: number }).n).toBe(2);
    expectAppError(() => reg.dossiers.create({ FileCode: { ...FILE_CODE, FileCatalog: 26 }, Title: 'x' }), 'INPUT_INVALID');
    expectAppError(() => reg.dossiers.create({ FileCode: FILE_CODE, Title: 'trùng mã' }), 'CONFLICT');
  });
});

describe('DTOs', () => {
  it('are JSON-safe: a JSON round trip changes nothing', async () => {
    const { reg } = tempRegister();
    const d = reg.registration.register(incoming({ SignerInfo: { Position: 'Chủ tịch', FullName: 'Lê Văn Đông' } })).document;
    reg.handling.transition(d.id, 'assign', { assignments: [{ role: 'chu_tri', unit: 'Phòng A', dueDate: '2026-03-20' }] });
    await reg.attachments.attach(d.id, { base64: Buffer.from('x').toString('base64'), name: 'a.txt', mime: 'text/plain' });
    for (const value of [reg.reading.get(d.id), reg.reading.search({ text: 'dong' }), reg.reading.list({ book: 'den', year: 2026 }), reg.handling.alerts(), reg.handling.queue(), reg.books.list(), reg.audit.verify(), reg.closures.list()]) {
      expect(JSON.parse(JSON.stringify(value))).toEqual(value);
    }
  });
});
