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
  const rev = file.lastRevision;
  const shared: Shared = { file, out, fonts: new Map(), budget: { ops: LIMITS.MAX_CONTENT_OPS, forms: new Set() } };
  new ContentReader(shared, dictOf(inherited(file, page, 'Resources', rev)), IDENTITY).read(pageContent(file, page, rev), 0);
  return out;
}

/** What every content stream of one page shares: the page's runs, its fonts and its budget. */
interface Shared { file: PdfFile; out: PageText; fonts: Map<PdfDict, TextFontInfo>; budget: Budget }

/**
 * One content stream's interpreter state (the page's, or a form's with its own resources). A class,
 * not closures made per call: V8 keeps a method's optimized code as long as the method lives, while
 * closures made anew for each issue lose theirs when the last issue's are collected, and the hot
 * `show` was compiled again (10–30 ms of a helper thread's time) every few issues.
 */
class ContentReader {
  private ctm: Matrix;
  private ts: TextState;
  private readonly saved: Array<{ ctm: Matrix; ts: TextState }> = [];
  private tm: Matrix = IDENTITY;
  private tlm: Matrix = IDENTITY;
  private stack: readonly unknown[] = [];
  private readonly fontRes: PdfDict | null;
  private readonly xobjects: PdfDict | null;

  constructor(private readonly sh: Shared, private readonly res: PdfDict | null, base: Matrix) {
    this.ctm = base;
    this.ts = { font: textFontInfo(sh.file, null), size: 12, tc: 0, tw: 0, tz: 1, tl: 0, rise: 0 };
    this.fontRes = dictOf(sh.file.resolve(res?.get('Font')));
    this.xobjects = dictOf(sh.file.resolve(res?.get('XObject')));
  }

  private num(i: number): number {
    const v = this.stack[this.stack.length - i];
    return typeof v === 'number' ? v : 0;
  }

  private fontOf(name: string): TextFontInfo {
    const { file, fonts } = this.sh;
    const dict = dictOf(file.resolve(this.fontRes?.get(name)));
    if (!dict) return textFontInfo(file, null);
    let f = fonts.get(dict);
    if (!f) fonts.set(dict, (f = textFontInfo(file, dict)));
    return f;
  }

  private nextLine(): void {
    this.tlm = mul([1, 0, 0, 1, 0, -this.ts.tl], this.tlm);
    this.tm = this.tlm;
  }

