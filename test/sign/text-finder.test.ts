import fontkit from '@cantoo/fontkit';
import { PDFDocument, PDFName, StandardFonts, type PDFFont } from '@cantoo/pdf-lib';
import { describe, expect, it } from 'vitest';
import { fontBytes } from '../../src-main/core/pdf/appearance/fonts';
import { findSignerBlock } from '../../src-main/core/pdf/layout/decree30';
import { issueBoxes } from '../../src-main/core/pdf/layout/placement';
import { extractLines, openPdfJsTextPages, openTextPages, type TextLine } from '../../src-main/core/pdf/layout/text-lines';
import { makeSampleDocument } from '../../src-main/core/pdf/sign/sample-document';
import { makeBasePdf } from '../fixtures-gen/base-pdf';

/**
 * The Decree-30 finder reads page text from the content stream (no pdf.js); pdf.js was the reader
 * before. On every fixture both must give the same lines, the same blanks after "Số:" and in the date
 * line, and the same signer block: the clerk gets the same placement as before.
 */
/** Equal, numbers within a tenth of a point (well under what a clerk or the blank finder can tell apart). */
function expectNear(actual: unknown, expected: unknown, path = '$'): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    if (Math.abs(actual - expected) > 0.1) expect.fail(`${path}: ${actual} vs ${expected}`);
    return;
  }
  if (expected && typeof expected === 'object' && actual && typeof actual === 'object') {
    expect(Object.keys(actual).sort(), path).toEqual(Object.keys(expected).sort());
    for (const k of Object.keys(expected)) expectNear((actual as Record<string, unknown>)[k], (expected as Record<string, unknown>)[k], `${path}.${k}`);
    return;
  }
  expect(actual, path).toEqual(expected);
}
const texts = (lines: TextLine[]) => lines.map((l) => `${l.page}|${l.text}`);

async function bothReaders(pdf: Uint8Array, pages?: number[]) {
  const [old, fresh] = await Promise.all([extractLines(pdf, pages, openPdfJsTextPages), extractLines(pdf, pages, openTextPages)]);
  return { old, fresh };
}

async function expectSamePlacement(pdf: Uint8Array, signerNames: string[]): Promise<void> {
  const { old, fresh } = await bothReaders(pdf);
  expect(fresh.pageCount).toBe(old.pageCount);
  expect(texts(fresh.lines)).toEqual(texts(old.lines));
  expectNear(fresh.lines.map((l) => [l.x0, l.x1, l.y, l.size]), old.lines.map((l) => [l.x0, l.x1, l.y, l.size]));
  const first = (ls: TextLine[]) => ls.filter((l) => l.page === 0);
  expectNear(issueBoxes(first(fresh.lines)), issueBoxes(first(old.lines)));
  // The seal and the leader's image are placed from the block's lines (signatureRectInBlock), not its characters.
  const block = (ls: TextLine[], name: string) => {
    const b = findSignerBlock(ls, name);
    return b && ({ page: b.page, title: [b.title.text, b.title.x0, b.title.x1, b.title.y, b.title.size], name: [b.name.text, b.name.x0, b.name.x1, b.name.y, b.name.size] });
  };
  for (const name of signerNames) expectNear(block(fresh.lines, name), block(old.lines, name));
}

/** Text drawn with raw operators the reader must follow: TJ kerning, Tc/Tw/Tz, rise, cm, a form XObject, a WinAnsi standard font. */
async function operatorDocument(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const vi = await doc.embedFont(fontBytes('regular'), { subset: true });
  const it = await doc.embedFont(fontBytes('italic'), { subset: true });
  const times = await doc.embedFont(StandardFonts.TimesRoman);
  const page = doc.addPage([595.28, 841.89]);
  const hex = (f: PDFFont, t: string) => f.encodeText(t).toString();
  const form = doc.context.register(doc.context.flateStream(
    `BT /V 14 Tf 0 0 Td ${hex(vi, 'PHÓ CHỦ TỊCH')} Tj 0 -100 Td ${hex(vi, 'Trần Thị Bình')} Tj ET`,
    { Type: 'XObject', Subtype: 'Form', BBox: [0, -120, 200, 20], Matrix: [1, 0, 0, 1, 380, 420], Resources: { Font: { V: vi.ref } } } as never,
  ));
  const content = [
    `BT /V 13 Tf 1 0 0 1 90 735 Tm [${hex(vi, 'Số:')} -3000 ${hex(vi, '/UBND-VP')}] TJ ET`,
    `BT /I 13 Tf 1 0 0 1 330 735 Tm 0.4 Tc ${hex(it, 'Hà Nội,')} Tj 0 Tc [${hex(it, 'ngày')} -1800 ${hex(it, 'tháng')} -2000 ${hex(it, 'năm 2026')}] TJ ET`,
    'q 1.2 0 0 1.2 60 560 cm BT /T 11 Tf 5 Tw 90 Tz (Noi nhan: - Nhu tren; - Luu VT) Tj ET Q',
    `BT /V 12 Tf 2 Ts 72 500 Td ${hex(vi, 'Căn cứ Nghị định số 30/2020/NĐ-CP')} Tj 0 Ts 14 TL T* ${hex(vi, 'về công tác văn thư;')} Tj ET`,
    '/Fm Do',
  ].join('\n');
  page.node.set(PDFName.of('Contents'), doc.context.register(doc.context.flateStream(content)));
  page.node.set(PDFName.of('Resources'), doc.context.obj({ Font: { V: vi.ref, I: it.ref, T: times.ref }, XObject: { Fm: form } }));
  return doc.save();
}

