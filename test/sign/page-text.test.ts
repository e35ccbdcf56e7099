/**
 * The content-stream text reader (core/pdf/layout/content-text.ts) and its fonts (text-fonts.ts) on a
 * hand-made page: a simple font with /Differences (a fractional and an out-of-range code among them,
 * as a hostile file may write), a MacRoman font without widths, a Type0 font with /W and a /ToUnicode
 * bfrange array, and a form XObject that draws itself.
 */
import { describe, expect, it } from 'vitest';
import { pages } from '../../src-main/core/pdf/parse/acroform';
import { PdfFile } from '../../src-main/core/pdf/parse/document';
import { pageText } from '../../src-main/core/pdf/layout/content-text';
import { rawPdf } from '../fixtures-gen/hostile';

const stream = (dict: string, data: string) => `<<${dict} /Length ${data.length}>>\nstream\n${data}\nendstream`;

const cmap = [
  '/CIDInit /ProcSet findresource begin 12 dict begin begincmap',
  '1 begincodespacerange <0000> <FFFF> endcodespacerange',
  '2 beginbfrange <0001> <0002> [<0053> <1ED1>] <0003> <0004> <0041> endbfrange',
  'endcmap CMapName currentdict /CMap defineresource pop end end',
].join('\n');

const page = 'BT /F1 10 Tf 100 700 Td (ABC) Tj ET BT /F2 12 Tf 100 650 Td (\\216) Tj ET BT /F3 20 Tf 100 600 Td <0001000200030005> Tj ET q 2 0 0 2 0 0 cm /Fm0 Do Q';
const form = 'BT /F1 10 Tf 0 10 Td (A) Tj ET /Fm0 Do';

function file(): PdfFile {
  return new PdfFile(rawPdf([
    '<</Type /Catalog /Pages 2 0 R>>',
    '<</Type /Pages /Kids [3 0 R] /Count 1>>',
    '<</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources <</Font <</F1 5 0 R /F2 6 0 R /F3 7 0 R>> /XObject <</Fm0 10 0 R>>>> /Contents 4 0 R>>',
    stream('', page),
    '<</Type /Font /Subtype /Type1 /BaseFont /Times-Roman /FirstChar 65 /Widths [500 600 700] /Encoding <</BaseEncoding /WinAnsiEncoding /Differences [65 /colon /uni1EA1 3.5 /slash 300 /zero]>>>>',
    '<</Type /Font /Subtype /Type1 /BaseFont /Times-Roman /Encoding /MacRomanEncoding>>',
    '<</Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-H /DescendantFonts [8 0 R] /ToUnicode 9 0 R>>',
    '<</Type /Font /Subtype /CIDFontType2 /BaseFont /X /W [1 [400 500] 3 4 600] /DW 1000>>',
    stream('', cmap),
    stream('/Type /XObject /Subtype /Form /BBox [0 0 100 100] /Matrix [1 0 0 1 50 0] /Resources <</Font <</F1 5 0 R>> /XObject <</Fm0 10 0 R>>>>', form),
  ]));
}

describe('page text from the content stream', () => {
  const f = file();
  const text = pageText(f, pages(f, f.lastRevision)[0]!.dict);

  it('reads a simple font through /Differences and its /Widths; codes no byte can show are ignored', () => {
    const run = text.runs[0]!;
    expect(run.str).toBe(':ạC');
    expect(run).toMatchObject({ x: 100, y: 700, size: 10 });
    expect(run.width).toBeCloseTo(18, 6);
    expect(run.chars.map((c) => c.x0)).toEqual([100, 105, 111]);
  });

  it('reads a MacRoman font without widths with Times metrics', () => {
    const run = text.runs[1]!;
    expect(run.str).toBe('é');
    expect(run.width).toBeGreaterThan(3);
    expect(run.width).toBeLessThan(9);
  });

  it('reads a Type0 font through /W and a /ToUnicode bfrange array, counting the code it does not map', () => {
    const run = text.runs[2]!;
    expect(run.str).toBe('SốA');
    expect(run.width).toBeCloseTo(20 * (0.4 + 0.5 + 0.6), 6);
    expect(text.unmapped).toBe(1);
  });

  it('draws a form inside the CTM and its /Matrix, once even when it draws itself', () => {
    expect(text.runs).toHaveLength(4);
    expect(text.runs[3]).toMatchObject({ str: ':', x: 100, y: 20, size: 20 });
  });
});
