import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { digitize } from '../../src-main/core/scan/digitize';
import { ocrPages } from '../../src-main/core/scan/ocr';
import { cer, FONTS, scanOf, textPage, VIETNAMESE_TEXT } from './ocr-corpus';

const dir = mkdtempSync(join(tmpdir(), 'vanthu-ocr-test-'));
const reference = VIETNAMESE_TEXT.join(' ');
let cleanScan: string;
let sourcePdf: string;

beforeAll(async () => {
  sourcePdf = join(dir, 'source.pdf');
  writeFileSync(sourcePdf, await textPage(FONTS['Liberation Serif'], 12));
  cleanScan = scanOf(sourcePdf, 300, join(dir, 'clean.png'));
}, 60_000);

/** Words and their boxes (points, top-left origin) as poppler extracts them from a PDF's text. */
function words(pdf: string): Array<{ text: string; x: number; y: number }> {
  const html = execFileSync('pdftotext', ['-bbox', pdf, '-'], { encoding: 'utf8' });
  return [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">([^<]*)<\/word>/g)]
    .map((m) => ({ x: Number(m[1]), y: Number(m[2]), text: m[3]!.normalize('NFC') }));
}

describe('Vietnamese OCR (tesseract vie)', () => {
  it('character error rate per case: 3 fonts × 10–14 pt × 200/300 dpi with noise and skew; ≤ 3 % at 300 dpi', async () => {
    const cases: Array<{ font: keyof typeof FONTS; size: number; dpi: number; skew: number; png: string }> = [];
    for (const font of Object.keys(FONTS) as Array<keyof typeof FONTS>) {
      for (const size of font === 'Liberation Serif' ? [10, 12, 14] : [10, 14]) {
        const pdf = join(dir, `${font}-${size}.pdf`.replace(/ /g, '_'));
        writeFileSync(pdf, await textPage(FONTS[font], size));
        for (const dpi of [200, 300]) {
          const skew = (cases.length % 2 ? -1 : 1) * 0.6;
          cases.push({ font, size, dpi, skew, png: scanOf(pdf, dpi, pdf.replace(/\.pdf$/, `-${dpi}.png`), { noise: true, skewDeg: skew, topPt: 300 }) });
        }
      }
    }
    const t0 = Date.now();
    const results = await ocrPages(cases.map((c) => ({ kind: 'image' as const, bytes: readFileSync(c.png), dpi: c.dpi })));
    const table = cases.map((c, i) => ({ font: c.font, sizePt: c.size, dpi: c.dpi, skewDeg: c.skew, cer: Number(cer(reference, results[i]!.text).toFixed(4)) }));
    console.log(`OCR of ${cases.length} pages: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    mkdirSync('.tmp', { recursive: true });
    writeFileSync('.tmp/ocr-cer.json', `${JSON.stringify(table, null, 2)}\n`);
    console.log(['font | pt | dpi | skew | CER', ...table.map((r) => `${r.font} | ${r.sizePt} | ${r.dpi} | ${r.skewDeg}° | ${(r.cer * 100).toFixed(2)} %`)].join('\n'));
    for (const r of table) expect(r.cer, `${r.font} ${r.sizePt} pt ${r.dpi} dpi`).toBeLessThanOrEqual(r.dpi >= 300 ? 0.03 : 0.1);
  }, 900_000);

  it('adds an invisible text layer lined up with the words; the page looks exactly the same', async () => {
    const input = { name: 'clean.png', bytes: readFileSync(cleanScan) };
    const plain = await digitize([input]);
    const withText = await digitize([input], { ocr: true });
    expect(withText.report.conforms).toBe(true);
    expect(cer(reference, withText.pageTexts[0]!)).toBeLessThanOrEqual(0.03);
    const [a, b] = [join(dir, 'plain.pdf'), join(dir, 'ocr.pdf')];
    writeFileSync(a, plain.pdf);
    writeFileSync(b, withText.pdf);
    expect(words(a)).toEqual([]);
    // Visually identical: both rendered at 100 dpi, not one pixel differs.
    execFileSync('pdftoppm', ['-r', '100', '-png', '-singlefile', a, join(dir, 'ra')]);
    execFileSync('pdftoppm', ['-r', '100', '-png', '-singlefile', b, join(dir, 'rb')]);
    execFileSync('compare', ['-metric', 'AE', join(dir, 'ra.png'), join(dir, 'rb.png'), 'null:'], { stdio: ['ignore', 'ignore', 'pipe'] });
    // Aligned: each recognised word sits where the source PDF drew it (within 3 pt).
    const src = words(sourcePdf);
    const got = words(b);
    expect(got.length).toBeGreaterThan(src.length * 0.95);
    let matched = 0;
    for (const w of got) {
      const near = src.find((s) => s.text === w.text && Math.abs(s.x - w.x) <= 3 && Math.abs(s.y - w.y) <= 3);
      if (near) matched++;
    }
    expect(matched / src.length).toBeGreaterThan(0.95);
  }, 120_000);

  it('runs pages in parallel, keeps their order, reports each page, and stops when cancelled', async () => {
    const pages = await Promise.all(VIETNAMESE_TEXT.slice(0, 4).map(async (line, i) => {
      const pdf = join(dir, `line${i}.pdf`);
      writeFileSync(pdf, await textPage(FONTS['Liberation Sans'], 14, [line]));
      return { kind: 'image' as const, bytes: readFileSync(scanOf(pdf, 300, pdf.replace(/\.pdf$/, '.png'), { topPt: 120 })), dpi: 300 };
    }));
    const progress: number[] = [];
    const results = await ocrPages(pages, { concurrency: 2, onProgress: (p) => progress.push(p.done) });
    results.forEach((r, i) => expect(cer(VIETNAMESE_TEXT[i]!, r.text), `page ${i + 1}`).toBeLessThanOrEqual(0.03));
    expect(progress).toEqual([1, 2, 3, 4]);
    const abort = new AbortController();
    const run = ocrPages(pages, { signal: abort.signal, concurrency: 1, onProgress: () => abort.abort() });
    await expect(run).rejects.toMatchObject({ code: 'CONFLICT', data: { cancelled: true } });
  }, 120_000);
});
