import { PDFDocument } from '@cantoo/pdf-lib';
import { AppError } from '../../contract/errors';
import type { ConformanceReportDto } from '../../contract/scan';
import { assemblePdf, placementDpi, type PageSource } from './assemble';
import { checkConformance } from './conformance';
import { asJpeg, readImageFile, sniff } from './images';
import { ocrPages, type OcrPageInput, type OcrProgress } from './ocr';

export interface InputFile { name: string; bytes: Buffer }

export interface DigitizeOptions {
  /** Resolution for images that declare none (`--dpi`). */
  fallbackDpi?: number;
  /** Store lossless colour images as JPEG at this quality (colour photos); default: as they are. */
  jpegQuality?: number;
  ocr?: boolean;
  signal?: AbortSignal;
  onOcrProgress?: (p: OcrProgress) => void;
  /** Page order, rotation and deletion chosen by the clerk: indexes into the expanded pages. */
  arrangement?: ReadonlyArray<{ index: number; rotate: number }>;
}

export interface DigitizeResult {
  pdf: Buffer;
  report: ConformanceReportDto;
  /** Recognised text per page (empty strings without OCR), for the register's full-text index. */
  pageTexts: string[];
}

/** Every page the inputs hold, in order: one per image (a TIFF may hold several), every page of a PDF. */
export async function expandPages(inputs: readonly InputFile[], signal?: AbortSignal, jpegQuality?: number): Promise<PageSource[]> {
  const pages: PageSource[] = [];
  for (const f of inputs) {
    if (sniff(f.bytes) === 'pdf') {
      let doc: PDFDocument;
      try {
        doc = await PDFDocument.load(f.bytes, { updateMetadata: false });
      } catch (e) {
        throw new AppError('PDF_INVALID', `Tệp "${f.name}" không phải PDF đọc được hoặc đã bị mã hóa.`, `import ${f.name}: ${(e as Error).message}`);
      }
      for (let i = 0; i < doc.getPageCount(); i++) pages.push({ kind: 'pdf', name: f.name, doc, index: i });
    } else {
      for (const read of await readImageFile(f.bytes, f.name, signal)) {
        const image = jpegQuality ? await asJpeg(read, jpegQuality, f.name, signal) : read;
        pages.push({ kind: 'image', name: f.name, image });
      }
    }
  }
  return pages;
}

/**
 * Scan or import → one PDF at 100 % → (OCR text layer) → conformance report. The output is not written
 * anywhere: callers store it (workspace, -o file) and record its provenance.
 */
export async function digitize(inputs: readonly InputFile[], opts: DigitizeOptions = {}): Promise<DigitizeResult> {
  const all = await expandPages(inputs, opts.signal, opts.jpegQuality);
  const pages = opts.arrangement
    ? opts.arrangement.map(({ index, rotate }) => {
      const p = all[index];
      if (!p) throw new AppError('INPUT_INVALID', 'Thứ tự trang không hợp lệ.', `arrangement names page ${index} of ${all.length}`);
      return { ...p, rotate };
    })
    : all;
  let textLayers: Array<Buffer | null> | undefined;
  let pageTexts = pages.map(() => '');
  if (opts.ocr) {
    const inputs: OcrPageInput[] = pages.map((p) => p.kind === 'image'
      ? { kind: 'image', bytes: p.image.source, dpi: placementDpi(p.image, p.name, opts.fallbackDpi).x }
      : { kind: 'pdf', doc: p.doc, index: p.index });
    const results = await ocrPages(inputs, { signal: opts.signal, onProgress: opts.onOcrProgress });
    textLayers = results.map((r) => r.textPdf);
    pageTexts = results.map((r) => r.text);
  }
  const pdf = await assemblePdf(pages, { fallbackDpi: opts.fallbackDpi, textLayers });
  return { pdf, report: checkConformance(pdf), pageTexts };
}
