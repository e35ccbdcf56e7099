/**
 * Page text as lines of positioned characters, through pdf.js text extraction. pdf.js gives runs
 * (items) with a start point and a total width; positions inside a run are estimated from Liberation
 * Serif advance widths scaled to the run's real width, which is exact for Times-metric fonts (what
 * Decree 30 prescribes) and close enough for others to find the blanks the clerk fills.
 */
import { parsedFont } from '../appearance/fonts';
import { loadPdfJs, openPdfJs, withinPdfJsTime, type PdfJs } from './pdfjs';

export interface PositionedChar { ch: string; x0: number; x1: number }
export interface TextLine { page: number; y: number; size: number; text: string; chars: PositionedChar[]; x0: number; x1: number }

interface Item { str: string; x: number; y: number; width: number; size: number }

const MAX_ITEMS_PER_PAGE = 20_000;
let advance: ((ch: string) => number) | null = null;

function advanceOf(ch: string): number {
  if (!advance) {
    const font = parsedFont('regular') as unknown as { unitsPerEm: number; glyphForCodePoint(cp: number): { advanceWidth: number } };
    const cache = new Map<string, number>();
    advance = (c) => {
      let w = cache.get(c);
      if (w === undefined) {
        w = font.glyphForCodePoint(c.codePointAt(0) ?? 32).advanceWidth / font.unitsPerEm || 0.5;
        cache.set(c, w);
      }
      return w;
    };
  }
  return advance(ch);
}


export interface TextPages {
  pageCount: number;
  /** Lines of one 0-based page, top to bottom. */
  lines(page: number): Promise<TextLine[]>;
  close(): Promise<void>;
}

/** Opens a PDF for page-by-page text lines (callers searching from the last page stop early). */
export async function openTextPages(pdf: Uint8Array): Promise<TextPages> {
  const { task } = await openPdfJs({ range: await rangeTransportFor(pdf), disableAutoFetch: true, disableStream: true, rangeChunkSize: RANGE_CHUNK });
  const abandon = () => { void task.destroy(); };
  const doc = await withinPdfJsTime(task.promise, abandon);
  return {
    pageCount: doc.numPages,
    async lines(p: number): Promise<TextLine[]> {
      if (p < 0 || p >= doc.numPages) return [];
      const content = await withinPdfJsTime((async () => (await doc.getPage(p + 1)).getTextContent())(), abandon);
      const items: Item[] = [];
      for (const it of content.items.slice(0, MAX_ITEMS_PER_PAGE)) {
        if (!('str' in it) || it.str.length === 0) continue;
        const [a, b, , d, e, f] = it.transform as number[];
        // Rotated runs are not part of the Decree-30 header or signer block.
        if (Math.abs(b ?? 0) > 1e-3) continue;
        items.push({ str: it.str.normalize('NFC'), x: e ?? 0, y: f ?? 0, width: it.width, size: Math.abs(d ?? a ?? 12) });
      }
      return groupLines(p, items);
    },
    close: () => task.destroy(),
  };
}

const RANGE_CHUNK = 64 * 1024;

/**
 * pdf.js reads the file through a range transport over our buffer instead of getting the whole file:
 * it detaches any buffer it is handed (so it would need a full copy), and given everything it also
 * walks everything. Through ranges it touches only the chunks holding the xref, the page and its
 * fonts — a few hundred KB of a 50 MB scan — each served as a small copy.
 */
async function rangeTransportFor(pdf: Uint8Array): Promise<InstanceType<PdfJs['PDFDataRangeTransport']>> {
  const lib = await loadPdfJs();
  // Copies, never views: pdf.js detaches what it receives, and a Buffer's slice() is a view.
  const copy = (from: number, to: number) => new Uint8Array(pdf.subarray(from, to));
  const initial = copy(0, Math.min(pdf.byteLength, RANGE_CHUNK));
  const transport = new lib.PDFDataRangeTransport(pdf.byteLength, initial);
  transport.requestDataRange = (begin: number, end: number) => {
    const from = Math.max(0, Math.min(begin, pdf.byteLength));
    const to = Math.max(from, Math.min(end, pdf.byteLength));
    // Answered on a later tick, as a network transport would: pdf.js registers its listeners first.
    queueMicrotask(() => transport.onDataRange(from, copy(from, to)));
  };
  return transport;
}

/** Lines of the given 0-based pages (all when omitted), page by page, top to bottom. */
export async function extractLines(pdf: Uint8Array, pages?: readonly number[]): Promise<{ pageCount: number; lines: TextLine[] }> {
  const doc = await openTextPages(pdf);
  try {
    const wanted = pages ?? Array.from({ length: doc.pageCount }, (_, i) => i);
    const lines: TextLine[] = [];
    for (const p of wanted) lines.push(...(await doc.lines(p)));
    return { pageCount: doc.pageCount, lines };
  } finally {
    await doc.close();
  }
}

function groupLines(page: number, items: Item[]): TextLine[] {
  // Sorted top to bottom, a run joins the line being built when its baseline is close enough: one
  // pass, so a hostile page with thousands of runs stays linear after the sort.
  items.sort((p, q) => q.y - p.y || p.x - q.x);
  const groups: Item[][] = [];
  let cur: Item[] | null = null;
  for (const it of items) {
    if (cur && Math.abs(cur[0]!.y - it.y) < 0.3 * Math.max(cur[0]!.size, it.size)) cur.push(it);
    else groups.push((cur = [it]));
  }
  return groups.flatMap((g) => splitColumns(g).map((seg) => toLine(page, seg)));
}

/**
 * Runs on one baseline but far apart belong to different columns (Nơi nhận on the left, the signer
 * block on the right; Số on the left, the date line on the right): a horizontal gap of more than four
 * font sizes starts a new segment. Blanks the clerk fills are narrower than that.
 */
function splitColumns(g: Item[]): Item[][] {
  g.sort((p, q) => p.x - q.x);
  const segs: Item[][] = [];
  let end = -Infinity;
  for (const it of g) {
    const cur = segs[segs.length - 1];
    if (!cur || it.x - end > 4 * it.size) segs.push([it]);
    else cur.push(it);
    end = Math.max(end, it.x + it.width);
  }
  return segs;
}

function toLine(page: number, g: Item[]): TextLine {
  const chars: PositionedChar[] = [];
  for (const it of g) {
    const last = chars[chars.length - 1];
    if (last && it.x - last.x1 > 0.15 * it.size && last.ch !== ' ') chars.push({ ch: ' ', x0: last.x1, x1: it.x });
    chars.push(...placeChars(it));
  }
  const size = Math.max(...g.map((i) => i.size));
  return { page, y: g[0]!.y, size, text: chars.map((c) => c.ch).join(''), chars, x0: chars[0]?.x0 ?? 0, x1: chars[chars.length - 1]?.x1 ?? 0 };
}

function placeChars(it: Item): PositionedChar[] {
  const cps = Array.from(it.str);
  const adv = cps.map(advanceOf);
  const total = adv.reduce((s, w) => s + w, 0) || 1;
  const scale = it.width > 0 ? it.width / total : it.size;
  let x = it.x;
  return cps.map((ch, i) => {
    const x0 = x;
    x += adv[i]! * scale;
    return { ch, x0, x1: x };
  });
}
