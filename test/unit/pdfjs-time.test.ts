import { describe, expect, it } from 'vitest';
import { openPdfJs, withinPdfJsTime } from '../../src-main/core/pdf/layout/pdfjs';
import { extractLines } from '../../src-main/core/pdf/layout/text-lines';
import { makeSampleDocument } from '../../src-main/core/pdf/sign/index';

describe('pdf.js under a wall-clock bound', () => {
  it('gives up on work that never ends, in Vietnamese, and abandons the document', async () => {
    let abandoned = false;
    await expect(withinPdfJsTime(new Promise(() => {}), () => { abandoned = true; }, 20))
      .rejects.toMatchObject({ code: 'PDF_INVALID', vi: 'Không đọc được nội dung tệp PDF (quá thời gian).' });
    expect(abandoned).toBe(true);
  });

  it('lets work within the bound through untouched', async () => {
    let abandoned = false;
    await expect(withinPdfJsTime(Promise.resolve(7), () => { abandoned = true; }, 1_000)).resolves.toBe(7);
    expect(abandoned).toBe(false);
    const { pageCount, lines } = await extractLines(await makeSampleDocument({}), [0]);
    expect(pageCount).toBe(1);
    expect(lines.some((l) => l.text.startsWith('Số:'))).toBe(true);
  });

  it('names a file pdf.js cannot read as damaged (PDF_INVALID), and leaves other errors as they are', async () => {
    const corrupt = Buffer.concat([Buffer.from('%PDF-1.7\n1 0 obj\n<< /Type /Catalog'), Buffer.alloc(2000, 0x41)]);
    await expect(extractLines(corrupt, [0])).rejects.toMatchObject({ code: 'PDF_INVALID', vi: expect.stringContaining('bị hỏng') });
    const bug = new TypeError('x is undefined');
    await expect(withinPdfJsTime(Promise.reject(bug), () => {}, 1_000)).rejects.toBe(bug);
  });

  it('leaves the process with its own JSON and Array.push after opening a document (pdf.js polyfills undone)', async () => {
    const natives = [JSON.parse, JSON.stringify, Array.prototype.push];
    const { task } = await openPdfJs({ data: new Uint8Array(await makeSampleDocument({})) });
    const doc = await withinPdfJsTime(task.promise, () => void task.destroy(), 10_000);
    await doc.getPage(1);
    await doc.destroy();
    expect([JSON.parse, JSON.stringify, Array.prototype.push]).toEqual(natives);
    expect(Function.prototype.toString.call(JSON.stringify)).toContain('[native code]');
  });
});
