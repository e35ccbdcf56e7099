import { createHash } from 'node:crypto';
import { LIMITS } from './limits';
import { asMatrix, contentOperators, IDENTITY, mul, skipInlineImage, type Matrix } from './operators';
import type { PdfFile } from './document';
import type { PageInfo, Rect } from './acroform';
import { dictOf, PdfName, PdfStream, PdfString, type PdfDict, type PdfObject } from './objects';

type M = Matrix;
const I: M = IDENTITY;
const apply = (m: M, x: number, y: number): [number, number] => [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];

function boxOf(points: Array<[number, number]>): Rect | null {
  if (points.length === 0) return null;
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const [x, y] of points) { x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y); }
  return Number.isFinite(x0 + y0 + x1 + y1) ? { x: x0, y: y0, width: x1 - x0, height: y1 - y0 } : null;
}
const rectPoints = (m: M, x: number, y: number, w: number, h: number): Array<[number, number]> =>
  [apply(m, x, y), apply(m, x + w, y), apply(m, x, y + h), apply(m, x + w, y + h)];

/** Inherited page attribute (/Resources, /MediaBox), bounded walk up /Parent. */
export function inherited(file: PdfFile, page: PdfDict, key: string, rev: number): PdfObject | undefined {
  let d: PdfDict | null = page;
  for (let i = 0; d && i < LIMITS.MAX_PAGE_TREE_DEPTH; i++) {
    const v = d.get(key);
    if (v !== undefined) return file.resolve(v, rev);
    d = dictOf(file.resolve(d.get('Parent'), rev));
  }
  return undefined;
}

/** Decoded, concatenated content streams of a page. Unsupported filters contribute their raw bytes. */
export function pageContent(file: PdfFile, page: PdfDict, rev: number): Buffer {
  const c = file.resolve(page.get('Contents'), rev);
  const list = Array.isArray(c) ? c : c ? [c] : [];
  const parts: Buffer[] = [];
  for (const item of list.slice(0, 1000)) {
    const s = file.resolve(item, rev);
    if (s instanceof PdfStream) parts.push(file.streamData(s) ?? file.bytes.subarray(s.dataStart, s.dataEnd), Buffer.from(' '));
  }
  return Buffer.concat(parts);
}

/**
 * Fingerprint of what a page draws: SHA-256 over its decoded content and a canonical dump of its
 * resources (fonts, XObjects, by object number and stream bytes). Equal fingerprints across two
 * revisions mean the page's own drawing did not change.
 */
export function pageFingerprint(file: PdfFile, page: PageInfo, rev: number): string {
  const h = createHash('sha256').update(pageContent(file, page.dict, rev));
  const seen = new Set<number>();
  let budget = 10_000;
  const walk = (o: PdfObject | undefined, depth: number): void => {
    if (depth > 24 || --budget < 0) return;
    if (o && typeof o === 'object' && 'num' in o && 'gen' in o) {
      h.update(`R${o.num}`);
      if (seen.has(o.num)) return;
      seen.add(o.num);
      const lookup = file.object(o.num, rev);
      walk(lookup?.value ?? null, depth + 1);
      return;
    }
    if (o instanceof PdfStream) { h.update(file.bytes.subarray(o.dataStart, o.dataEnd)); walk(o.dict, depth + 1); return; }
    if (Array.isArray(o)) { h.update('['); for (const x of o) walk(x, depth + 1); h.update(']'); return; }
    if (o && typeof o === 'object' && 'map' in o) { for (const [k, v] of (o as PdfDict).map) { if (k === 'Parent') continue; h.update(`/${k}`); walk(v, depth + 1); } return; }
    if (o instanceof PdfName) { h.update(`/${o.name}`); return; }
    if (o instanceof PdfString) { h.update(o.bytes); return; }
    h.update(String(o));
  };
  walk(inherited(file, page.dict, 'Resources', rev), 0);
  return h.digest('hex');
}

interface FontMetrics { widthOf(code: number): number; twoByte: boolean; spaces: Set<number> }

