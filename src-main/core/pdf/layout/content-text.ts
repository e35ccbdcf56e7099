/**
 * Page text read from the content stream itself, through the bounded parser (pdf/parse) and its one
 * operator reader: each shown string becomes a run of characters with their real positions (font
 * widths, character and word spacing, horizontal scaling, rise, text and graphics matrices, form
 * XObjects). Finding "Số:", the date blanks and the signer block needs nothing more, and this costs a
 * fraction of starting pdf.js on the page. A page whose fonts do not say what text they show is
 * reported as such, and the caller reads it with pdf.js instead (text-lines.ts).
 */
import { asMatrix, contentOperators, IDENTITY, mul, skipInlineImage, type Matrix } from '../parse/operators';
import { inherited, pageContent } from '../parse/content';
import { dictOf, LIMITS, PdfName, PdfStream, PdfString, type PdfDict, type PdfFile } from '../parse/index';
import { textFontInfo, type TextFontInfo } from './text-fonts';

/** One shown string: its text, baseline start, width and size, and each character's span. */
export interface TextRun { str: string; x: number; y: number; width: number; size: number; chars: Array<{ ch: string; x0: number; x1: number }> }

export interface PageText { runs: TextRun[]; /** Glyphs whose text the font does not give. */ unmapped: number }

/** Work left for one page: operators across the page and every form it draws, however nested or repeated. */
interface Budget { ops: number; forms: Set<PdfStream> }

interface TextState { font: TextFontInfo; size: number; tc: number; tw: number; tz: number; tl: number; rise: number }

const MAX_RUNS_PER_PAGE = 20_000;

/** The text runs a page shows, in content order (horizontal and rotated alike; the caller filters). */
export function pageText(file: PdfFile, page: PdfDict): PageText {
  const out: PageText = { runs: [], unmapped: 0 };
  const fonts = new Map<PdfDict, TextFontInfo>();
  const rev = file.lastRevision;
  const budget: Budget = { ops: LIMITS.MAX_CONTENT_OPS, forms: new Set() };
  run(file, pageContent(file, page, rev), dictOf(inherited(file, page, 'Resources', rev)), IDENTITY, out, fonts, budget, 0);
  return out;
}

