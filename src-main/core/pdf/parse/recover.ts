/**
 * Cross-reference recovery, as mature readers do when the /Prev chain or an offset is broken: every
 * %%EOF closes a revision; a revision's own xref section (found through the startxref just before its
 * %%EOF) is used when it reads, whatever its /Prev says; otherwise the section is rebuilt by scanning
 * the revision's bytes for "n g obj" headers and its trailer. The caller records that the file was
 * repaired, so a verdict on a repaired file never looks like one on an intact file.
 */
import { LIMITS } from './limits';
import { Lexer, PdfLimitError, PdfSyntaxError, type LengthResolver } from './lexer';
import type { DecodeBudget } from './filters';
import { readXrefSection, type XrefEntry, type XrefSection } from './xref';
import { PdfDict, PdfRef, type PdfObject } from './objects';

export interface RecoveredRevision {
  sec: XrefSection;
  start: number;
  end: number;
  /** The section was rebuilt by scanning (its own xref did not read). */
  rebuilt: boolean;
}

const EOF = Buffer.from('%%EOF', 'latin1');
const OBJ_HEADER = /(?:^|[\r\n\s])(\d{1,10})[ \t\r\n]+(\d{1,5})[ \t\r\n]+obj\b/g;

export function recoverRevisions(b: Buffer, budget: DecodeBudget, lengthOf: (sections: XrefSection[]) => LengthResolver): RecoveredRevision[] {
  const ends: number[] = [];
  for (let p = b.indexOf(EOF); p >= 0; p = b.indexOf(EOF, p + 5)) {
    let e = p + 5;
    if (b[e] === 13) e++;
    if (b[e] === 10) e++;
    ends.push(e);
    if (ends.length > LIMITS.MAX_REVISIONS) throw new PdfLimitError('too many revisions to recover', p);
  }
  // Bytes after the last %%EOF that hold objects form one more (unterminated) revision.
  const lastEnd = ends[ends.length - 1] ?? 0;
  if (lastEnd < b.length && /\d+\s+\d+\s+obj\b/.test(b.toString('latin1', lastEnd, Math.min(b.length, lastEnd + LIMITS.TAIL_SEARCH_BYTES)))) ends.push(b.length);
  if (ends.length === 0) ends.push(b.length);
  const out: RecoveredRevision[] = [];
  let start = 0;
  for (const end of ends) {
    const own = ownSection(b, start, end, budget, lengthOf(out.map((r) => r.sec)));
    const sec = own ?? scanSection(b, start, end);
    if (sec) out.push({ sec, start, end, rebuilt: own === null });
    start = end;
  }
  if (out.length === 0) throw new PdfSyntaxError('no cross-reference data could be recovered', 0);
  return out;
}

function ownSection(b: Buffer, start: number, end: number, budget: DecodeBudget, len: LengthResolver): XrefSection | null {
  const sx = b.lastIndexOf('startxref', end, 'latin1');
  if (sx < start) return null;
  try {
    const offset = new Lexer(b, sx + 9).readInt();
    if (offset < start || offset >= end) return null;
    const at = new Lexer(b, offset);
    at.skipWs();
    return readXrefSection(b, at.pos, budget, len);
  } catch (e) {
    if (e instanceof PdfSyntaxError) return null;
    throw e;
  }
}

/** Entries from the object headers in [start, end), later definitions winning; the trailer from the last "trailer" or catalog. */
function scanSection(b: Buffer, start: number, end: number): XrefSection | null {
  const text = b.toString('latin1', start, end);
  const entries = new Map<number, XrefEntry>();
  let catalogAt = -1;
  OBJ_HEADER.lastIndex = 0;
  for (let m = OBJ_HEADER.exec(text); m; m = OBJ_HEADER.exec(text)) {
    if (entries.size >= LIMITS.MAX_XREF_ENTRIES) throw new PdfLimitError('too many objects to recover', start);
    const offset = start + m.index + (m[0].length - m[0].trimStart().length);
    entries.set(Number(m[1]), { kind: 'used', offset, gen: Number(m[2]) });
    if (/^\s*<<[^]{0,200}?\/Type\s*\/Catalog\b/.test(text.slice(m.index + m[0].length, m.index + m[0].length + 256))) catalogAt = Number(m[1]);
  }
  if (entries.size === 0) return null;
  let trailer: PdfDict | null = null;
  const t = text.lastIndexOf('trailer');
  if (t >= 0) {
    try {
      const v: PdfObject = new Lexer(b, start + t + 7).parseObject();
      if (v instanceof PdfDict) trailer = v;
    } catch { /* fall through to the catalog */ }
  }
  if (!trailer || !trailer.has('Root')) {
    if (catalogAt < 0) return null;
    const map = new Map<string, PdfObject>(trailer?.map ?? []);
    map.set('Root', new PdfRef(catalogAt, 0));
    trailer = new PdfDict(map, start, start);
  }
  return { offset: end, kind: 'table', entries, trailer, end, duplicates: [] };
}