/** Codes a font's /ToUnicode maps to a space (U+0020, U+00A0, U+3000): blanks are not content. */
function spaceCodes(file: PdfFile, font: PdfDict, rev: number, twoByte: boolean): Set<number> {
  const out = new Set<number>(twoByte ? [] : [32]);
  const tu = file.resolve(font.get('ToUnicode'), rev);
  if (!(tu instanceof PdfStream)) return out;
  let text: string;
  try { text = (file.streamData(tu) ?? Buffer.alloc(0)).toString('latin1'); } catch { return out; }
  if (text.length > 4 * 1024 * 1024) return out;
  const isSpace = (u: number) => u === 0x20 || u === 0xa0 || u === 0x3000;
  for (const sec of text.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const m of sec[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) if (isSpace(parseInt(m[2]!, 16))) out.add(parseInt(m[1]!, 16));
  }
  for (const sec of text.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const m of sec[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(<([0-9a-fA-F]+)>|\[([^\]]*)\])/g)) {
      const lo = parseInt(m[1]!, 16), hi = parseInt(m[2]!, 16);
      if (hi < lo || hi - lo > 65535) continue;
      if (m[4] !== undefined) {
        const dst = parseInt(m[4], 16);
        for (const u of [0x20, 0xa0, 0x3000]) if (u >= dst && u - dst <= hi - lo) out.add(lo + u - dst);
      } else {
        [...m[5]!.matchAll(/<([0-9a-fA-F]+)>/g)].forEach((d, i) => { if (isSpace(parseInt(d[1]!, 16))) out.add(lo + i); });
      }
    }
  }
  return out;
}

function fontMetrics(file: PdfFile, font: PdfDict | null, rev: number): FontMetrics {
  if (!font) return { widthOf: () => 600, twoByte: false, spaces: new Set([32]) };
  const sub = font.get('Subtype');
  if (sub instanceof PdfName && sub.name === 'Type0') {
    const desc = file.resolve(font.get('DescendantFonts'), rev);
    const df = dictOf(file.resolve(Array.isArray(desc) ? desc[0] : undefined, rev));
    const dw = file.resolve(df?.get('DW'), rev);
    const w = file.resolve(df?.get('W'), rev);
    const map = new Map<number, number>();
    if (Array.isArray(w)) {
      for (let i = 0; i < w.length && map.size < 65536;) {
        const first = file.resolve(w[i], rev);
        const next = file.resolve(w[i + 1], rev);
        if (typeof first !== 'number') break;
        if (Array.isArray(next)) { next.forEach((v, k) => { const n = file.resolve(v, rev); if (typeof n === 'number') map.set(first + k, n); }); i += 2; }
        else { const last = next; const v = file.resolve(w[i + 2], rev); if (typeof last !== 'number' || typeof v !== 'number') break; for (let c = first; c <= last && c - first < 65536; c++) map.set(c, v); i += 3; }
      }
    }
    const d = typeof dw === 'number' ? dw : 1000;
    return { widthOf: (c) => map.get(c) ?? d, twoByte: true, spaces: spaceCodes(file, font, rev, true) };
  }
  const widths = file.resolve(font.get('Widths'), rev);
  const fc = file.resolve(font.get('FirstChar'), rev);
  const first = typeof fc === 'number' ? fc : 0;
  return {
    widthOf: (c) => {
      const v = Array.isArray(widths) ? file.resolve(widths[c - first], rev) : undefined;
      return typeof v === 'number' ? v : 500;
    },
    twoByte: false,
    spaces: spaceCodes(file, font, rev, false),
  };
}

/**
 * Bounding boxes (user space) of what a page's content stream paints: text runs (widths from the
 * font), stroked and filled paths (white fills ignored: they are paper), images and form XObjects
 * (their /BBox). Approximate by design and conservative: used to tell "over blank space" from "over
 * content" for widgets added after signing.
 */
