import { LIMITS } from './limits';
import { Lexer, parseIndirectObject, PdfLimitError, PdfSyntaxError, type LengthResolver } from './lexer';
import { decodeStream, type DecodeBudget } from './filters';
import { PdfDict, PdfStream, type PdfRef } from './objects';

export type XrefEntry =
  | { kind: 'free'; gen: number }
  | { kind: 'used'; offset: number; gen: number }
  | { kind: 'compressed'; stream: number; index: number };

export interface XrefSection {
  /** Offset of "xref" or of the xref stream object. */
  offset: number;
  kind: 'table' | 'stream';
  entries: Map<number, XrefEntry>;
  trailer: PdfDict;
  /** One past the trailer dictionary (table) or "endobj" (stream). */
  end: number;
  /** Object numbers declared twice within this section. */
  duplicates: number[];
}

/** Reads the xref section (table or stream) at `offset`. Hybrid /XRefStm entries are merged under the table's. */
export function readXrefSection(buf: Buffer, offset: number, budget: DecodeBudget, resolveLength: LengthResolver): XrefSection {
  const lx = new Lexer(buf, offset);
  if (lx.peekKeyword('xref')) {
    const sec = readTable(buf, lx);
    const stm = sec.trailer.get('XRefStm');
    if (typeof stm === 'number') {
      const s = readStream(buf, stm, budget, resolveLength);
      for (const [n, e] of s.entries) if (!sec.entries.has(n)) sec.entries.set(n, e);
    }
    return sec;
  }
  return readStream(buf, offset, budget, resolveLength);
}

function readTable(buf: Buffer, lx: Lexer): XrefSection {
  const offset = lx.pos;
  lx.expectKeyword('xref');
  const entries = new Map<number, XrefEntry>();
  const duplicates: number[] = [];
  for (;;) {
    lx.skipWs();
    if (lx.peekKeyword('trailer')) break;
    const first = lx.readInt();
    const count = lx.readInt();
    if (entries.size + count > LIMITS.MAX_XREF_ENTRIES) throw new PdfLimitError('too many xref entries', offset);
    for (let i = 0; i < count; i++) {
      const o = lx.readInt();
      const g = lx.readInt();
      lx.skipWs();
      const t = lx.regularToken();
      if (t !== 'n' && t !== 'f') throw new PdfSyntaxError('bad xref entry type', lx.pos);
      const num = first + i;
      if (entries.has(num)) duplicates.push(num);
      entries.set(num, t === 'n' ? { kind: 'used', offset: o, gen: g } : { kind: 'free', gen: g });
    }
  }
  lx.expectKeyword('trailer');
  const trailer = lx.parseObject();
  if (!(trailer instanceof PdfDict)) throw new PdfSyntaxError('trailer is not a dictionary', lx.pos);
  return { offset, kind: 'table', entries, trailer, end: lx.pos, duplicates };
}

function readStream(buf: Buffer, offset: number, budget: DecodeBudget, resolveLength: LengthResolver): XrefSection {
  const obj = parseIndirectObject(buf, offset, resolveLength);
  if (!(obj.value instanceof PdfStream)) throw new PdfSyntaxError('startxref does not point to an xref table or stream', offset);
  const dict = obj.value.dict;
  const type = dict.get('Type');
  if (!(type && typeof type === 'object' && 'name' in type && type.name === 'XRef')) throw new PdfSyntaxError('xref stream without /Type /XRef', offset);
  const data = decodeStream(buf.subarray(obj.value.dataStart, obj.value.dataEnd), dict, budget, offset);
  if (!data) throw new PdfSyntaxError('xref stream with an unsupported filter', offset);
  const w = dict.get('W');
  if (!Array.isArray(w) || w.length !== 3 || !w.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= 8)) {
    throw new PdfSyntaxError('bad /W in xref stream', offset);
  }
  const [w0, w1, w2] = w as [number, number, number];
  const size = dict.get('Size');
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 0 || size > LIMITS.MAX_XREF_ENTRIES) throw new PdfSyntaxError('bad /Size', offset);
  const idx = dict.get('Index') ?? [0, size];
  if (!Array.isArray(idx) || idx.length % 2 !== 0 || !idx.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= 0)) throw new PdfSyntaxError('bad /Index', offset);
  const rec = w0 + w1 + w2;
  if (rec === 0) throw new PdfSyntaxError('empty xref records', offset);
  const entries = new Map<number, XrefEntry>();
  const duplicates: number[] = [];
  let p = 0;
  const field = (width: number, dflt: number): number => {
    if (width === 0) return dflt;
    let v = 0;
    for (let i = 0; i < width; i++) v = v * 256 + data[p++]!;
    return v;
  };
  for (let k = 0; k < idx.length; k += 2) {
    const first = idx[k] as number;
    const count = idx[k + 1] as number;
    if (entries.size + count > LIMITS.MAX_XREF_ENTRIES) throw new PdfLimitError('too many xref entries', offset);
    for (let i = 0; i < count; i++) {
      if (p + rec > data.length) throw new PdfSyntaxError('xref stream shorter than its /Index', offset);
      const t = field(w0, 1);
      const a = field(w1, 0);
      const b = field(w2, 0);
      const num = first + i;
      if (entries.has(num)) duplicates.push(num);
      if (t === 0) entries.set(num, { kind: 'free', gen: b });
      else if (t === 1) entries.set(num, { kind: 'used', offset: a, gen: b });
      else if (t === 2) entries.set(num, { kind: 'compressed', stream: a, index: b });
      // Other types are reserved and mean "null object": ignore.
    }
  }
  return { offset, kind: 'stream', entries, trailer: dict, end: obj.end, duplicates };
}

/** Xref streams with an indirect /Length: read it plainly from the xref sections read so far. */
export function plainLength(b: Buffer, sections: readonly XrefSection[]): (ref: PdfRef) => number | null {
  return (ref) => {
    for (const s of sections) {
      const e = s.entries.get(ref.num);
      if (e?.kind === 'used') {
        try {
          const v = parseIndirectObject(b, e.offset, () => null).value;
          return typeof v === 'number' ? v : null;
        } catch { return null; }
      }
    }
    return null;
  };
}
