import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument } from '@cantoo/pdf-lib';
import { afterEach, describe, expect, it } from 'vitest';
import { issuingApi } from '../../src-main/core/register/issuing-api';
import type { Register } from '../../src-main/core/register/index';
import { tempRegister } from './helpers';

let reg: Register | null = null;
afterEach(() => { reg?.dispose(); reg = null; });

describe('an issued entry in search', () => {
  it('is found by the leader who signed it, not by the name the reservation guessed', async () => {
    const t = tempRegister();
    reg = t.reg;
    const pdf = await PDFDocument.create();
    pdf.addPage();
    const path = join(t.dir, 'qd.pdf');
    writeFileSync(path, await pdf.save());
    const api = issuingApi(reg);
    const reserved = await api['register.reserveIssue']({
      book: 'di-qd', date: '2026-03-10', kind: 'issue', TypeName: 'Quyết định', Subject: 'Về việc khen thưởng', To: ['Sở Nội vụ'],
      SignerFullName: 'Trần Thị Bình', file: { name: 'qd.pdf', sha256: 'b'.repeat(64) },
    } as never, { transport: 'test' });
    const cert = { subject: 'CN=x', serial: '01', sha256: 'a'.repeat(64) };
    await api['register.recordIssued']({
      id: reserved.id, path, name: 'qd.pdf', sha256: 'c'.repeat(64), signingTime: '2026-03-10T10:00:00+07:00',
      leader: { ...cert, name: 'Nguyễn Văn An' }, agency: cert, unknownRevocation: null,
    } as never, { transport: 'test' });
    const found = (q: Parameters<Register['reading']['search']>[0]) => reg!.reading.search(q).items.map((d) => d.id);
    expect(found({ fields: { signer: 'nguyen van an' } })).toEqual([reserved.id]);
    expect(found({ text: 'nguyen van an' })).toEqual([reserved.id]);
    expect(found({ fields: { signer: 'tran thi binh' } })).toEqual([]);
  });
});
