import { LIMITS } from '../pdf/parse/limits';
import { asMatrix, contentOperators, IDENTITY, mul, skipInlineImage, type Matrix } from '../pdf/parse/operators';
import type { PdfFile } from '../pdf/parse/document';
import { dictOf, PdfDict, PdfName, PdfStream, type PdfObject } from '../pdf/parse/objects';

/** Inline-image abbreviations (ISO 32000 §8.9.7), expanded so one reader serves both image kinds. */
const INLINE_ABBREV: Record<string, string> = { W: 'Width', H: 'Height', CS: 'ColorSpace', BPC: 'BitsPerComponent', IM: 'ImageMask', F: 'Filter', G: 'DeviceGray', RGB: 'DeviceRGB', CMYK: 'DeviceCMYK', I: 'Indexed', DCT: 'DCTDecode', Fl: 'FlateDecode' };
export const fullName = (n: string): string => INLINE_ABBREV[n] ?? n;

/** One image a content stream draws: its dictionary, its stream (null when inline) and the CTM. */
export interface PaintedImage { dict: PdfDict; stream: PdfStream | null; ctm: Matrix; colourSpaces: PdfDict | null }

export interface PaintVisitor {
  image(img: PaintedImage): void;
  /** Anything else that shows on the page: a path painted, visible text, a shading. */
  visible(op: string): void;
}

/** Text render modes that put nothing on the page (3: invisible, 7: clip only) — an OCR layer uses 3. */
const INVISIBLE_TEXT = new Set([3, 7]);
const TEXT_SHOWING = new Set(['Tj', 'TJ', "'", '"']);
const PATH_PAINTING = new Set(['S', 's', 'f', 'F', 'f*', 'B', 'B*', 'b', 'b*', 'sh']);

/**
 * What a content stream paints, reduced to images and "something else visible": q/Q/cm, the text
 * render mode, Do (descending into form XObjects) and inline images, bounded by the parser's limits.
 * The scan side (image facts) and the verifier (pixels under a widget) read pages through it.
 */
export function walkPaint(file: PdfFile, data: Buffer, res: PdfDict | null, base: Matrix, rev: number, visitor: PaintVisitor, depth = 0): void {
  if (depth > LIMITS.MAX_FORM_DEPTH) return;
  let stack: readonly PdfObject[] = [];
  const saved: Array<{ ctm: Matrix; tr: number }> = [];
  let ctm = base;
  let tr = 0;
  const xobjects = dictOf(file.resolve(res?.get('XObject'), rev));
  const colourSpaces = dictOf(file.resolve(res?.get('ColorSpace'), rev));
  const num = (i: number): number => { const v = stack[stack.length - i]; return typeof v === 'number' ? v : 0; };
  for (const operator of contentOperators(data)) {
    stack = operator.operands;
    const op = operator.op;
    if (TEXT_SHOWING.has(op)) { if (!INVISIBLE_TEXT.has(tr)) visitor.visible(op); continue; }
    if (PATH_PAINTING.has(op)) { visitor.visible(op); continue; }
    switch (op) {
      case 'q': if (saved.length < 256) saved.push({ ctm, tr }); break;
      case 'Q': ({ ctm, tr } = saved.pop() ?? { ctm: base, tr: 0 }); break;
      case 'cm': ctm = mul([num(6), num(5), num(4), num(3), num(2), num(1)], ctm); break;
      case 'Tr': tr = num(1); break;
      case 'Do': {
        const n = stack[stack.length - 1];
        const xo = n instanceof PdfName ? file.resolve(xobjects?.get(n.name), rev) : undefined;
        if (!(xo instanceof PdfStream)) break;
        const st = xo.dict.get('Subtype');
        if (st instanceof PdfName && st.name === 'Image') visitor.image({ dict: xo.dict, stream: xo, ctm, colourSpaces });
        else if (st instanceof PdfName && st.name === 'Form') {
          const fdata = file.streamData(xo);
          const fm = mul(asMatrix(file.resolve(xo.dict.get('Matrix'), rev)) ?? IDENTITY, ctm);
          if (fdata) walkPaint(file, fdata, dictOf(file.resolve(xo.dict.get('Resources'), rev)) ?? res, fm, rev, visitor, depth + 1);
          else visitor.visible('Do');
        }
        break;
      }
      case 'BI': {
        const lx = operator.lexer;
        const entries = new Map<string, PdfObject>();
        try {
          while (!lx.peekKeyword('ID') && entries.size < 64) {
            const k = lx.parseObject();
            if (!(k instanceof PdfName)) return;
            entries.set(fullName(k.name), lx.parseObject());
          }
        } catch { return; }
        // The reader stands at ID: the data after it runs to EI.
        if (!skipInlineImage(data, lx)) return;
        visitor.image({ dict: new PdfDict(entries, 0, 0), stream: null, ctm, colourSpaces });
        break;
      }
      default: break;
    }
  }
}
