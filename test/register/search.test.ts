import fontkit from '@cantoo/fontkit';
import { PDFDocument } from '@cantoo/pdf-lib';
import { existsSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSerifFont } from '../../src-main/core/print/fonts';
import { expectAppError, incoming, outgoing, tempRegister } from './helpers';

async function vietnamesePdf(lines: string[]): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(loadSerifFont('Regular'), { subset: true });
  const page = doc.addPage([595, 842]);
  lines.forEach((l, i) => page.drawText(l, { x: 50, y: 780 - i * 20, size: 12, font }));
  return doc.save();
}

describe('search', () => {
  it('is accent-blind with the đ fold, over every field, ranked and paginated', () => {
    const { reg } = tempRegister();
    const qd = reg.registration.register(incoming({ TypeName: 'Quyết định', Subject: 'Về việc khen thưởng ông Đặng Văn Lâm', OrganName: 'Sở Nội vụ' })).document;
    const cv = reg.registration.register(incoming({ TypeName: 'Công văn', Subject: 'Về việc quyết định đầu tư', OrganName: 'Sở Tài chính', SignerInfo: { Position: 'Giám đốc', FullName: 'Trần Thị Đào' } })).document;
    for (let i = 0; i < 30; i++) reg.registration.register(incoming({ Subject: `Báo cáo định kỳ tháng ${i}` }));
    expect(reg.reading.search({ text: 'quyet dinh' }).items.map((d) => d.id).sort()).toEqual([qd.id, cv.id].sort());
    expect(reg.reading.search({ text: 'dang' }).items.map((d) => d.id)).toEqual([qd.id]);
    expect(reg.reading.search({ text: 'ĐẶNG' }).items.map((d) => d.id)).toEqual([qd.id]);
    expect(reg.reading.search({ text: 'dao' }).items.map((d) => d.id)).toEqual([cv.id]);
    // The last word is a prefix while being typed; short syllables are whole words.
    expect(reg.reading.search({ text: 'khen thuon' }).items.map((d) => d.id)).toEqual([qd.id]);
    expect(reg.reading.search({ text: 'khe thuong' }).total).toBe(0);
    expect(reg.reading.search({ text: 'la' }).total).toBe(0);
    expect(reg.reading.search({ text: 'lam' }).items.map((d) => d.id)).toEqual([qd.id]);
    // Per-field: the organ column only.
    expect(reg.reading.search({ fields: { organ: 'tai chinh' } }).items.map((d) => d.id)).toEqual([cv.id]);
    expect(reg.reading.search({ fields: { signer: 'giam doc' } }).items.map((d) => d.id)).toEqual([cv.id]);
    expect(reg.reading.search({ fields: { code: cv.code! } }).items[0]!.id).toBe(cv.id);
    // Ranking: the type column hit outranks the subject-only hit for "quyet dinh"? Both match; the
    // document with the words in two columns ranks first.
    const twice = reg.registration.register(incoming({ TypeName: 'Quyết định', Subject: 'Quyết định phê duyệt' })).document;
    expect(reg.reading.search({ text: 'quyet dinh' }).items[0]!.id).toBe(twice.id);
    const p1 = reg.reading.search({ text: 'bao cao', pageSize: 10 });
    const p4 = reg.reading.search({ text: 'bao cao', pageSize: 10, page: 4 });
    expect([p1.total, p1.items.length, p4.items.length]).toEqual([30, 10, 0]);
    expect(reg.reading.search({ text: 'bao cao', year: 2026, book: 'den', direction: 'den', dateFrom: '2026-03-10', dateTo: '2026-03-10' }).total).toBe(30);
    expect(reg.reading.search({ text: 'bao cao', year: 2025 }).total).toBe(0);
  });

  it('treats FTS syntax in user input as plain words', () => {
    const { reg } = tempRegister();
    reg.registration.register(incoming({ Subject: 'Kế hoạch "AND" OR NEAR(x) *' }));
    expect(reg.reading.search({ text: '"AND" OR NEAR( * ) -' }).total).toBe(1);
    expect(reg.reading.search({ text: 'x {organ}: y' }).total).toBe(0);
    expect(reg.reading.search({ text: '***' }).total).toBe(1);
    expectAppError(() => reg.reading.search({ text: 'x'.repeat(501) }), 'INPUT_INVALID');
  });

  it('saved searches keep and rerun a query', () => {
    const { reg } = tempRegister();
    reg.registration.register(incoming({ Subject: 'Phòng chống thiên tai' }));
    reg.reading.saveSearch('Thiên tai', { text: 'thien tai' });
    expect(reg.reading.savedSearches().map((s) => s.name)).toEqual(['Thiên tai']);
    expect(reg.reading.runSavedSearch('Thiên tai').total).toBe(1);
  });
});

describe('attachments', () => {
  it('Đ5.1, Đ15.1 stores originals by SHA-256, read-only, counted, and indexes PDF text for search', async () => {
    const { reg } = tempRegister();
    const a = reg.registration.register(incoming()).document;
    const b = reg.registration.register(outgoing()).document;
    const pdf = await vietnamesePdf(['Nghị quyết về phát triển kinh tế', 'Người ký: Đỗ Văn Đức']);
    const att = await reg.attachments.attach(a.id, { base64: Buffer.from(pdf).toString('base64'), name: 'nghị quyết.pdf' });
    expect(att).toMatchObject({ mime: 'application/pdf', size: pdf.byteLength, name: 'nghị quyết.pdf' });
    const path = reg.attachments.files.pathOf(att.sha256);
    expect(existsSync(path)).toBe(true);
    expect(statSync(path).mode & 0o222).toBe(0);
    expect(reg.reading.search({ text: 'do van duc' }).items.map((d) => d.id)).toEqual([a.id]);
    expect(reg.reading.search({ fields: { body: 'nghi quyet' } }).items.map((d) => d.id)).toEqual([a.id]);
    // The same bytes on a second document: one blob, two references.
    await reg.attachments.attach(b.id, { base64: Buffer.from(pdf).toString('base64'), name: 'bản sao.pdf' });
    expect(reg.db.prepare('SELECT refcount FROM blobs WHERE sha256 = ?').get(att.sha256)).toEqual({ refcount: 2 });
    expect(Buffer.compare(reg.attachments.read(att.id), Buffer.from(pdf))).toBe(0);
    reg.attachments.detach(att.id);
    expect(reg.attachments.gc()).toBe(0);
    expect(existsSync(path)).toBe(true);
    reg.attachments.detach(reg.attachments.list(b.id)[0]!.id);
    expect(reg.attachments.gc()).toBe(1);
    expect(existsSync(path)).toBe(false);
  });

  it('detects a blob changed on disk and refuses a broken PDF', async () => {
    const { reg } = tempRegister();
    const a = reg.registration.register(incoming()).document;
    const att = await reg.attachments.attach(a.id, { base64: Buffer.from('plain bytes').toString('base64'), name: 'a.bin' });
    const { chmodSync, writeFileSync } = await import('node:fs');
    chmodSync(reg.attachments.files.pathOf(att.sha256), 0o644);
    writeFileSync(reg.attachments.files.pathOf(att.sha256), 'tampered');
    expectAppError(() => reg.attachments.read(att.id), 'IO_ERROR', /thay đổi hoặc hỏng/);
    await expect(reg.attachments.attach(a.id, { base64: Buffer.from('%PDF-1.7\n garbage').toString('base64'), name: 'x.pdf' })).rejects.toMatchObject({ code: 'PDF_INVALID' });
    // Nothing was linked for the refused file.
    expect(reg.attachments.list(a.id)).toHaveLength(1);
  });
});
