import { AppError } from '../../contract/errors';
import { openPdfJs, withinPdfJsTime } from '../pdf/layout/pdfjs';

export interface ExtractLimits {
  maxPages: number;
  maxChars: number;
  timeoutMs: number;
}

export const DEFAULT_EXTRACT_LIMITS: ExtractLimits = { maxPages: 300, maxChars: 1_000_000, timeoutMs: 30_000 };

/**
 * Full text of a PDF for search, via pdfjs-dist's legacy build (the modern one needs browser APIs).
 * Hostile input is bounded by pages, characters and wall time; eval and font loading are off.
 */
export async function extractPdfText(bytes: Uint8Array, limits: ExtractLimits = DEFAULT_EXTRACT_LIMITS): Promise<string> {
  const { task } = await openPdfJs({ data: new Uint8Array(bytes) });
  try {
    return await withinPdfJsTime((async () => {
      const doc = await task.promise;
      const parts: string[] = [];
      let chars = 0;
      const pages = Math.min(doc.numPages, limits.maxPages);
      for (let p = 1; p <= pages && chars < limits.maxChars; p++) {
        const page = await doc.getPage(p);
        const content = await page.getTextContent();
        for (const item of content.items) {
          if ('str' in item) {
            parts.push(item.str);
            chars += item.str.length + 1;
            if ('hasEOL' in item && item.hasEOL) parts.push('\n');
          }
        }
        parts.push('\n');
        page.cleanup();
      }
      await doc.destroy();
      return parts.join(' ').normalize('NFC').slice(0, limits.maxChars);
    })(), () => void task.destroy(), limits.timeoutMs);
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('PDF_INVALID', 'Tệp PDF không hợp lệ hoặc bị hỏng.', `text extraction: ${(e as Error).message}`, undefined, { cause: e });
  } finally {
    void task.destroy();
  }
}
