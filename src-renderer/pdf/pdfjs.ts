// The package entry is build/pdf.mjs (the modern build; Chromium runs it natively).
import { GlobalWorkerOptions, getDocument, type PDFDocumentProxy } from 'pdfjs-dist';
// Bundled by Vite as a worker chunk (.js) served from our own origin: the CSP allows 'self' scripts
// only (no blob: workers, no eval), and a .js name gets a JavaScript MIME type from any static server.
import workerUrl from 'pdfjs-dist/build/pdf.worker.mjs?worker&url';

GlobalWorkerOptions.workerSrc = workerUrl;

/** Largest page bitmap we draw, in pixels per side (a hostile MediaBox must not exhaust memory). */
const MAX_CANVAS_SIDE = 4096;

export interface RenderedPage {
  /** Page size in PDF points (crop box, as viewers show it). */
  widthPt: number;
  heightPt: number;
  /** CSS pixels per point. */
  scale: number;
  pageCount: number;
}

/** Opens PDF bytes in pdf.js with eval off (CSP) and no network access. */
export function openPdf(bytes: Uint8Array): Promise<PDFDocumentProxy> {
  // pdf.js transfers (detaches) the buffer it is given: pass a copy so the caller keeps its bytes.
  return getDocument({ data: bytes.slice(), isEvalSupported: false, enableXfa: false, disableAutoFetch: true, stopAtErrors: false }).promise;
}

/** Draws one 0-based page into the canvas at a width of `cssWidth` pixels. */
export async function renderPageInto(doc: PDFDocumentProxy, pageIndex: number, canvas: HTMLCanvasElement, cssWidth: number): Promise<RenderedPage> {
  const page = await doc.getPage(Math.min(Math.max(pageIndex, 0), doc.numPages - 1) + 1);
  const base = page.getViewport({ scale: 1 });
  const scale = cssWidth / base.width;
  const ratio = Math.min(window.devicePixelRatio || 1, 2);
  const pixelScale = Math.min(scale * ratio, MAX_CANVAS_SIDE / Math.max(base.width, base.height));
  const viewport = page.getViewport({ scale: pixelScale });
  canvas.width = Math.floor(viewport.width);
  canvas.height = Math.floor(viewport.height);
  canvas.style.width = `${Math.floor(base.width * scale)}px`;
  canvas.style.height = `${Math.floor(base.height * scale)}px`;
  await page.render({ canvas, viewport }).promise;
  return { widthPt: base.width, heightPt: base.height, scale, pageCount: doc.numPages };
}
