import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { PDFDocumentProxy } from 'pdfjs-dist';
import { t } from '../i18n';
import { openPdf, renderPageInto, type RenderedPage } from './pdfjs';

/**
 * One page of a PDF drawn with pdf.js in the renderer, at a fixed CSS width. `overlay` receives the
 * page geometry so callers can place boxes over it in PDF points; `onPages` the page count of the file
 * once it is open (a pager needs no second opening of the same bytes).
 */
export function PdfPage({ bytes, page, width, label, overlay, onPages }: {
  bytes: Uint8Array;
  page: number;
  width: number;
  label: string;
  overlay?: (geo: RenderedPage) => ReactNode;
  onPages?: (count: number) => void;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [doc, setDoc] = useState<PDFDocumentProxy | null>(null);
  const [geo, setGeo] = useState<RenderedPage | null>(null);
  // 'damaged': pdf.js could not read the file at all; 'page': the file opened but this page would not draw.
  const [failed, setFailed] = useState<false | 'damaged' | 'page'>(false);

  useEffect(() => {
    let live = true;
    let opened: PDFDocumentProxy | null = null;
    setFailed(false);
    openPdf(bytes).then(
      (d) => {
        if (!live) return void d.destroy();
        setDoc((opened = d));
        onPages?.(d.numPages);
      },
      () => live && setFailed('damaged'),
    );
    return () => {
      live = false;
      void opened?.destroy();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the count belongs to the bytes, not to a new callback
  }, [bytes]);

  useEffect(() => {
    if (!doc || !canvas.current) return;
    let live = true;
    renderPageInto(doc, page, canvas.current, width).then(
      (g) => live && setGeo(g),
      () => live && setFailed('page'),
    );
    return () => {
      live = false;
    };
  }, [doc, page, width]);

  return (
    <figure className="pdf-page" aria-label={label}>
      <div className="pdf-page-sheet">
        <canvas ref={canvas} />
        {geo && overlay?.(geo)}
      </div>
      <figcaption>{label}</figcaption>
      {failed && <p className="error" role="alert">{t(failed === 'damaged' ? 'pdf.damaged' : 'pdf.renderFailed')}</p>}
    </figure>
  );
}
