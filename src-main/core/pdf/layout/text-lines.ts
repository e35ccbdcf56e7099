/**
 * Page text as lines of positioned characters. Read from the content stream by the bounded parser
 * (content-text.ts: real glyph widths, no pdf.js); a page whose fonts do not say which text they show
 * (a Type0 font without /ToUnicode, say) is read through pdf.js text extraction instead, as before.
 * pdf.js gives runs (items) with a start point and a total width; positions inside a run are estimated
 * from Liberation Serif advance widths scaled to the run's real width, which is exact for Times-metric
 * fonts (what Decree 30 prescribes) and close enough for others to find the blanks the clerk fills.
 */
import { pages, PdfFile, type PageInfo } from '../parse/index';
import { pageText, type TextRun } from './content-text';
import { timesAdvance } from './text-fonts';
import { AppError } from '../../../contract/errors';
import { loadPdfJs, openPdfJs, withinPdfJsTime, type PdfJs } from './pdfjs';

export interface PositionedChar { ch: string; x0: number; x1: number }
export interface TextLine { page: number; y: number; size: number; text: string; chars: PositionedChar[]; x0: number; x1: number }

/** A run of text on one baseline; `chars` when its character positions are known exactly. */
interface Item { str: string; x: number; y: number; width: number; size: number; chars?: PositionedChar[] }

const MAX_ITEMS_PER_PAGE = 20_000;
/** pdf.js's TRACKING_SPACE_FACTOR: a smaller advance between two runs is tracking, no blank. */
const PDFJS_TRACKING_SPACE = 0.102;


export interface TextPages {
  pageCount: number;
  /** Lines of one 0-based page, top to bottom. */
  lines(page: number): Promise<TextLine[]>;
  close(): Promise<void>;
}

/**
 * Opens a PDF for page-by-page text lines (callers searching from the last page stop early): the
 * content-stream reader, and pdf.js for a file the bounded parser cannot read or an encrypted one, and
 * for each page showing text its fonts do not map to Unicode. `parse` reads `pdf` with the bounded
 * parser; a caller that parses the same bytes for something else hands its shared parse.
 */
export async function openTextPages(pdf: Uint8Array, parse: () => PdfFile = () => new PdfFile(Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength))): Promise<TextPages> {
  let file: PdfFile;
  let list: PageInfo[];
  try {
    file = parse();
    list = pages(file, file.lastRevision);
  } catch (refused) {
    // Our bounded parser refused the file; pdf.js gets a second look. When it cannot open it either, in
    // whatever way it fails (its exception classes, or a plain error from deep inside), the file is
    // damaged for the clerk: both readers said so.
    return openPdfJsTextPages(pdf).catch((e: unknown) => {
      if (e instanceof AppError) throw e;
      throw new AppError('PDF_INVALID', 'Tệp PDF bị hỏng hoặc sai cấu trúc, không đọc được nội dung.',
        `unreadable by both readers: ${(refused as Error).message}; pdf.js: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    });
  }
  if (file.encryption || list.length === 0) return openPdfJsTextPages(pdf);
  let pdfjs: Promise<TextPages> | null = null;
  const viaPdfJs = async (p: number) => (await (pdfjs ??= openPdfJsTextPages(pdf))).lines(p);
  return {
    pageCount: list.length,
    async lines(p: number): Promise<TextLine[]> {
      if (p < 0 || p >= list.length) return [];
      let text: ReturnType<typeof pageText>;
      try {
        text = pageText(file, list[p]!.dict);
      } catch {
        return viaPdfJs(p);
      }
      if (text.unmapped > 0) return viaPdfJs(p);
      const items: Item[] = [];
      let last: TextRun | null = null;
      for (const r of text.runs.slice(0, MAX_ITEMS_PER_PAGE)) {
        // Rotated runs (no character positions) are not part of the Decree-30 header or signer block.
        if (r.chars.length === 0) { last = null; continue; }
        // As pdf.js does: a run that goes on along the baseline of the one shown just before it joins
        // that line across the gap (a blank item as wide as the gap), however far, so "Số:" and its
        // ký hiệu drawn apart stay one line; a run that jumps back or to another baseline does not,
        // and a gap under a tenth of the font size is letter spacing, not a blank.
        const end = last ? last.x + last.width : 0;
        if (last && Math.abs(r.y - last.y) <= last.size && r.x - end > PDFJS_TRACKING_SPACE * last.size) {
          items.push({ str: ' ', x: end, y: last.y, width: r.x - end, size: last.size, chars: [{ ch: ' ', x0: end, x1: r.x }] });
        }
        last = r;
        const str = r.str.normalize('NFC');
        items.push(str === r.str ? { ...r, chars: r.chars } : { str, x: r.x, y: r.y, width: r.width, size: r.size });
      }
      return groupLines(p, items);
    },
    close: async () => { if (pdfjs) await (await pdfjs).close(); },
  };
}

/** The same lines through pdf.js text extraction (pages the content-stream reader cannot decode). */
export async function openPdfJsTextPages(pdf: Uint8Array): Promise<TextPages> {
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
export async function extractLines(pdf: Uint8Array, pages?: readonly number[], open: (pdf: Uint8Array) => Promise<TextPages> = openTextPages): Promise<{ pageCount: number; lines: TextLine[] }> {
  const doc = await open(pdf);
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
    for (const c of placeChars(it)) {
      // A run of blanks is one blank as wide as the run (pdf.js writes it so; the blank finder wants the span).
      const prev = chars[chars.length - 1];
      if (c.ch === ' ' && prev?.ch === ' ') chars[chars.length - 1] = { ch: ' ', x0: prev.x0, x1: Math.max(prev.x1, c.x1) };
      else chars.push(c);
    }
  }
  const size = Math.max(...g.map((i) => i.size));
  return { page, y: g[0]!.y, size, text: chars.map((c) => c.ch).join(''), chars, x0: chars[0]?.x0 ?? 0, x1: chars[chars.length - 1]?.x1 ?? 0 };
}

function placeChars(it: Item): PositionedChar[] {
  if (it.chars) return it.chars;
  const cps = Array.from(it.str);
  const adv = cps.map(timesAdvance);
  const total = adv.reduce((s, w) => s + w, 0) || 1;
  const scale = it.width > 0 ? it.width / total : it.size;
  let x = it.x;
  return cps.map((ch, i) => {
    const x0 = x;
    x += adv[i]! * scale;
    return { ch, x0, x1: x };
  });
}
