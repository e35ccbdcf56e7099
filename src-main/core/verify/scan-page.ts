/**
 * Widgets over scanned pages (docs/verification.md, "Signatures on scanned pages"). A scan is one image
 * covering its page, so the content boxes say "covered" wherever a widget lies; what the signer saw
 * there is in the image's pixels. For a page of the signed revision that paints only images (and
 * invisible OCR text), the verifier reads the pixels under the widget: paper-white means blank space.
 */
import { decode as decodeJpeg } from 'jpeg-js';
import type { Rect } from '../pdf/parse/acroform';
import { inherited, pageContent } from '../pdf/parse/content';
import type { PdfFile } from '../pdf/parse/document';
import { IDENTITY, type Matrix } from '../pdf/parse/operators';
import { dictOf, PdfName, PdfStream, PdfString, type PdfDict, type PdfObject } from '../pdf/parse/objects';
import { SEAL_MM_MAX, SEAL_MM_MIN } from '../../contract/limits';
import { walkPaint, type PaintedImage } from './paint-walk';

/** A pixel is ink when its darkest channel is below this: black and coloured ink (red, blue) alike; paper and scanner noise stay above. */
export const INK_LEVEL = 160;
/** Blank space may hold this share of ink pixels (dust, noise); a full stop under a 12 pt number box is more. */
export const BLANK_INK_SHARE = 0.002;
/** The widget's edge may touch neighbouring print by this much (points), as for content boxes. */
const EDGE_TOLERANCE_PT = 1.5;
/** A stamp pixel is red: its alpha at least half, red above green and blue by this much (Điều 16.2.a: the seal is red). */
const STAMP_RED_MARGIN = 48;
/** An A3 page at 400 dpi; a larger image is not judged (counts as ink), so a hostile size cannot exhaust memory. */
const MAX_PIXELS = 40_000_000;
const MAX_JPEG_MEMORY_MB = 256;
const MM = 72 / 25.4;

export type ScanVerdict =
  /** The page is not a scan (it paints text or paths): judge it by its content boxes. */
  | 'not-scan'
  /** Over paper-white pixels of the scan. */
  | 'blank'
  /** Over ink, drawn as a transparent red seal of real seal size: it adds red, hides nothing else. */
  | 'stamp'
  /** Over ink of the scan, or pixels that cannot be read. */
  | 'ink';

interface Pixels { width: number; height: number; channels: 1 | 3; data: Uint8Array }

/** Pixels of an image XObject (8-bit grey, RGB, palette over RGB, 1-bit grey; Flate or DCT), or null. */
export function imagePixels(file: PdfFile, dict: PdfDict, stream: PdfStream, colourSpaces: PdfDict | null): Pixels | null {
  const num = (k: string) => { const v = file.resolve(dict.get(k)); return typeof v === 'number' ? v : 0; };
  const width = num('Width'), height = num('Height'), bpc = num('BitsPerComponent');
  if (width <= 0 || height <= 0 || width * height > MAX_PIXELS) return null;
  const filters = file.resolve(dict.get('Filter'));
  const last = Array.isArray(filters) ? filters[filters.length - 1] : filters;
  if (last instanceof PdfName && last.name === 'DCTDecode') {
    if (Array.isArray(filters) && filters.length > 1) return null;
    try {
      const j = decodeJpeg(file.bytes.subarray(stream.dataStart, stream.dataEnd), { useTArray: true, formatAsRGBA: false, maxResolutionInMP: MAX_PIXELS / 1e6, maxMemoryUsageInMB: MAX_JPEG_MEMORY_MB });
      return { width: j.width, height: j.height, channels: 3, data: j.data };
    } catch { return null; }
  }
  let raw: Buffer | null;
  try { raw = file.streamData(stream); } catch { return null; }
  if (!raw) return null;
  const space = colourSpace(file, dict.get('ColorSpace'), colourSpaces);
  if (!space) return null;
  if (space.palette) {
    if (bpc !== 8 || raw.length < width * height) return null;
    const out = new Uint8Array(width * height * 3);
    for (let i = 0; i < width * height; i++) {
      const at = raw[i]! * space.palette.channels;
      for (let c = 0; c < 3; c++) out[i * 3 + c] = space.palette.entries[at + (space.palette.channels === 3 ? c : 0)] ?? 0;
    }
    return { width, height, channels: 3, data: out };
  }
  if (bpc === 8 && raw.length >= width * height * space.channels) return { width, height, channels: space.channels, data: raw };
  if (bpc === 1 && space.channels === 1) {
    const row = Math.ceil(width / 8);
    if (raw.length < row * height) return null;
    const out = new Uint8Array(width * height);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) out[y * width + x] = (raw[y * row + (x >> 3)]! >> (7 - (x & 7))) & 1 ? 255 : 0;
    return { width, height, channels: 1, data: out };
  }
  return null;
}

