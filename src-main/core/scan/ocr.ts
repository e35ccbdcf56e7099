import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from '@cantoo/pdf-lib';
import { cancelled, requireSuccess, runTool } from './run-tool';

/** Tesseract's Vietnamese model; `eng` by mistake costs ~20 % of characters (docs/digitization.md §4). */
export const OCR_LANGUAGE = 'vie';
/** Resolution PDF pages are rendered at for recognition (imported pages carry no single image dpi). */
export const OCR_RENDER_DPI = 300;

export type OcrPageInput =
  | { kind: 'image'; bytes: Buffer; dpi: number }
  | { kind: 'pdf'; doc: PDFDocument; index: number };

export interface OcrPageResult {
  /** NFC text of the page, lines kept. */
  text: string;
  /** One-page PDF holding only the invisible text, laid over the page by the assembler. */
  textPdf: Buffer;
}

export interface OcrProgress { page: number; pageCount: number; done: number }

/**
 * Recognises one page image with tesseract: its text, and a text-only PDF (tesseract's own invisible
 * text layer, GlyphLessFont, word boxes from the recogniser) that lines up with the words because it is
 * laid over the page scaled to the same box. One thread per process: we parallelise across pages.
 */
export async function ocrImage(image: Buffer, dpi: number, signal?: AbortSignal): Promise<OcrPageResult> {
  const dir = mkdtempSync(join(tmpdir(), 'vanthu-ocr-'));
  try {
    const input = join(dir, 'page');
    writeFileSync(input, image);
    const r = await runTool('tesseract', [input, join(dir, 'out'), '-l', OCR_LANGUAGE, '--dpi', String(Math.round(dpi)), '-c', 'textonly_pdf=1', 'txt', 'pdf'], {
      signal, env: { ...process.env, OMP_THREAD_LIMIT: '1' },
    });
    requireSuccess('tesseract', r, 'Không nhận dạng được chữ trên trang (OCR).');
    return { text: readFileSync(join(dir, 'out.txt'), 'utf8').normalize('NFC'), textPdf: readFileSync(join(dir, 'out.pdf')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A page of an imported PDF rendered to PNG at OCR_RENDER_DPI. */
async function renderPage(doc: PDFDocument, index: number, signal?: AbortSignal): Promise<Buffer> {
  const one = await PDFDocument.create();
  one.addPage((await one.copyPages(doc, [index]))[0]!);
  const dir = mkdtempSync(join(tmpdir(), 'vanthu-render-'));
  try {
    writeFileSync(join(dir, 'in.pdf'), await one.save());
    const r = await runTool('pdftoppm', ['-r', String(OCR_RENDER_DPI), '-png', '-singlefile', join(dir, 'in.pdf'), join(dir, 'out')], { signal });
    requireSuccess('pdftoppm', r, 'Không dựng được hình trang PDF để nhận dạng chữ.');
    return readFileSync(join(dir, 'out.png'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** How many recognisers run at once: one per core the machine offers. */
export const ocrConcurrency = (): number => Math.max(1, availableParallelism());

/**
 * OCR of many pages, up to `ocrConcurrency()` at a time (each a child process, so the calling thread
 * stays free). Results keep page order; progress reports each finished page.
 */
export async function ocrPages(pages: readonly OcrPageInput[], opts: { signal?: AbortSignal; onProgress?: (p: OcrProgress) => void; concurrency?: number } = {}): Promise<OcrPageResult[]> {
  const results: OcrPageResult[] = new Array(pages.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < pages.length) {
      if (opts.signal?.aborted) throw cancelled('ocr');
      const i = next++;
      const p = pages[i]!;
      const image = p.kind === 'image' ? p.bytes : await renderPage(p.doc, p.index, opts.signal);
      results[i] = await ocrImage(image, p.kind === 'image' ? p.dpi : OCR_RENDER_DPI, opts.signal);
      opts.onProgress?.({ page: i + 1, pageCount: pages.length, done: ++done });
    }
  };
  const n = Math.min(opts.concurrency ?? ocrConcurrency(), pages.length);
  await Promise.all(Array.from({ length: n }, worker));
  return results;
}
