import { AppError } from '../../contract/errors';

export interface ExtractLimits {
  maxPages: number;
  maxChars: number;
  timeoutMs: number;
}

export const DEFAULT_EXTRACT_LIMITS: ExtractLimits = { maxPages: 300, maxChars: 1_000_000, timeoutMs: 30_000 };

/**
 * pdf.js's legacy build carries core-js polyfills that replace `JSON.parse`, `JSON.stringify` and
 * `Array.prototype.push` for the whole realm when it (or its fake worker) is first loaded; the
 * replacements are correct but orders of magnitude slower on large strings (a 2 MB JSON body took
 * 0.8 s instead of 5 ms, which made every package the exchange fetched after a PDF was indexed slow).
 * Node 20's own built-ins already do what pdf.js needs, so they are put back after pdf.js ran.
 */
const BUILTINS = { parse: JSON.parse, stringify: JSON.stringify, push: Array.prototype.push };

export function restoreBuiltins(): void {
  if (JSON.parse !== BUILTINS.parse) JSON.parse = BUILTINS.parse;
  if (JSON.stringify !== BUILTINS.stringify) JSON.stringify = BUILTINS.stringify;
  // eslint-disable-next-line no-extend-native -- putting the native method back, not extending
  if (Array.prototype.push !== BUILTINS.push) Array.prototype.push = BUILTINS.push;
}

/**
 * Full text of a PDF for search, via pdfjs-dist's legacy build (the modern one needs browser APIs).
 * Hostile input is bounded by pages, characters and wall time; eval and font loading are off.
 */
export async function extractPdfText(bytes: Uint8Array, limits: ExtractLimits = DEFAULT_EXTRACT_LIMITS): Promise<string> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  restoreBuiltins();
  const task = pdfjs.getDocument({
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    stopAtErrors: false,
    verbosity: 0,
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AppError('PDF_INVALID', 'Không đọc được nội dung tệp PDF (quá thời gian).', 'text extraction timed out')), limits.timeoutMs);
  });
  try {
    return await Promise.race([
      (async () => {
        const doc = await task.promise;
        // The fake worker is imported with the first document: its polyfills go too.
        restoreBuiltins();
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
      })(),
      timeout,
    ]);
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('PDF_INVALID', 'Tệp PDF không hợp lệ hoặc bị hỏng.', `text extraction: ${(e as Error).message}`, undefined, { cause: e });
  } finally {
    clearTimeout(timer);
    void task.destroy();
    restoreBuiltins();
  }
}
