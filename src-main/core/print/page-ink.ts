import { deflateSync } from 'node:zlib';
import { cleanText, PDFName, type PDFDocument, type PDFFont, type PDFPage } from '@cantoo/pdf-lib';

/**
 * A table page's drawing written straight as content-stream operators, then compressed once and
 * attached whole. pdf-lib's drawText builds an object per operator and operand, checks every option,
 * and names the font anew in the page's resources at each call (a resource dictionary of hundreds of
 * entries per page, searched linearly at each addition): that was most of a 10,000-row register's
 * print time. The operators are the ones drawText and drawLine write; only their grouping differs.
 */
export type InkFont = 'F1' | 'F2';

/** Positions to a thousandth of a point (never exponent notation, which PDF numbers do not allow). */
const num = (v: number): string => String(Math.round(v * 1000) / 1000);

export class PageInk {
  private readonly parts: string[] = [];

  /** A 0.5 pt black rule; the page's graphics state sets width and colour once (see `attach`). */
  line(x1: number, y1: number, x2: number, y2: number): void {
    this.parts.push(`${num(x1)} ${num(y1)} m ${num(x2)} ${num(y2)} l S\n`);
  }

  /** Lines of encoded text (`<hex>` from `InkFonts.encode`), the first baseline at (x, y), `leading` apart. */
  text(font: InkFont, size: number, x: number, y: number, encoded: readonly string[], leading: number, gray?: number): void {
    const colour = gray === undefined ? '' : `${num(gray)} ${num(gray)} ${num(gray)} rg `;
    this.parts.push(`BT ${colour}/${font} ${num(size)} Tf ${num(leading)} TL 1 0 0 1 ${num(x)} ${num(y)} Tm ${encoded.map((e) => `${e} Tj`).join(' T* ')} ET\n`);
  }

  /** Appends operators drawn once and reused (a page's repeated header). */
  raw(ops: string): void {
    this.parts.push(ops);
  }

  /** What was drawn since `mark()` returned `from` (to keep a block for reuse). */
  since(from: number): string {
    return this.parts.slice(from).join('');
  }

  mark(): number {
    return this.parts.length;
  }

  /** Compresses the drawing into the page's only content stream, with the two fonts as F1 and F2. */
  attach(doc: PDFDocument, page: PDFPage, fonts: InkFonts): void {
    const ops = `q 0 0 0 RG 0 0 0 rg 0.5 w\n${this.parts.join('')}Q\n`;
    const stream = doc.context.stream(deflateSync(Buffer.from(ops, 'latin1')), { Filter: 'FlateDecode' });
    page.node.addContentStream(doc.context.register(stream));
    page.node.setFontDictionary(PDFName.of('F1'), fonts.regular.ref);
    page.node.setFontDictionary(PDFName.of('F2'), fonts.bold.ref);
  }
}

/**
 * The two fonts of a table and their encoded lines, cached per document: the subset's glyph ids are
 * the document's own, and a register repeats the same dates, agencies and types on every page.
 */
export class InkFonts {
  private readonly cache = { F1: new Map<string, string>(), F2: new Map<string, string>() };

  constructor(readonly regular: PDFFont, readonly bold: PDFFont) {}

  /** `<hex>` of the glyphs of one line, as drawText shows it (its text clean-up included); adds them to the subset. */
  encode(font: InkFont, line: string): string {
    const cache = this.cache[font];
    let hex = cache.get(line);
    if (hex === undefined) {
      hex = (font === 'F1' ? this.regular : this.bold).encodeText(cleanText(line)).toString();
      cache.set(line, hex);
    }
    return hex;
  }

  of(font: InkFont): PDFFont {
    return font === 'F1' ? this.regular : this.bold;
  }
}
