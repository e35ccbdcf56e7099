import { deflateSync } from 'node:zlib';
import fontkit from '@cantoo/fontkit';
import { PDFDict, PDFDocument, PDFHexString, PDFName, rgb, type PDFContentStream, type PDFFont, type PDFPage, type PDFRef } from '@cantoo/pdf-lib';
import { loadSerifFont, shapeWordsOnce } from './fonts';

/**
 * A printed register: a cover page and a table over as many landscape A4 pages as needed, the header
 * row repeated on every page, pages numbered, each page marked as printed from the system. The
 * Vietnamese font is embedded as a subset.
 */
export interface Column {
  title: string;
  /** Relative width. */
  width: number;
  align?: 'left' | 'center';
}

export interface CoverSpec {
  /** Lines top to bottom; `size` in points. */
  lines: Array<{ text: string; size: number; bold?: boolean; gapBefore?: number }>;
}

export interface TableSpec {
  cover?: CoverSpec;
  /** Lines drawn above the table on its first page (reports). */
  intro?: Array<{ text: string; size: number; bold?: boolean }>;
  columns: Column[];
  rows: string[][];
  /** Footer mark on every page (printouts carry a "printed from the system" mark: docs/register.md, "Printing"). */
  mark: string;
  title: string;
  /** A last page after the table (the closing page of a closed sổ). */
  closing?: CoverSpec;
  /** Extra entries of the PDF's document information dictionary. */
  metadata?: Record<string, string>;
}

const A4_LANDSCAPE: [number, number] = [841.89, 595.28];
const MARGIN = { left: 42, right: 28, top: 34, bottom: 40 };
const FONT_SIZE = 9;
const HEADER_SIZE = 9;
const LINE = 11;
const PAD = 3;

class Measurer {
  private readonly cache = new Map<string, number>();
  constructor(private readonly font: PDFFont, private readonly size: number) {}
  width(s: string): number {
    let w = this.cache.get(s);
    if (w === undefined) {
      w = this.font.widthOfTextAtSize(s, this.size);
      if (this.cache.size < 200_000) this.cache.set(s, w);
    }
    return w;
  }

  /**
   * Greedy word wrap on cached word widths (a line's width is the sum of its words and spaces:
   * shaping every candidate line was the cost of printing). A word wider than the cell is broken.
   */
  wrap(text: string, maxWidth: number): string[] {
    const out: string[] = [];
    const space = this.width(' ');
    for (const para of text.split('\n')) {
      let line = '';
      let lineW = 0;
      for (const word of para.split(/\s+/).filter(Boolean)) {
        const w = this.width(word);
        if (line && lineW + space + w <= maxWidth) { line += ` ${word}`; lineW += space + w; continue; }
        if (!line && w <= maxWidth) { line = word; lineW = w; continue; }
        if (line) out.push(line);
        if (w <= maxWidth) { line = word; lineW = w; continue; }
        let chunk = '';
        for (const ch of word) {
          if (this.width(chunk + ch) > maxWidth && chunk) { out.push(chunk); chunk = ''; }
          chunk += ch;
        }
        line = chunk;
        lineW = this.width(chunk);
      }
      out.push(line);
    }
    return out.length ? out : [''];
  }
}

/**
 * A finished table page's drawing, compressed now by zlib in place of pdf-lib's JavaScript deflate at
 * save: the operators of a 600-page register are not all kept until the end, and native deflate is
 * several times faster. Drawing on the page later (the page numbers) goes into a new stream.
 */
function sealPage(doc: PDFDocument, page: PDFPage): void {
  // pdf-lib keeps the page's current stream privately; resetPosition() starts the next one.
  const p = page as unknown as { contentStream?: PDFContentStream; contentStreamRef?: PDFRef };
  if (!p.contentStream || !p.contentStreamRef) return;
  const bytes = deflateSync(p.contentStream.getUnencodedContents());
  doc.context.assign(p.contentStreamRef, doc.context.stream(bytes, { Filter: 'FlateDecode' }));
  page.resetPosition();
}

