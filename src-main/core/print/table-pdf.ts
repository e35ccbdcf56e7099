import fontkit from '@cantoo/fontkit';
import { PDFDict, PDFDocument, PDFHexString, PDFName, rgb, type PDFFont } from '@cantoo/pdf-lib';
import { loadSerifFont, shapeWordsOnce } from './fonts';
import { InkFonts, PageInk, type InkFont } from './page-ink';

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
  const fonts = new InkFonts(regular, bold);
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
  const allCentred = spec.columns.map(() => true);
  const bodyCentred = spec.columns.map((c) => c.align === 'center');

  // Cell text and the row's bottom rule; the column rules are drawn once per page (closeGrid), which
  // keeps the content stream small: per-row vertical lines were most of a 10,000-row register's cost.
  const drawRowCells = (ink: PageInk, top: number, h: number, cells: string[][], font: InkFont, size: number, centred: boolean[]) => {
    ink.line(MARGIN.left, top - h, MARGIN.left + tableW, top - h);
    const measure = font === 'F2' ? head : body;
    const y0 = top - PAD - LINE + 2.5;
    cells.forEach((lines, i) => {
      if (!centred[i]) {
        // One text object per cell, a line down at each wrapped line.
        if (lines.join('\n').trim()) ink.text(font, size, xs[i]! + PAD, y0, lines.map((l) => fonts.encode(font, l)), LINE);
        return;
      }
      lines.forEach((text, k) => {
        if (text) ink.text(font, size, xs[i]! + (widths[i]! - measure.width(text)) / 2, y0 - k * LINE, [fonts.encode(font, text)], LINE);
      });
    });
  };

  // Laid out first, so the page count is known before any page is drawn: each page is then drawn
  // whole, footer included, and compressed once.
  const maxRowH = pageH - MARGIN.top - MARGIN.bottom - headerH - numberRowH;
  const laid = spec.rows.map((row) => {
    let cells = row.map((text, i) => body.wrap(text, widths[i]! - 2 * PAD));
    let h = Math.max(...cells.map((l) => l.length)) * LINE + 2 * PAD;
    if (h > maxRowH) {
      // A pathological cell is cut to one page rather than looping forever.
      const maxLines = Math.floor((maxRowH - 2 * PAD) / LINE);
      cells = cells.map((l) => (l.length > maxLines ? [...l.slice(0, maxLines - 1), '…'] : l));
      h = maxLines * LINE + 2 * PAD;
    }
    return { cells, h };
  });
  const introH = spec.intro ? spec.intro.reduce((a, l) => a + l.size * 1.6, 0) + 6 : 0;
  const tableTop = (first: boolean) => pageH - MARGIN.top - (first ? introH : 0) - headerH - numberRowH;
  const pageRows: Array<typeof laid> = [[]];
  let y = tableTop(true);
  for (const r of laid) {
    if (y - r.h < MARGIN.bottom) {
      pageRows.push([]);
      y = tableTop(false);
    }
    pageRows.at(-1)!.push(r);
    y -= r.h;
  }

  // Header row, then the column numbers row (1)…(n), as on the paper forms; the same operators on
  // every page but the first of a report, so they are laid out once.
  const headers = new Map<number, string>();
  const drawHeader = (ink: PageInk, top: number) => {
    const kept = headers.get(top);
    if (kept !== undefined) return ink.raw(kept);
    const from = ink.mark();
    ink.line(MARGIN.left, top, MARGIN.left + tableW, top);
    drawRowCells(ink, top, headerH, headerLines, 'F2', HEADER_SIZE, allCentred);
    drawRowCells(ink, top - headerH, numberRowH, spec.columns.map((_, i) => [`(${i + 1})`]), 'F1', FONT_SIZE, allCentred);
    headers.set(top, ink.since(from));
  };

  const total = pageRows.length;
  pageRows.forEach((rows, p) => {
    const page = doc.addPage(A4_LANDSCAPE);
    const ink = new PageInk();
    let top = pageH - MARGIN.top;
    if (p === 0 && spec.intro) {
      for (const l of spec.intro) {
        const font: InkFont = l.bold ? 'F2' : 'F1';
        const w = fonts.of(font).widthOfTextAtSize(l.text, l.size);
        ink.text(font, l.size, (pageW - w) / 2, top - l.size, [fonts.encode(font, l.text)], l.size);
        top -= l.size * 1.6;
      }
      top -= 6;
    }
    drawHeader(ink, top);
    let y = top - headerH - numberRowH;
    for (const r of rows) {
      drawRowCells(ink, y, r.h, r.cells, 'F1', FONT_SIZE, bodyCentred);
      y -= r.h;
    }
    for (const x of xs) ink.line(x, top, x, y);
    const label = `Trang ${p + 1}/${total}`;
    ink.text('F1', 9, pageW - MARGIN.right - regular.widthOfTextAtSize(label, 9), 18, [fonts.encode('F1', label)], LINE);
    ink.text('F1', 8, MARGIN.left, 18, [fonts.encode('F1', spec.mark)], LINE, 0.3);
    ink.attach(doc, page, fonts);
  });
  if (spec.closing) centredPage(spec.closing.lines);
  const bytes = await doc.save({ useObjectStreams: true });
  return { bytes, pages: doc.getPageCount() };
}
