/**
 * The one way core opens a PDF with pdf.js (legacy build: the modern one needs browser APIs): loaded
 * once, with script evaluation and font loading off, and a wall-clock bound, because a hostile file can
 * keep pdf.js busy for as long as it likes.
 */
import { AppError } from '../../../contract/errors';

export type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
type DocumentParams = Parameters<PdfJs['getDocument']>[0] & object;

/** Longest pdf.js may work on one document for one caller before it is abandoned. */
export const PDFJS_TIMEOUT_MS = 30_000;

/** What every caller sets: no eval, no font loading, no console noise, read past errors. */
const SAFE_PARAMS = { isEvalSupported: false, disableFontFace: true, useSystemFonts: false, verbosity: 0, stopAtErrors: false } as const;

/**
 * pdf.js's legacy build carries core-js polyfills that replace `JSON.parse`, `JSON.stringify` and
 * `Array.prototype.push` for the whole realm when it (or its fake worker, with the first document) is
 * loaded. They are correct but orders of magnitude slower on large strings (a 2 MB JSON body took 0.8 s
 * instead of 5 ms: every bridge reply and register call after a PDF was read). Node 20's built-ins
 * already do what pdf.js needs, so they are put back after each step that may load pdf.js code. This
 * module is evaluated before pdf.js is first imported (it imports it lazily), so these are the originals.
 */
const BUILTINS = { parse: JSON.parse, stringify: JSON.stringify, push: Array.prototype.push };

export function restoreBuiltins(): void {
  if (JSON.parse !== BUILTINS.parse) JSON.parse = BUILTINS.parse;
  if (JSON.stringify !== BUILTINS.stringify) JSON.stringify = BUILTINS.stringify;
  // eslint-disable-next-line no-extend-native -- putting the native method back, not extending
  if (Array.prototype.push !== BUILTINS.push) Array.prototype.push = BUILTINS.push;
}

let lib: Promise<PdfJs> | null = null;

export function loadPdfJs(): Promise<PdfJs> {
  lib ??= import('pdfjs-dist/legacy/build/pdf.mjs').then((m) => { restoreBuiltins(); return m; });
  return lib;
}

/** Opens a document with the safe parameters added to the caller's source (data or range transport). */
export async function openPdfJs(source: Omit<DocumentParams, keyof typeof SAFE_PARAMS>): Promise<{ task: ReturnType<PdfJs['getDocument']>; lib: PdfJs }> {
  const pdfjs = await loadPdfJs();
  const task = pdfjs.getDocument({ ...source, ...SAFE_PARAMS });
  // The fake worker is imported with the first document: its polyfills go too.
  task.promise.then(restoreBuiltins, restoreBuiltins);
  return { task, lib: pdfjs };
}

/**
 * `work` bounded by the wall clock: past `ms` it is refused with PDF_INVALID and `abandon` runs (the
 * caller destroys its loading task, which stops pdf.js's work on that document). A file pdf.js cannot
 * read is refused with PDF_INVALID too.
 */
export async function withinPdfJsTime<T>(work: Promise<T>, abandon: () => void, ms = PDFJS_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      abandon();
      reject(new AppError('PDF_INVALID', 'Không đọc được nội dung tệp PDF (quá thời gian).', `pdf.js over ${ms} ms`));
    }, ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } catch (e) {
    // pdf.js names what it cannot read (InvalidPDFException, FormatError…): that is a damaged file for
    // the clerk, not an internal fault. Anything else stays what it is.
    const name = e instanceof Error ? e.name : '';
    if (/Exception$|^FormatError$/.test(name)) throw new AppError('PDF_INVALID', 'Tệp PDF bị hỏng hoặc sai cấu trúc, không đọc được nội dung.', `pdf.js: ${name}: ${(e as Error).message}`);
    throw e;
  } finally {
    clearTimeout(timer);
    restoreBuiltins();
  }
}