export async function renderTablePdf(spec: TableSpec): Promise<{ bytes: Uint8Array; pages: number }> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  doc.setTitle(spec.title);
  doc.setCreator('vanthu');
  doc.setProducer('vanthu');
  const regular = await doc.embedFont(loadSerifFont('Regular'), { subset: true });
  const bold = await doc.embedFont(loadSerifFont('Bold'), { subset: true });
  shapeWordsOnce(regular, 'Regular');
  shapeWordsOnce(bold, 'Bold');
  const [pageW, pageH] = A4_LANDSCAPE;
  const black = rgb(0, 0, 0);

  const centredPage = (lines: CoverSpec['lines']) => {
    const page = doc.addPage(A4_LANDSCAPE);
    let y = pageH - 90;
    for (const l of lines) {
      y -= l.gapBefore ?? 0;
      const f = l.bold ? bold : regular;
      const w = f.widthOfTextAtSize(l.text, l.size);
      page.drawText(l.text, { x: (pageW - w) / 2, y, size: l.size, font: f, color: black });
      y -= l.size * 1.6;
    }
  };
  if (spec.cover) centredPage(spec.cover.lines);
  // setTitle above created the information dictionary; custom keys go beside Title.
  const info = doc.context.lookup(doc.context.trailerInfo.Info, PDFDict);
  for (const [k, v] of Object.entries(spec.metadata ?? {})) info.set(PDFName.of(k), PDFHexString.fromText(v));

  const tableW = pageW - MARGIN.left - MARGIN.right;
  const totalRel = spec.columns.reduce((a, c) => a + c.width, 0);
  const widths = spec.columns.map((c) => (c.width / totalRel) * tableW);
  const xs = widths.reduce<number[]>((acc, w, i) => [...acc, acc[i]! + w], [MARGIN.left]);
  const body = new Measurer(regular, FONT_SIZE);
  const head = new Measurer(bold, HEADER_SIZE);
  const headerLines = spec.columns.map((c, i) => head.wrap(c.title, widths[i]! - 2 * PAD));
  const headerH = Math.max(...headerLines.map((l) => l.length)) * LINE + 2 * PAD;
  const numberRowH = LINE + 2 * PAD;

  const tablePages: PDFPage[] = [];
  let page!: PDFPage;
  let y = 0;

  // Cell text and the row's bottom rule; the column rules are drawn once per page (closeGrid), which
  // keeps the content stream small: per-row vertical lines were most of a 10,000-row register's cost.
  const drawRowCells = (p: PDFPage, top: number, h: number, cells: string[][], font: PDFFont, size: number, center: boolean[]) => {
    p.drawLine({ start: { x: MARGIN.left, y: top - h }, end: { x: MARGIN.left + tableW, y: top - h }, thickness: 0.5, color: black });
    const measure = font === bold ? head : body;
    cells.forEach((lines, i) => {
      const y0 = top - PAD - LINE + 2.5;
      if (!center[i]) {
        // One text object per cell: pdf-lib moves down a line at each '\n'.
        const text = lines.join('\n');
        if (text.trim()) p.drawText(text, { x: xs[i]! + PAD, y: y0, size, font, color: black, lineHeight: LINE });
        return;
      }
      lines.forEach((text, k) => {
        if (text) p.drawText(text, { x: xs[i]! + (widths[i]! - measure.width(text)) / 2, y: y0 - k * LINE, size, font, color: black });
      });
    });
  };
  let gridTop = 0;
  const closeGrid = () => {
    for (const x of xs) page.drawLine({ start: { x, y: gridTop }, end: { x, y }, thickness: 0.5, color: black });
  };

  const newPage = (first: boolean) => {
    page = doc.addPage(A4_LANDSCAPE);
    tablePages.push(page);
    y = pageH - MARGIN.top;
    if (first && spec.intro) {
      for (const l of spec.intro) {
        const f = l.bold ? bold : regular;
        const w = f.widthOfTextAtSize(l.text, l.size);
        page.drawText(l.text, { x: (pageW - w) / 2, y: y - l.size, size: l.size, font: f, color: black });
        y -= l.size * 1.6;
      }
      y -= 6;
    }
    // Header row, then the column numbers row (1)…(n), as on the paper forms.
    gridTop = y;
    page.drawLine({ start: { x: MARGIN.left, y }, end: { x: MARGIN.left + tableW, y }, thickness: 0.5, color: black });
    drawRowCells(page, y, headerH, headerLines, bold, HEADER_SIZE, spec.columns.map(() => true));
    y -= headerH;
    drawRowCells(page, y, numberRowH, spec.columns.map((_, i) => [`(${i + 1})`]), regular, FONT_SIZE, spec.columns.map(() => true));
    y -= numberRowH;
  };

  newPage(true);
  const maxRowH = pageH - MARGIN.top - MARGIN.bottom - headerH - numberRowH;
  for (const row of spec.rows) {
    let cells = row.map((text, i) => body.wrap(text, widths[i]! - 2 * PAD));
    let h = Math.max(...cells.map((l) => l.length)) * LINE + 2 * PAD;
    if (h > maxRowH) {
      // A pathological cell is cut to one page rather than looping forever.
      const maxLines = Math.floor((maxRowH - 2 * PAD) / LINE);
      cells = cells.map((l) => (l.length > maxLines ? [...l.slice(0, maxLines - 1), '…'] : l));
      h = maxLines * LINE + 2 * PAD;
    }
    if (y - h < MARGIN.bottom) {
      closeGrid();
      sealPage(doc, page);
      newPage(false);
    }
    drawRowCells(page, y, h, cells, regular, FONT_SIZE, spec.columns.map((c) => c.align === 'center'));
    y -= h;
  }

  closeGrid();
  sealPage(doc, page);
  const total = tablePages.length;
  tablePages.forEach((p, i) => {
    const label = `Trang ${i + 1}/${total}`;
    p.drawText(label, { x: pageW - MARGIN.right - regular.widthOfTextAtSize(label, 9), y: 18, size: 9, font: regular, color: black });
    p.drawText(spec.mark, { x: MARGIN.left, y: 18, size: 8, font: regular, color: rgb(0.3, 0.3, 0.3) });
  });
  if (spec.closing) centredPage(spec.closing.lines);
  const bytes = await doc.save({ useObjectStreams: true });
  return { bytes, pages: doc.getPageCount() };
}
