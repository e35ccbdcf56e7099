/**
 * The verifier's reading of scanned pages (core/verify/scan-page.ts) on hand-made pages: paper-white
 * under a widget is blank, ink is not, a page that also paints text or paths is not a scan, and an image
 * that cannot be decoded (corrupt JPEG, an unknown filter, a hostile size) counts as ink, without a crash.
 */
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { pages } from '../../src-main/core/pdf/parse/acroform';
import { PdfFile } from '../../src-main/core/pdf/parse/document';
import { PdfDict } from '../../src-main/core/pdf/parse/objects';
import { INK_LEVEL, ScanJudge } from '../../src-main/core/verify/scan-page';
import { rawPdf } from '../fixtures-gen/hostile';

const W = 60, H = 80;
/** A 60 × 80 px RGB scan, white, with a dark block at px (10..30, 10..20) from the top left. */
function pixels(): Buffer {
  const px = Buffer.alloc(W * H * 3, 250);
  for (let y = 10; y < 20; y++) for (let x = 10; x < 30; x++) px.fill(INK_LEVEL - 100, (y * W + x) * 3, (y * W + x) * 3 + 3);
  return px;
}

/** One page 600 × 800 pt with the image drawn over all of it (10 pt a pixel), and `extra` content after. */
function scanPage(image: { dict: string; data: Buffer }, extra = ''): PdfFile {
  const content = `q 600 0 0 800 0 0 cm /Im0 Do Q ${extra}`;
  return new PdfFile(rawPdf([
    '<</Type /Catalog /Pages 2 0 R>>',
    '<</Type /Pages /Kids [3 0 R] /Count 1>>',
    '<</Type /Page /Parent 2 0 R /MediaBox [0 0 600 800] /Resources <</XObject <</Im0 5 0 R>>>> /Contents 4 0 R>>',
    `<</Length ${content.length}>>\nstream\n${content}\nendstream`,
    Buffer.concat([Buffer.from(`<<${image.dict} /Length ${image.data.length}>>\nstream\n`, 'latin1'), image.data, Buffer.from('\nendstream')]),
  ]));
}

const flate = (): { dict: string; data: Buffer } => ({ dict: `/Type /XObject /Subtype /Image /Width ${W} /Height ${H} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /FlateDecode`, data: deflateSync(pixels()) });
const judge = (file: PdfFile, rect: { x: number; y: number; width: number; height: number }) =>
  new ScanJudge(file).judge(pages(file, 0)[0]!.dict, 0, 0, rect, new PdfDict(new Map(), 0, 0), 0);

describe('widgets over scanned pages', () => {
  it('paper-white pixels under the widget are blank space; the dark block is ink', () => {
    const file = scanPage(flate());
    // The block: px x 10..30, y 10..20 from the top → pt x 100..300, y 600..700 from the bottom.
    expect(judge(file, { x: 350, y: 100, width: 200, height: 100 })).toBe('blank');
    expect(judge(file, { x: 150, y: 620, width: 100, height: 60 })).toBe('ink');
    // Touching the block by less than the edge tolerance is still blank.
    expect(judge(file, { x: 299, y: 500, width: 100, height: 300 })).toBe('blank');
  });

  it('a page that also paints visible text or a path is not a scan; invisible (OCR) text does not count', () => {
    expect(judge(scanPage(flate(), 'BT /F1 12 Tf 10 10 Td (x) Tj ET'), { x: 350, y: 100, width: 200, height: 100 })).toBe('not-scan');
    expect(judge(scanPage(flate(), '0 0 10 10 re f'), { x: 350, y: 100, width: 200, height: 100 })).toBe('not-scan');
    expect(judge(scanPage(flate(), 'BT 3 Tr /F1 12 Tf 10 10 Td (x) Tj ET'), { x: 350, y: 100, width: 200, height: 100 })).toBe('blank');
  });

  it('an image it cannot read counts as ink: corrupt JPEG, unknown filter, a size beyond the bound', () => {
    const dict = (filter: string, w = W, h = H) => `/Type /XObject /Subtype /Image /Width ${w} /Height ${h} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /${filter}`;
    const rect = { x: 350, y: 100, width: 200, height: 100 };
    expect(judge(scanPage({ dict: dict('DCTDecode'), data: Buffer.from([0xff, 0xd8, 0xff, 0xc0, 0, 0x11, 8, 0xff, 0xff, 0xff, 0xff, 3, 1, 0x22, 0]) }), rect)).toBe('ink');
    expect(judge(scanPage({ dict: dict('JBIG2Decode'), data: Buffer.from('x') }), rect)).toBe('ink');
    expect(judge(scanPage({ dict: dict('FlateDecode', 100_000, 100_000), data: deflateSync(Buffer.alloc(10)) }), rect)).toBe('ink');
    // Rows missing at the end: not enough samples for the size it claims.
    expect(judge(scanPage({ dict: dict('FlateDecode'), data: deflateSync(pixels().subarray(0, 100)) }), rect)).toBe('ink');
  });
});