interface Space { channels: 1 | 3; palette?: { channels: number; entries: Uint8Array } }

function colourSpace(file: PdfFile, o: PdfObject | undefined, named: PdfDict | null, depth = 0): Space | null {
  const v = file.resolve(o);
  if (depth > 4) return null;
  if (v instanceof PdfName) {
    if (v.name === 'DeviceRGB' || v.name === 'CalRGB' || v.name === 'RGB') return { channels: 3 };
    if (v.name === 'DeviceGray' || v.name === 'CalGray' || v.name === 'G') return { channels: 1 };
    return named ? colourSpace(file, named.get(v.name), null, depth + 1) : null;
  }
  if (!Array.isArray(v) || !(v[0] instanceof PdfName)) return null;
  const kind = v[0].name;
  if (kind === 'CalRGB') return { channels: 3 };
  if (kind === 'CalGray') return { channels: 1 };
  if (kind === 'ICCBased') {
    const s = file.resolve(v[1]);
    const n = s instanceof PdfStream ? file.resolve(s.dict.get('N')) : undefined;
    return n === 3 ? { channels: 3 } : n === 1 ? { channels: 1 } : null;
  }
  if (kind === 'Indexed' || kind === 'I') {
    const base = colourSpace(file, v[1], named, depth + 1);
    const table = file.resolve(v[3]);
    const entries = table instanceof PdfString ? table.bytes : table instanceof PdfStream ? file.streamData(table) : null;
    return base && !base.palette && entries ? { channels: 3, palette: { channels: base.channels, entries } } : null;
  }
  return null;
}

/** The pixel rectangle of an image (placed by `ctm`) under a page-space rectangle, clamped; null when they do not meet. */
function pixelBox(px: Pixels, ctm: Matrix, r: Rect): { x0: number; y0: number; x1: number; y1: number } | null {
  const det = ctm[0] * ctm[3] - ctm[1] * ctm[2];
  if (Math.abs(det) < 1e-9) return null;
  const toUnit = (x: number, y: number): [number, number] => {
    const dx = x - ctm[4], dy = y - ctm[5];
    return [(dx * ctm[3] - dy * ctm[2]) / det, (dy * ctm[0] - dx * ctm[1]) / det];
  };
  const corners = [toUnit(r.x, r.y), toUnit(r.x + r.width, r.y), toUnit(r.x, r.y + r.height), toUnit(r.x + r.width, r.y + r.height)];
  const us = corners.map((c) => c[0]), vs = corners.map((c) => c[1]);
  // Image row 0 is the top of the unit square (v = 1).
  const x0 = Math.max(0, Math.floor(Math.min(...us) * px.width)), x1 = Math.min(px.width, Math.ceil(Math.max(...us) * px.width));
  const y0 = Math.max(0, Math.floor((1 - Math.max(...vs)) * px.height)), y1 = Math.min(px.height, Math.ceil((1 - Math.min(...vs)) * px.height));
  return x1 > x0 && y1 > y0 ? { x0, y0, x1, y1 } : null;
}

/** Whether the unit square placed by `ctm` meets `r`. */
function meets(ctm: Matrix, r: Rect): boolean {
  const xs = [ctm[4], ctm[4] + ctm[0], ctm[4] + ctm[2], ctm[4] + ctm[0] + ctm[2]];
  const ys = [ctm[5], ctm[5] + ctm[1], ctm[5] + ctm[3], ctm[5] + ctm[1] + ctm[3]];
  return Math.max(...xs) > r.x && Math.min(...xs) < r.x + r.width && Math.max(...ys) > r.y && Math.min(...ys) < r.y + r.height;
}

/** Share of ink pixels of `px` under `r`; null when the image does not reach under it. */
export function inkShare(px: Pixels, ctm: Matrix, r: Rect): number | null {
  const b = pixelBox(px, ctm, r);
  if (!b) return null;
  let ink = 0;
  for (let y = b.y0; y < b.y1; y++) {
    for (let x = b.x0; x < b.x1; x++) {
      const i = (y * px.width + x) * px.channels;
      const darkest = px.channels === 1 ? px.data[i]! : Math.min(px.data[i]!, px.data[i + 1]!, px.data[i + 2]!);
      if (darkest < INK_LEVEL) ink++;
    }
  }
  return ink / ((b.x1 - b.x0) * (b.y1 - b.y0));
}

/**
 * The judge for one document: which signed-revision pages are scans, and their decoded pixels, are
 * kept across the updates being diffed (an issue adds four widgets to the same page).
 */