export function contentBoxes(file: PdfFile, page: PdfDict, rev: number): Rect[] {
  const out: Rect[] = [];
  const res = dictOf(inherited(file, page, 'Resources', rev) ?? undefined);
  const data = pageContent(file, page, rev);
  interpret(file, data, res, I, rev, out, 0);
  return out;
}

function interpret(file: PdfFile, data: Buffer, res: PdfDict | null, base: M, rev: number, out: Rect[], depth: number): void {
  if (depth > LIMITS.MAX_FORM_DEPTH) return;
  let stack: readonly PdfObject[] = [];
  let ctm: M = base;
  const saved: M[] = [];
  let path: Array<[number, number]> = [];
  let cx = 0, cy = 0;
  let white = false;
  let tm: M = I, tlm: M = I, fontSize = 12, tl = 0, tc = 0, tw = 0, tz = 1;
  let metrics: FontMetrics = fontMetrics(file, null, rev);
  const fonts = dictOf(file.resolve(res?.get('Font'), rev));
  const xobjects = dictOf(file.resolve(res?.get('XObject'), rev));
  const num = (i: number): number => { const v = stack[stack.length - i]; return typeof v === 'number' ? v : 0; };
  // One box per word: runs of blanks inside a string (the gaps after "Số:" or in the date line) stay blank.
  const showText = (s: PdfString) => {
    const b = s.bytes;
    const step = metrics.twoByte ? 2 : 1;
    const trm = mul(tm, ctm);
    let x = 0;
    let wordStart = -1;
    const flush = (end: number) => {
      if (wordStart >= 0 && end > wordStart) {
        const box = boxOf(rectPoints(trm, wordStart, -0.22 * fontSize, end - wordStart, 0.95 * fontSize));
        if (box) out.push(box);
      }
      wordStart = -1;
    };
    for (let i = 0; i + step <= b.length; i += step) {
      const code = step === 2 ? (b[i]! << 8) | b[i + 1]! : b[i]!;
      const blank = metrics.spaces.has(code);
      const adv = ((metrics.widthOf(code) / 1000) * fontSize + tc + (step === 1 && code === 32 ? tw : 0)) * tz;
      if (blank) flush(x);
      else if (wordStart < 0) wordStart = x;
      x += adv;
    }
    flush(x);
    tm = mul([1, 0, 0, 1, x, 0], tm);
  };
  for (const operator of contentOperators(data)) {
    stack = operator.operands;
    const lx = operator.lexer;
    switch (operator.op) {
      case 'q': if (saved.length < 256) saved.push(ctm); break;
      case 'Q': ctm = saved.pop() ?? base; break;
      case 'cm': ctm = mul([num(6), num(5), num(4), num(3), num(2), num(1)], ctm); break;
      case 'g': white = num(1) >= 0.99; break;
      case 'rg': white = num(3) >= 0.99 && num(2) >= 0.99 && num(1) >= 0.99; break;
      case 'k': white = num(4) <= 0.01 && num(3) <= 0.01 && num(2) <= 0.01 && num(1) <= 0.01; break;
      case 'sc': case 'scn': white = false; break;
      case 'm': cx = num(2); cy = num(1); path.push(apply(ctm, cx, cy)); break;
      case 'l': cx = num(2); cy = num(1); path.push(apply(ctm, cx, cy)); break;
      case 'c': path.push(apply(ctm, num(6), num(5)), apply(ctm, num(4), num(3))); cx = num(2); cy = num(1); path.push(apply(ctm, cx, cy)); break;
      case 'v': case 'y': path.push(apply(ctm, num(4), num(3))); cx = num(2); cy = num(1); path.push(apply(ctm, cx, cy)); break;
      case 're': path.push(...rectPoints(ctm, num(4), num(3), num(2), num(1))); break;
      case 'S': case 's': { const b = boxOf(path); if (b) out.push(b); path = []; break; }
      case 'f': case 'F': case 'f*': { const b = boxOf(path); if (b && !white) out.push(b); path = []; break; }
      case 'B': case 'B*': case 'b': case 'b*': { const b = boxOf(path); if (b) out.push(b); path = []; break; }
      case 'n': path = []; break;
      case 'BT': tm = I; tlm = I; break;
      case 'Tf': { fontSize = num(1); const n = stack[stack.length - 2]; metrics = fontMetrics(file, n instanceof PdfName ? dictOf(file.resolve(fonts?.get(n.name), rev)) : null, rev); break; }
      case 'Td': tlm = mul([1, 0, 0, 1, num(2), num(1)], tlm); tm = tlm; break;
      case 'TD': tl = -num(1); tlm = mul([1, 0, 0, 1, num(2), num(1)], tlm); tm = tlm; break;
      case 'Tm': tlm = [num(6), num(5), num(4), num(3), num(2), num(1)]; tm = tlm; break;
      case 'T*': tlm = mul([1, 0, 0, 1, 0, -tl], tlm); tm = tlm; break;
      case 'TL': tl = num(1); break;
      case 'Tc': tc = num(1); break;
      case 'Tw': tw = num(1); break;
      case 'Tz': tz = num(1) / 100; break;
      case 'Tj': { const s = stack[stack.length - 1]; if (s instanceof PdfString) showText(s); break; }
      case "'": case '"': { tlm = mul([1, 0, 0, 1, 0, -tl], tlm); tm = tlm; const s = stack[stack.length - 1]; if (s instanceof PdfString) showText(s); break; }
      case 'TJ': {
        const arr = stack[stack.length - 1];
        if (Array.isArray(arr)) for (const e of arr) {
          if (e instanceof PdfString) showText(e);
          else if (typeof e === 'number') tm = mul([1, 0, 0, 1, (-e / 1000) * fontSize * tz, 0], tm);
        }
        break;
      }
      case 'Do': {
        const n = stack[stack.length - 1];
        const xo = n instanceof PdfName ? file.resolve(xobjects?.get(n.name), rev) : undefined;
        if (xo instanceof PdfStream) {
          const st = xo.dict.get('Subtype');
          if (st instanceof PdfName && st.name === 'Form') {
            const bb = file.resolve(xo.dict.get('BBox'), rev);
            const fm = mul(asMatrix(file.resolve(xo.dict.get('Matrix'), rev)) ?? I, ctm);
            if (Array.isArray(bb) && bb.length === 4 && bb.every((v) => typeof v === 'number')) {
              const [x0, y0, x1, y1] = bb as number[];
              const b = boxOf(rectPoints(fm, x0!, y0!, x1! - x0!, y1! - y0!));
              // Recurse for a precise picture; fall back to the BBox when the form cannot be read.
              const inner: Rect[] = [];
              const fdata = file.streamData(xo);
              if (fdata) interpret(file, fdata, dictOf(file.resolve(xo.dict.get('Resources'), rev)) ?? res, fm, rev, inner, depth + 1);
              else if (b) inner.push(b);
              out.push(...inner);
            }
          } else {
            const b = boxOf(rectPoints(ctm, 0, 0, 1, 1));
            if (b) out.push(b);
          }
        }
        break;
      }
      case 'BI': {
        if (!skipInlineImage(data, lx)) return;
        const b = boxOf(rectPoints(ctm, 0, 0, 1, 1));
        if (b) out.push(b);
        break;
      }
      case 'sh': out.push({ x: -1e6, y: -1e6, width: 2e6, height: 2e6 }); break;
      default: break;
    }
  }
}

export function intersection(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/** Content boxes a rectangle covers by more than `tolerance` points in both directions. */
export function coveredContent(rect: Rect, boxes: readonly Rect[], tolerance = 1.5): Rect[] {
  return boxes.filter((b) => {
    const w = Math.min(rect.x + rect.width, b.x + b.width) - Math.max(rect.x, b.x);
    const h = Math.min(rect.y + rect.height, b.y + b.height) - Math.max(rect.y, b.y);
    return w > tolerance && h > tolerance;
  });
}