  private show(s: PdfString): void {
    const out = this.sh.out;
    if (out.runs.length >= MAX_RUNS_PER_PAGE) return;
    const ts = this.ts;
    const b = s.bytes;
    const step = ts.font.twoByte ? 2 : 1;
    // Text space → user space, with the font size, scaling and rise folded in (ISO 32000-1 §9.4.4).
    const m = mul(mul([ts.size * ts.tz, 0, 0, ts.size, 0, ts.rise], this.tm), this.ctm);
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
        for (let k = 0; k < cps.length; k++) chars.push({ ch: cps[k]!, x0: x0 + ((x1 - x0) * k) / cps.length, x1: x0 + ((x1 - x0) * (k + 1)) / cps.length });
      }
      const spacing = ts.tc + (step === 1 && code === 32 ? ts.tw : 0);
      x = glyphEnd + (ts.size ? spacing / ts.size : 0);
    }
    this.tm = mul([1, 0, 0, 1, x * ts.size * ts.tz, 0], this.tm);
    // pdf.js leaves out the blanks a string ends with (the next string's gap stands for them).
    while (chars.length > 0 && chars[chars.length - 1]!.ch === ' ') chars.pop();
    if (chars.length === 0) return;
    let str = '';
    for (const c of chars) str += c.ch;
    // pdf.js's run transform [a b c d e f]: rotated or skewed runs keep b, c; size is the vertical scale.
    out.runs.push({
      str, x: m[4], y: m[5], width: chars[chars.length - 1]!.x1 - chars[0]!.x0, size: Math.hypot(m[2], m[3]) || Math.abs(m[0]),
      chars: Math.abs(m[1]) > 1e-3 ? [] : chars,
    });
  }

  private lastString(): PdfString | null {
    const s = this.stack[this.stack.length - 1];
    return s instanceof PdfString ? s : null;
  }

  /** Interprets one content stream; `depth` counts the forms around it (drawForm bounds it). */
  read(data: Buffer, depth: number): void {
    const { file, budget } = this.sh;
    for (const op of contentOperators(data)) {
      if (--budget.ops < 0) return;
      this.stack = op.operands;
      const ts = this.ts;
      switch (op.op) {
        case 'q': if (this.saved.length < 256) this.saved.push({ ctm: this.ctm, ts }); break;
        case 'Q': { const s = this.saved.pop(); if (s) { this.ctm = s.ctm; this.ts = s.ts; } break; }
        case 'cm': this.ctm = mul([this.num(6), this.num(5), this.num(4), this.num(3), this.num(2), this.num(1)], this.ctm); break;
        case 'BT': this.tm = IDENTITY; this.tlm = IDENTITY; break;
        case 'Tf': { const n = this.stack[this.stack.length - 2]; this.ts = { ...ts, size: this.num(1), font: n instanceof PdfName ? this.fontOf(n.name) : textFontInfo(file, null) }; break; }
        case 'Tc': this.ts = { ...ts, tc: this.num(1) }; break;
        case 'Tw': this.ts = { ...ts, tw: this.num(1) }; break;
        case 'Tz': this.ts = { ...ts, tz: this.num(1) / 100 }; break;
        case 'TL': this.ts = { ...ts, tl: this.num(1) }; break;
        case 'Ts': this.ts = { ...ts, rise: this.num(1) }; break;
        case 'Td': this.tlm = mul([1, 0, 0, 1, this.num(2), this.num(1)], this.tlm); this.tm = this.tlm; break;
        case 'TD': this.ts = { ...ts, tl: -this.num(1) }; this.tlm = mul([1, 0, 0, 1, this.num(2), this.num(1)], this.tlm); this.tm = this.tlm; break;
        case 'Tm': this.tlm = [this.num(6), this.num(5), this.num(4), this.num(3), this.num(2), this.num(1)]; this.tm = this.tlm; break;
        case 'T*': this.nextLine(); break;
        case 'Tj': { const s = this.lastString(); if (s) this.show(s); break; }
        case "'": { this.nextLine(); const s = this.lastString(); if (s) this.show(s); break; }
        case '"': { this.ts = { ...ts, tw: this.num(3), tc: this.num(2) }; this.nextLine(); const s = this.lastString(); if (s) this.show(s); break; }
        case 'TJ': {
          const arr = this.stack[this.stack.length - 1];
          if (Array.isArray(arr)) for (const e of arr) {
            if (e instanceof PdfString) this.show(e);
            else if (typeof e === 'number') this.tm = mul([1, 0, 0, 1, (-e / 1000) * this.ts.size * this.ts.tz, 0], this.tm);
          }
          break;
        }
        case 'Do': this.drawForm(depth); break;
        case 'BI':
          if (!skipInlineImage(data, op.lexer)) return;
          break;
        default: break;
      }
    }
  }

  /** `Do` of a form XObject: its content read with its own state, inside the current CTM. */
  private drawForm(depth: number): void {
    const { file, budget } = this.sh;
    if (depth >= LIMITS.MAX_FORM_DEPTH) return;
    const n = this.stack[this.stack.length - 1];
    const xo = n instanceof PdfName ? file.resolve(this.xobjects?.get(n.name)) : undefined;
    // A form drawing itself (directly or through others) is drawn once on the way down.
    if (!(xo instanceof PdfStream) || budget.forms.has(xo) || !(xo.dict.get('Subtype') instanceof PdfName) || (xo.dict.get('Subtype') as PdfName).name !== 'Form') return;
    const fm = asMatrix(file.resolve(xo.dict.get('Matrix'))) ?? IDENTITY;
    let fdata: Buffer | null = null;
    try { fdata = file.streamData(xo); } catch { fdata = null; }
    if (!fdata) return;
    budget.forms.add(xo);
    new ContentReader(this.sh, dictOf(file.resolve(xo.dict.get('Resources'))) ?? this.res, mul(fm, this.ctm)).read(fdata, depth + 1);
    budget.forms.delete(xo);
  }
}
