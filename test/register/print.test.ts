import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream } from '@cantoo/pdf-lib';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BAO_CAO_COLUMNS, SO_DEN_COLUMNS, SO_DI_COLUMNS, THEO_DOI_COLUMNS } from '../../src-main/core/print/register-print';
import { incoming, outgoing, tempRegister } from './helpers';

function which(tool: string): void {
  try {
    execFileSync('which', [tool]);
  } catch {
    throw new Error(`${tool} is not installed: run bash native/install-system-packages.sh`);
  }
}

/** pdftotext in raw order, whitespace collapsed: column titles wrap inside their cells. */
function text(pdf: string, layout = false): string {
  which('pdftotext');
  return execFileSync('pdftotext', [...(layout ? ['-layout'] : []), pdf, '-'], { encoding: 'utf8' });
}
const flat = (s: string) => s.replace(/\s+/g, ' ');

function pdfFonts(pdf: string): string {
  which('pdffonts');
  return execFileSync('pdffonts', [pdf], { encoding: 'utf8' });
}

describe('printing registers', () => {
  it('Đ10.1 Sổ đăng ký văn bản đến: cover fields, the 10 columns, Vietnamese intact, subset font, landscape', async () => {
    const { reg, dir } = tempRegister();
    for (let i = 0; i < 60; i++) reg.registration.register(incoming({ Subject: `Về việc tăng cường công tác phòng, chống thiên tai và tìm kiếm cứu nạn năm 2026, đợt ${i + 1}`, OrganName: 'Ủy ban nhân dân tỉnh Ninh Bình' }));
    const out = join(dir, 'sổ đến.pdf');
    const r = await reg.printing.print({ kind: 'so-den', year: 2026, out, quyenSo: 2 });
    expect(r.rows).toBe(60);
    expect(r.pages).toBeGreaterThan(3);
    const all = flat(text(out));
    for (const s of ['ỦY BAN NHÂN DÂN TỈNH NINH BÌNH', 'ỦY BAN NHÂN DÂN XÃ YÊN KHÁNH', 'SỔ ĐĂNG KÝ VĂN BẢN ĐẾN', 'Năm: 2026', 'Từ ngày 10/03/2026 đến ngày 10/03/2026', 'Từ số 01 đến số 60', 'Quyển số: 2']) {
      expect(all).toContain(s);
    }
    expect(SO_DEN_COLUMNS).toHaveLength(10);
    for (const c of SO_DEN_COLUMNS) expect(all).toContain(c.title);
    expect(all).toContain('phòng, chống thiên tai và tìm kiếm cứu nạn');
    // The header row is repeated on every table page, and every page is numbered.
    const pages = text(out).split('\f').filter((p) => p.trim()).slice(1);
    expect(pages).toHaveLength(r.pages - 1);
    pages.forEach((p, i) => {
      expect(flat(p)).toContain('Tên loại và trích yếu nội dung');
      expect(flat(p)).toContain(`Trang ${i + 1}/${pages.length}`);
      expect(flat(p)).toContain('In từ hệ thống vanthu');
    });
    // Embedded (emb = yes) and subset: the whole file is smaller than one full font file.
    expect(pdfFonts(out)).toMatch(/LiberationSerif\S*\s+CID TrueType\s+Identity-H\s+yes/);
    expect(statSync(out).size).toBeLessThan(statSync('/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf').size / 2);
    which('pdfinfo');
    expect(execFileSync('pdfinfo', [out], { encoding: 'utf8' })).toMatch(/Page size:\s+841\.89 x 595\.28/);
  });

  it('Đ10.1 a table page is one compressed stream naming its two fonts once, whatever its number of cells', async () => {
    const { reg, dir } = tempRegister();
    for (let i = 0; i < 40; i++) reg.registration.register(incoming({ Subject: `Về việc\tthử ký tự\u0085đặc biệt ${i + 1}` }));
    const out = join(dir, 'den.pdf');
    const r = await reg.printing.print({ kind: 'so-den', year: 2026, out });
    const doc = await PDFDocument.load(readFileSync(out));
    const tables = doc.getPages().slice(1);
    expect(tables).toHaveLength(r.pages - 1);
    for (const page of tables) {
      const fonts = page.node.Resources()!.lookup(PDFName.of('Font'), PDFDict);
      expect(fonts.keys().map(String).sort()).toEqual(['/F1', '/F2']);
      const contents = page.node.Contents() as PDFArray;
      expect(contents.size()).toBe(1);
      expect(String(contents.lookup(0, PDFRawStream).dict.get(PDFName.of('Filter')))).toBe('/FlateDecode');
    }
    // pdf-lib's clean-up of a shown line is kept: a tab shows as spaces, U+0085 too.
    expect(flat(text(out))).toContain('Về việc thử ký tự đặc biệt 1');
  });

  it('Đ13.3 Sổ đăng ký văn bản đi with its 10 columns and the recipients', async () => {
    const { reg, dir } = tempRegister();
    reg.registration.register(outgoing({ SignerInfo: { Position: 'Chủ tịch', FullName: 'Đỗ Mạnh Hùng' }, To: [{ OrganName: 'Sở Nội vụ' }, { OrganName: 'Sở Tài chính' }], IssuedAmount: 3, FileCopyHolder: 'Văn phòng' }));
    const out = join(dir, 'di.pdf');
    await reg.printing.print({ kind: 'so-di', year: 2026, out });
    const all = flat(text(out));
    expect(SO_DI_COLUMNS).toHaveLength(10);
    for (const c of SO_DI_COLUMNS) expect(all).toContain(c.title);
    for (const s of ['SỔ ĐĂNG KÝ VĂN BẢN ĐI', '01/UBND-VP', 'Chủ tịch Đỗ Mạnh Hùng', 'Sở Nội vụ; Sở Tài chính']) expect(all).toContain(s);
  });

  it('Đ11.1, Đ12.2 Sổ theo dõi giải quyết and the báo cáo tình hình giải quyết', async () => {
    const { reg, dir, clock } = tempRegister();
    const a = reg.registration.register(incoming({ DueDate: '2026-03-12' })).document;
    reg.handling.transition(a.id, 'assign', { assignments: [{ role: 'chu_tri', unit: 'Phòng Tư pháp' }, { role: 'phoi_hop', unit: 'Văn phòng' }], DueDate: '2026-03-12' });
    reg.handling.transition(a.id, 'complete', { note: '30/UBND-TP' });
    reg.registration.register(incoming({ DueDate: '2026-03-11' }));
    clock.set('2026-03-20T09:00:00+07:00');
    const follow = join(dir, 'theo-doi.pdf');
    await reg.printing.print({ kind: 'theo-doi', year: 2026, out: follow });
    const f = flat(text(follow));
    for (const c of THEO_DOI_COLUMNS) expect(f).toContain(c.title);
    for (const s of ['SỔ THEO DÕI GIẢI QUYẾT VĂN BẢN ĐẾN', '30/UBND-TP', 'Chủ trì: Phòng Tư pháp; Phối hợp: Văn phòng', '12/03/2026', 'Hoàn thành', 'Đã vào sổ (quá hạn)']) expect(f).toContain(s);
    const report = join(dir, 'bao-cao.pdf');
    await reg.printing.print({ kind: 'bao-cao-den', year: 2026, out: report });
    const b = flat(text(report));
    for (const c of BAO_CAO_COLUMNS) expect(b).toContain(c.title);
    expect(b).toContain('BÁO CÁO TÌNH HÌNH GIẢI QUYẾT VĂN BẢN ĐẾN');
    expect(b).toContain('Tổng số: 2 — Đã giải quyết/phát hành: 1 — Đang giải quyết: 1 — Quá hạn: 1');
    expect(reg.audit.trail({ entity: 'book' }).filter((r) => r.action === 'book.print')).toHaveLength(2);
  });
});
