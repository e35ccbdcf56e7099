/**
 * Digitising at 300 dpi A4 colour: pages per minute for image → PDF → check → Vietnamese OCR, with the
 * OCR spread over the cores (one tesseract per core), and pages per minute without OCR; then the peak
 * memory (max RSS) of a fresh process assembling and checking a 100-page document (VANTHU_BENCH_PAGES),
 * so the figure is the pipeline's, not the bench's. The agency signature is measured by `bench sign`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { digitize } from '../src-main/core/scan/digitize';
import { FONTS, textPage } from '../test/scan/ocr-corpus';
import { figure } from './stats';

/** A scanner-like page: the Vietnamese text page rendered at 300 dpi, colour JPEG (quality 85) tagged 300 dpi. */
async function a4Scan(dir: string): Promise<Buffer> {
  const pdf = join(dir, 'page.pdf');
  writeFileSync(pdf, await textPage(FONTS['Liberation Serif'], 12));
  execFileSync('pdftoppm', ['-r', '300', '-png', '-singlefile', pdf, join(dir, 'page')]);
  execFileSync('convert', [join(dir, 'page.png'), '-define', 'png:color-type=2', '-type', 'TrueColor', '-quality', '85', '-density', '300', '-units', 'PixelsPerInch', join(dir, 'page.jpg')]);
  return readFileSync(join(dir, 'page.jpg'));
}

const CHILD = 'VANTHU_DIGITIZE_BENCH_CHILD';

if (process.env[CHILD]) {
  // The memory run: one process, nothing else loaded; prints its own peak.
  const [file, count] = process.env[CHILD]!.split('|');
  const page = readFileSync(file!);
  const r = await digitize(Array.from({ length: Number(count) }, (_, i) => ({ name: `p${i}.jpg`, bytes: page })));
  if (!r.report.conforms) throw new Error(r.report.summaryVi);
  process.stdout.write(`${JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS, bytes: r.pdf.length })}\n`);
}

export default async function bench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vanthu-bench-digitize-'));
  try {
    const page = await a4Scan(dir);
    const cores = availableParallelism();
    const ocrPages = 2 * cores;
    const input = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `p${i}.jpg`, bytes: page }));

    let t = performance.now();
    const withOcr = await digitize(input(ocrPages), { ocr: true });
    const ocrMs = performance.now() - t;
    if (!withOcr.report.conforms || !withOcr.pageTexts.every((s) => s.includes('Ủy ban nhân dân'))) throw new Error('bench pages did not digitise as expected');
    figure('pages/min with OCR', (ocrPages / ocrMs) * 60_000, { unit: 'count', note: `${ocrPages} A4 pages, 300 dpi colour, ${cores} cores` });

    const plainPages = 20;
    t = performance.now();
    await digitize(input(plainPages));
    figure('pages/min without OCR', (plainPages / (performance.now() - t)) * 60_000, { unit: 'count', note: `${plainPages} pages: image → PDF → check` });

    const hundred = Number(process.env.VANTHU_BENCH_PAGES ?? 100);
    writeFileSync(join(dir, 'page.jpg'), page);
    const peak = (n: number) => {
      const child = spawnSync(process.execPath, ['--import', 'tsx', import.meta.filename], { env: { ...process.env, [CHILD]: `${join(dir, 'page.jpg')}|${n}` }, encoding: 'utf8', maxBuffer: 1 << 20 });
      if (child.status !== 0) throw new Error(`memory run failed: ${child.stderr}`);
      return JSON.parse(child.stdout.trim().split('\n').pop()!) as { maxRssKiB: number; bytes: number };
    };
    figure('peak memory, 1 page (process floor)', peak(1).maxRssKiB / 1024, { unit: 'MiB' });
    const big = peak(hundred);
    figure(`peak memory, ${hundred} pages (no OCR)`, big.maxRssKiB / 1024, { unit: 'MiB', floor: 'peak memory, 1 page (process floor)', note: `output ${(big.bytes / 1024 / 1024).toFixed(0)} MiB, image ${(page.length / 1024).toFixed(0)} KiB a page` });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