export class ScanJudge {
  private readonly pagesSeen = new Map<string, PaintedImage[] | null>();
  private readonly pixels = new Map<number, Pixels | null>();
  constructor(private readonly file: PdfFile) {}

  /** What lies under `rect` on page `page` (dictionary as of revision `rev`), for the widget or annotation `annot`. */
  judge(page: PdfDict, pageIndex: number, rev: number, rect: Rect, annot: PdfDict, annotRev: number): ScanVerdict {
    const images = this.scanImages(page, pageIndex, rev);
    if (!images) return 'not-scan';
    const inner: Rect = { x: rect.x + EDGE_TOLERANCE_PT, y: rect.y + EDGE_TOLERANCE_PT, width: rect.width - 2 * EDGE_TOLERANCE_PT, height: rect.height - 2 * EDGE_TOLERANCE_PT };
    if (inner.width <= 0 || inner.height <= 0) return 'blank';
    let blank = true;
    for (const img of images) {
      if (!meets(img.ctm, inner)) continue;
      const px = img.stream ? this.pixelsOf(img) : null;
      if (!px) return 'ink';
      const share = inkShare(px, img.ctm, inner);
      if (share !== null && share > BLANK_INK_SHARE) { blank = false; break; }
    }
    if (blank) return 'blank';
    try {
      return this.isStamp(annot, annotRev, rect) ? 'stamp' : 'ink';
    } catch {
      // An appearance that cannot be read (corrupt, over the decode budget) is not a seal we can judge.
      return 'ink';
    }
  }

  /** The images of a page that paints nothing else visible, or null. */
  private scanImages(page: PdfDict, pageIndex: number, rev: number): PaintedImage[] | null {
    const key = `${rev}:${pageIndex}`;
    if (this.pagesSeen.has(key)) return this.pagesSeen.get(key)!;
    const images: PaintedImage[] = [];
    let other = false;
    try {
      const res = dictOf(inherited(this.file, page, 'Resources', rev) ?? undefined);
      walkPaint(this.file, pageContent(this.file, page, rev), res, IDENTITY, rev, { image: (i) => images.push(i), visible: () => { other = true; } });
    } catch { other = true; }
    const out = other || images.length === 0 ? null : images;
    this.pagesSeen.set(key, out);
    return out;
  }

  private pixelsOf(img: PaintedImage): Pixels | null {
    const at = img.stream!.dataStart;
    if (!this.pixels.has(at)) {
      let px: Pixels | null = null;
      try { px = imagePixels(this.file, img.dict, img.stream!, img.colourSpaces); } catch { /* unreadable: judged as ink */ }
      this.pixels.set(at, px);
    }
    return this.pixels.get(at)!;
  }

  /**
   * A seal stamped over the scan: a widget of a seal's real size (contract/limits.ts), about square,
   * whose appearance paints only images with a soft mask, every opaque pixel of them red. It can add
   * red marks; it cannot white out or write black text over what the signer saw.
   */
  private isStamp(annot: PdfDict, rev: number, rect: Rect): boolean {
    const long = Math.max(rect.width, rect.height), short = Math.min(rect.width, rect.height);
    if (long > SEAL_MM_MAX * MM * 1.05 || short < SEAL_MM_MIN * MM * 0.95 || short / long < 0.8) return false;
    const n = this.file.resolve(dictOf(this.file.resolve(annot.get('AP'), rev))?.get('N'), rev);
    if (!(n instanceof PdfStream)) return false;
    const data = this.file.streamData(n);
    if (!data) return false;
    const images: PaintedImage[] = [];
    let other = false;
    walkPaint(this.file, data, dictOf(this.file.resolve(n.dict.get('Resources'), rev)), IDENTITY, rev, { image: (i) => images.push(i), visible: () => { other = true; } });
    if (other || images.length === 0) return false;
    return images.every((img) => {
      if (!img.stream) return false;
      const mask = this.file.resolve(img.dict.get('SMask'), rev);
      if (!(mask instanceof PdfStream)) return false;
      const colour = imagePixels(this.file, img.dict, img.stream, img.colourSpaces);
      const alpha = imagePixels(this.file, mask.dict, mask, null);
      if (!colour || !alpha || alpha.channels !== 1 || alpha.width !== colour.width || alpha.height !== colour.height) return false;
      for (let i = 0; i < colour.width * colour.height; i++) {
        if (alpha.data[i]! < 128) continue;
        const r = colour.channels === 3 ? colour.data[i * 3]! : colour.data[i]!;
        const g = colour.channels === 3 ? colour.data[i * 3 + 1]! : r;
        const b = colour.channels === 3 ? colour.data[i * 3 + 2]! : r;
        if (r - Math.max(g, b) < STAMP_RED_MARGIN) return false;
      }
      return true;
    });
  }
}