describe('Decree-30 text finder without pdf.js', () => {
  it('Đ13.2 finds the same blanks and signer block as pdf.js on the sample documents', async () => {
    await expectSamePlacement(await makeSampleDocument(), ['Nguyễn Văn An']);
    await expectSamePlacement(await makeSampleDocument({ pages: 3, classicXref: true, signerName: 'Trần Thị Bình', signerTitle: 'PHÓ CHỦ TỊCH', notation: 'UBND-VP', year: 2025 }), ['Trần Thị Bình']);
  });

  it('Đ13.2 agrees with pdf.js on the verifier fixtures (separate runs, object streams, form fields)', async () => {
    await expectSamePlacement(await makeBasePdf(), ['Nguyễn Văn An']);
    await expectSamePlacement(await makeBasePdf({ pages: 2, objectStreams: true, textField: { overBlank: true, value: 'ghi chú' } }), ['Nguyễn Văn An']);
  });

  it('agrees with pdf.js on text drawn through TJ kerning, spacing, scaling, rise, cm, a form XObject and a standard font', async () => {
    const pdf = await operatorDocument();
    await expectSamePlacement(pdf, ['Trần Thị Bình']);
    const { fresh } = await bothReaders(pdf);
    const boxes = issueBoxes(fresh.lines);
    // The TJ gap of 3000/1000 em at 13 pt is the blank after "Số:".
    expect(boxes.number!.width).toBeCloseTo(39, 0);
    expect(boxes.day && boxes.month && boxes.year).toBeTruthy();
    expect(findSignerBlock(fresh.lines, 'Trần Thị Bình')!.title.text).toBe('PHÓ CHỦ TỊCH');
  });

  it('reads a page whose font gives no /ToUnicode through pdf.js, with the same result', async () => {
    const doc = await PDFDocument.load(await makeSampleDocument());
    for (const [, obj] of doc.context.enumerateIndirectObjects()) {
      const dict = obj as unknown as { get?: (n: PDFName) => unknown; delete?: (n: PDFName) => void };
      if (typeof dict.get === 'function' && dict.get(PDFName.of('Subtype')) === PDFName.of('Type0')) dict.delete!(PDFName.of('ToUnicode'));
    }
    const pdf = await doc.save();
    const { old, fresh } = await bothReaders(pdf, [0]);
    expect(texts(fresh.lines)).toEqual(texts(old.lines));
  });

  it('a form that draws itself, over and over, ends within the page budget', async () => {
    const doc = await PDFDocument.create();
    doc.registerFontkit(fontkit);
    const vi = await doc.embedFont(fontBytes('regular'), { subset: true });
    const page = doc.addPage([595.28, 841.89]);
    const self = doc.context.nextRef();
    doc.context.assign(self, doc.context.flateStream(`BT /V 12 Tf 72 700 Td ${vi.encodeText('Số:').toString()} Tj ET /Fm Do /Fm Do`, {
      Type: 'XObject', Subtype: 'Form', BBox: [0, 0, 595, 842], Resources: { Font: { V: vi.ref }, XObject: { Fm: self } },
    } as never));
    page.node.set(PDFName.of('Contents'), doc.context.register(doc.context.flateStream('/Fm Do '.repeat(1000))));
    page.node.set(PDFName.of('Resources'), doc.context.obj({ XObject: { Fm: self } }));
    const { lines } = await extractLines(await doc.save(), [0], openTextPages);
    // 1000 draws of a form that would draw itself forever: each draw shows its one run once.
    expect(lines).toHaveLength(1);
    expect(lines[0]!.text).toBe('Số:'.repeat(1000));
  });
});
