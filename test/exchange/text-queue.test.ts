import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRegister, type Register } from '../../src-main/core/register/index';
import { extractPdfText } from '../../src-main/core/register/pdf-text';
import { fakePdf } from './samples';
import { tempDir } from './helpers';

/**
 * Bulk reception stores a PDF at once and leaves its text to the register's background queue: the
 * entry is there immediately, its words become searchable when the queue is worked, and the queue
 * survives a restart.
 */
const agency = { name: 'Sở Tài chính', code: '000.00.02.H99', abbr: 'STC' };

function received(reg: Register): number {
  return reg.registration.receive({ book: 'den', TypeName: 'Công văn', CodeNumber: '12', CodeNotation: 'SNV-VP', Subject: 'Văn bản đến qua trục', OrganName: 'Sở Nội vụ' }).document.id;
}

describe('attachment text: now or queued for the background indexer', () => {
  it('queued text is not searchable until indexed, survives a restart, then is found', async () => {
    const db = join(tempDir('vanthu-textq-'), 'register.db');
    let reg = openRegister(db, { agency });
    const id = received(reg);
    await reg.attachments.attach(id, { name: 'cv.pdf', bytes: fakePdf('Chuyenmuc ngansach quy bon'), mime: 'application/pdf', text: 'later' });
    expect(reg.attachments.list(id)).toHaveLength(1);
    expect(reg.attachments.pendingText()).toBe(1);
    expect(reg.reading.search({ text: 'ngansach' }).items).toEqual([]);
    reg.dispose();

    reg = openRegister(db, { agency });
    expect(reg.attachments.pendingText()).toBe(1);
    expect(await reg.attachments.indexPending(10)).toBe(1);
    expect(reg.attachments.pendingText()).toBe(0);
    expect(reg.reading.search({ text: 'ngansach' }).items.map((d) => d.id)).toEqual([id]);
    expect(await reg.attachments.indexPending(10)).toBe(0);
    reg.dispose();
  });

  it('a PDF pdf.js cannot read stays stored and is given up after three tries, the rest of the queue goes on', async () => {
    const reg = openRegister(join(tempDir('vanthu-textq-'), 'register.db'), { agency });
    const id = received(reg);
    await reg.attachments.attach(id, { name: 'broken.pdf', bytes: Buffer.from('%PDF-1.7\nnot really a pdf'), mime: 'application/pdf', text: 'later' });
    await reg.attachments.attach(id, { name: 'ok.pdf', bytes: fakePdf('Thuhoach lua mua'), mime: 'application/pdf', text: 'later' });
    expect(reg.attachments.pendingText()).toBe(2);
    for (let i = 0; i < 3; i++) await reg.attachments.indexPending(10);
    expect(reg.attachments.pendingText()).toBe(0);
    expect(reg.attachments.list(id).map((a) => a.name)).toEqual(['broken.pdf', 'ok.pdf']);
    expect(reg.reading.search({ text: 'thuhoach' }).items.map((d) => d.id)).toEqual([id]);
    reg.dispose();
  });

  it('reading a PDF leaves the process with its own JSON and Array.push (pdf.js polyfills are undone)', async () => {
    const natives = [JSON.parse, JSON.stringify, Array.prototype.push];
    expect(await extractPdfText(fakePdf('Tieude kiemtra'))).toContain('Tieude kiemtra');
    expect([JSON.parse, JSON.stringify, Array.prototype.push]).toEqual(natives);
    expect(Function.prototype.toString.call(JSON.stringify)).toContain('[native code]');
  });
});
