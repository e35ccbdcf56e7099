/**
 * Where the Decree-30 blanks are on a page (Phụ lục I): the gap after "Số:", the day and month gaps
 * of the date line, and the signer block (title line above, printed name below).
 */
import type { Rect } from './geometry';
import { openTextPages, type TextLine } from './text-lines';

/** Pages searched for the signer block, from the last one back: it sits at the end of a document. */
const SIGNER_BLOCK_MAX_PAGES = 30;

/** The signer block in a PDF, searched page by page from the last (or only on `page`). */
export async function locateSignerBlock(pdf: Uint8Array, signerName: string, page?: number): Promise<SignerBlock | null> {
  const doc = await openTextPages(pdf);
  try {
    const pages = page !== undefined ? [page] : Array.from({ length: Math.min(doc.pageCount, SIGNER_BLOCK_MAX_PAGES) }, (_, i) => doc.pageCount - 1 - i);
    for (const p of pages) {
      const block = findSignerBlock(await doc.lines(p), signerName);
      if (block) return block;
    }
    return null;
  } finally {
    await doc.close();
  }
}

export interface Gap { page: number; x0: number; x1: number; baseline: number; size: number }

/** The blank between "Số:" and the ký hiệu ("/QĐ-UBND"). */
export function findNumberGap(lines: readonly TextLine[]): Gap | null {
  for (const line of lines) {
    const m = /Số:(\s+)(?=\S)/u.exec(line.text);
    if (m) return gapOf(line, m.index + 'Số:'.length, m.index + m[0].length);
  }
  return null;
}

/** The blanks after "ngày" and after "tháng" in the date line, and the year printed after "năm". */
export function findDateGaps(lines: readonly TextLine[]): { day: Gap; month: Gap; year?: number } | null {
  for (const line of lines) {
    const m = /ngày(\s+)tháng(\s+)năm(?:\s+(\d{4}))?/u.exec(line.text);
    if (!m) continue;
    const dayStart = m.index + 'ngày'.length;
    const dayEnd = dayStart + m[1]!.length;
    const monthStart = dayEnd + 'tháng'.length;
    const monthEnd = monthStart + m[2]!.length;
    const gaps = { day: gapOf(line, dayStart, dayEnd), month: gapOf(line, monthStart, monthEnd) };
    return m[3] ? { ...gaps, year: Number(m[3]) } : gaps;
  }
  return null;
}

export interface SignerBlock { page: number; title: TextLine; name: TextLine }

/**
 * The signer block, located by the signer's printed name (as VGCA does): the line equal to the name,
 * searched from the last page backwards, and the nearest line above it in the same column (the title).
 */
export function findSignerBlock(lines: readonly TextLine[], signerName: string): SignerBlock | null {
  const want = fold(signerName);
  const pages = [...new Set(lines.map((l) => l.page))].sort((a, b) => b - a);
  for (const page of pages) {
    const onPage = lines.filter((l) => l.page === page);
    const name = onPage.filter((l) => fold(l.text) === want).sort((a, b) => a.y - b.y)[0];
    if (!name) continue;
    const title = onPage
      .filter((l) => l.y > name.y + name.size && l.x1 > name.x0 - 40 && l.x0 < name.x1 + 40)
      .sort((a, b) => a.y - b.y)[0];
    if (title) return { page, title, name };
  }
  return null;
}

/** The rect where the leader's image goes: centred between title and name, keeping the PNG aspect. */
export function signatureRectInBlock(block: SignerBlock, aspect: number, maxWidth = 170): Rect {
  const top = block.title.y - 0.3 * block.title.size;
  const bottom = block.name.y + 0.9 * block.name.size;
  const room = Math.max(10, top - bottom);
  let height = Math.min(room * 0.85, 75);
  let width = height * aspect;
  if (width > maxWidth) {
    width = maxWidth;
    height = width / aspect;
  }
  const cx = (Math.max(block.title.x0, block.name.x0) + Math.min(block.title.x1, block.name.x1)) / 2;
  const cy = (top + bottom) / 2;
  return { x: cx - width / 2, y: cy - height / 2, width, height };
}

function gapOf(line: TextLine, from: number, to: number): Gap {
  // `from`/`to` index code points of line.text, which map 1:1 onto line.chars.
  const before = line.chars[from - 1];
  const after = line.chars[to];
  const x0 = before ? before.x1 : line.chars[from]!.x0;
  const x1 = after ? after.x0 : line.chars[to - 1]!.x1;
  return { page: line.page, x0, x1, baseline: line.y, size: line.size };
}

function fold(s: string): string {
  return s.normalize('NFC').replace(/\s+/g, ' ').trim().toLocaleLowerCase('vi');
}
