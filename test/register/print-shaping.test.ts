import fontkit from '@cantoo/fontkit';
import { PDFDocument } from '@cantoo/pdf-lib';
import { describe, expect, it } from 'vitest';
import { loadSerifFont, shapeWordsOnce } from '../../src-main/core/print/fonts';

const TEXTS = [
  'Quyết định về việc khen thưởng Đặng Thị Hằng',
  '  hai  dấu cách  giữa   các từ ',
  'Ủy ban nhân dân tỉnh Ninh Bình — Sở Nông nghiệp và Môi trường',
  'ffi fl Tr Ty AV 1/2026/QĐ-UBND (1) (10) …',
  'x\ty',
  '',
];

async function encoder(weight: 'Regular' | 'Bold', shaped: boolean) {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(loadSerifFont(weight));
  if (shaped) shapeWordsOnce(font, weight);
  return font;
}

describe('printing shapes each word once', () => {
  it('gives the glyphs and widths of shaping the whole text, for both weights, twice over', async () => {
    for (const weight of ['Regular', 'Bold'] as const) {
      const plain = await encoder(weight, false);
      for (let round = 0; round < 2; round++) {
        const fast = await encoder(weight, true);
        for (const text of TEXTS) {
          expect([weight, text, fast.encodeText(text).toString()]).toEqual([weight, text, plain.encodeText(text).toString()]);
          expect(fast.widthOfTextAtSize(text, 9)).toBeCloseTo(plain.widthOfTextAtSize(text, 9), 9);
        }
      }
    }
  });
});