function run(file: PdfFile, data: Buffer, res: PdfDict | null, base: Matrix, out: PageText, fonts: Map<PdfDict, TextFontInfo>, budget: Budget, depth: number): void {
  if (depth > LIMITS.MAX_FORM_DEPTH) return;
  const fontRes = dictOf(file.resolve(res?.get('Font')));
  const xobjects = dictOf(file.resolve(res?.get('XObject')));
  let ctm = base;
  let ts: TextState = { font: textFontInfo(file, null), size: 12, tc: 0, tw: 0, tz: 1, tl: 0, rise: 0 };
  const saved: Array<{ ctm: Matrix; ts: TextState }> = [];
  let tm: Matrix = IDENTITY, tlm: Matrix = IDENTITY;
  let stack: readonly unknown[] = [];
  const num = (i: number): number => { const v = stack[stack.length - i]; return typeof v === 'number' ? v : 0; };
  const fontOf = (name: string): TextFontInfo => {
    const dict = dictOf(file.resolve(fontRes?.get(name)));
    if (!dict) return textFontInfo(file, null);
    let f = fonts.get(dict);
    if (!f) fonts.set(dict, (f = textFontInfo(file, dict)));
    return f;
  };
  const nextLine = () => { tlm = mul([1, 0, 0, 1, 0, -ts.tl], tlm); tm = tlm; };

  const show = (s: PdfString) => {
    if (out.runs.length >= MAX_RUNS_PER_PAGE) return;
    const b = s.bytes;
    const step = ts.font.twoByte ? 2 : 1;
    // Text space → user space, with the font size, scaling and rise folded in (ISO 32000-1 §9.4.4).
    const m = mul(mul([ts.size * ts.tz, 0, 0, ts.size, 0, ts.rise], tm), ctm);
    const chars: TextRun['chars'] = [];
    let x = 0; // text space units along the baseline, unscaled by the font size
    for (let i = 0; i + step <= b.length; i += step) {
      const code = step === 2 ? (b[i]! << 8) | b[i + 1]! : b[i]!;
      const w = ts.font.advance(code);
      const text = ts.font.text(code);
      const x0 = m[0] * x + m[4];
      const glyphEnd = x + w;
      if (text === null) out.unmapped++;
      else {
        const cps = Array.from(text);
        const x1 = m[0] * glyphEnd + m[4];
        cps.forEach((ch, k) => chars.push({ ch, x0: x0 + ((x1 - x0) * k) / cps.length, x1: x0 + ((x1 - x0) * (k + 1)) / cps.length }));
      }
      const spacing = ts.tc + (step === 1 && code === 32 ? ts.tw : 0);
      x = glyphEnd + (ts.size ? spacing / ts.size : 0);
    }
    tm = mul([1, 0, 0, 1, x * ts.size * ts.tz, 0], tm);
    // pdf.js leaves out the blanks a string ends with (the next string's gap stands for them).
    while (chars.length > 0 && chars[chars.length - 1]!.ch === ' ') chars.pop();
    if (chars.length === 0) return;
    const str = chars.map((c) => c.ch).join('');
    // pdf.js's run transform [a b c d e f]: rotated or skewed runs keep b, c; size is the vertical scale.
    out.runs.push({
      str, x: m[4], y: m[5], width: chars[chars.length - 1]!.x1 - chars[0]!.x0, size: Math.hypot(m[2], m[3]) || Math.abs(m[0]),
      chars: Math.abs(m[1]) > 1e-3 ? [] : chars,
    });
  };

  for (const op of contentOperators(data)) {
    if (--budget.ops < 0) return;
    stack = op.operands;
    switch (op.op) {
      case 'q': if (saved.length < 256) saved.push({ ctm, ts }); break;
      case 'Q': { const s = saved.pop(); if (s) { ctm = s.ctm; ts = s.ts; } break; }
      case 'cm': ctm = mul([num(6), num(5), num(4), num(3), num(2), num(1)], ctm); break;
      case 'BT': tm = IDENTITY; tlm = IDENTITY; break;
      case 'Tf': { const n = stack[stack.length - 2]; ts = { ...ts, size: num(1), font: n instanceof PdfName ? fontOf(n.name) : textFontInfo(file, null) }; break; }
      case 'Tc': ts = { ...ts, tc: num(1) }; break;
      case 'Tw': ts = { ...ts, tw: num(1) }; break;
      case 'Tz': ts = { ...ts, tz: num(1) / 100 }; break;
      case 'TL': ts = { ...ts, tl: num(1) }; break;
      case 'Ts': ts = { ...ts, rise: num(1) }; break;
      case 'Td': tlm = mul([1, 0, 0, 1, num(2), num(1)], tlm); tm = tlm; break;
      case 'TD': ts = { ...ts, tl: -num(1) }; tlm = mul([1, 0, 0, 1, num(2), num(1)], tlm); tm = tlm; break;
      case 'Tm': tlm = [num(6), num(5), num(4), num(3), num(2), num(1)]; tm = tlm; break;
      case 'T*': nextLine(); break;
      case 'Tj': { const s = stack[stack.length - 1]; if (s instanceof PdfString) show(s); break; }
      case "'": { nextLine(); const s = stack[stack.length - 1]; if (s instanceof PdfString) show(s); break; }
      case '"': { ts = { ...ts, tw: num(3), tc: num(2) }; nextLine(); const s = stack[stack.length - 1]; if (s instanceof PdfString) show(s); break; }
      case 'TJ': {
        const arr = stack[stack.length - 1];
        if (Array.isArray(arr)) for (const e of arr) {
          if (e instanceof PdfString) show(e);
          else if (typeof e === 'number') tm = mul([1, 0, 0, 1, (-e / 1000) * ts.size * ts.tz, 0], tm);
        }
        break;
      }
      case 'Do': {
        const n = stack[stack.length - 1];
        const xo = n instanceof PdfName ? file.resolve(xobjects?.get(n.name)) : undefined;
        // A form drawing itself (directly or through others) is drawn once on the way down.
        if (!(xo instanceof PdfStream) || budget.forms.has(xo) || !(xo.dict.get('Subtype') instanceof PdfName) || (xo.dict.get('Subtype') as PdfName).name !== 'Form') break;
        const fm = asMatrix(file.resolve(xo.dict.get('Matrix'))) ?? IDENTITY;
        let fdata: Buffer | null = null;
        try { fdata = file.streamData(xo); } catch { fdata = null; }
        if (!fdata) break;
        budget.forms.add(xo);
        run(file, fdata, dictOf(file.resolve(xo.dict.get('Resources'))) ?? res, mul(fm, ctm), out, fonts, budget, depth + 1);
        budget.forms.delete(xo);
        break;
      }
      case 'BI':
        if (!skipInlineImage(data, op.lexer)) return;
        break;
      default: break;
    }
  }
}
