import { LIMITS } from './limits';
import { Lexer, parseIndirectObject, PdfLimitError, PdfSyntaxError, isWhite } from './lexer';
import { DecodeBudget, decodeStream } from './filters';
import { plainLength, readXrefSection, type XrefEntry, type XrefSection } from './xref';
import { recoverRevisions } from './recover';
import { Decryptor, type EncryptionInfo } from './crypt';
import { dictOf, PdfDict, PdfRef, PdfStream, PdfString, type PdfObject } from './objects';

/** One incremental revision: the bytes [start, end) ending with its own %%EOF (and EOL). */
export interface Revision {
  index: number;
  xref: XrefSection;
  /** Extra xref section merged into this revision (the first-page table of a linearized file). */
  extraXref: XrefSection | null;
  start: number;
  end: number;
}

export type AnomalyKind =
  | 'TRAILING_DATA'
  | 'EOF_WITHOUT_XREF'
  | 'XREF_OUTSIDE_UPDATE'
  | 'DUPLICATE_OFFSET'
  | 'DUPLICATE_XREF_ENTRY'
  | 'UNREFERENCED_BYTES'
  | 'PREV_NOT_BACKWARDS'
  | 'STARTXREF_MISMATCH'
  | 'OBJECT_NUMBER_MISMATCH'
  | 'LENGTH_MISMATCH'
  | 'BROKEN_OBJECT'
  /** Recovery: this revision's xref did not read and was rebuilt by scanning its bytes. */
  | 'XREF_REBUILT';

/** A structural irregularity; the verifier decides what it means for each signature. */
export interface Anomaly { kind: AnomalyKind; revision: number; offset: number; detail: string }

export interface ObjectLookup {
  num: number;
  value: PdfObject;
  /** Revision whose xref section declared this object (as seen from the revision asked about). */
  definedIn: number;
  /** File offset of the definition, or of the containing object stream's definition. */
  offset: number;
  compressedIn: number | null;
}

const EOF = Buffer.from('%%EOF', 'latin1');

/**
 * A strict, bounded, read-only view of a PDF file with its revisions. Irregular but readable structure
 * is recorded in `anomalies` for the verifier to judge. A broken xref chain is recovered (recover.ts)
 * and said so in `repairs`; a file nothing can be recovered from throws PdfSyntaxError.
 */
export class PdfFile {
  readonly revisions: Revision[] = [];
  readonly anomalies: Anomaly[] = [];
  /** How the file had to be repaired to be read (English, for the report); empty for an intact file. */
  readonly repairs: string[] = [];
  /** The file's encryption, when it has an /Encrypt dictionary (see crypt.ts); null for a plain file. */
  readonly encryption: EncryptionInfo | null = null;
  private readonly crypt: Decryptor | null = null;
  private readonly encryptNum: number | null = null;
  /** Object number and generation of streams that must be decrypted before decoding. */
  private readonly streamOwner = new WeakMap<PdfStream, [number, number]>();
  readonly budget = new DecodeBudget();
  private readonly cache = new Map<string, ObjectLookup | null>();
  private readonly objStmCache = new Map<string, { offsets: Array<[number, number]>; data: Buffer; first: number }>();
  private resolving = 0;

  constructor(readonly bytes: Buffer) {
    if (bytes.length > LIMITS.MAX_FILE_BYTES) throw new PdfLimitError('file too large', 0);
    if (bytes.indexOf('%PDF-', 0, 'latin1') !== 0 && bytes.subarray(0, 1024).indexOf('%PDF-', 0, 'latin1') < 0) {
      throw new PdfSyntaxError('no %PDF header', 0);
    }
    this.readRevisions();
    const enc = this.trailer(this.lastRevision).get('Encrypt');
    if (enc !== undefined && enc !== null) {
      // Read the /Encrypt dictionary before any decryption is set up: its own strings are never encrypted.
      this.encryptNum = enc instanceof PdfRef ? enc.num : null;
      const encDict = dictOf(this.resolve(enc));
      const id = this.resolve(this.trailer(this.lastRevision).get('ID'));
      const id0 = Array.isArray(id) && id[0] instanceof PdfString ? id[0].bytes : Buffer.alloc(0);
      const d = encDict ? new Decryptor(encDict, id0, (o) => this.resolve(o)) : null;
      this.encryption = d?.info ?? { handler: '?', method: 'none', keyBits: 0, needsPassword: false, unsupported: true };
      if (d?.open) this.crypt = d;
      this.cache.clear();
    }
    this.checkXrefHygiene();
  }

  get lastRevision(): number { return this.revisions.length - 1; }

  /**
   * Trailer as seen at the end of revision `rev`. In a linearized revision 0 the first-page trailer
   * (which the final startxref names, and which holds /Root) wins over the main one.
   */
  trailer(rev: number): PdfDict {
    const r = this.revisions[rev]!;
    if (!r.extraXref) return r.xref.trailer;
    const merged = new Map(r.xref.trailer.map);
    for (const [k, v] of r.extraXref.trailer.map) if (k !== 'Prev') merged.set(k, v);
    return new PdfDict(merged, r.extraXref.trailer.start, r.extraXref.trailer.end);
  }

  /** Which revision a byte offset belongs to, or -1 past the last one. */
  revisionAt(offset: number): number {
    for (const r of this.revisions) if (offset >= r.start && offset < r.end) return r.index;
    return -1;
  }

  entry(num: number, rev: number): { entry: XrefEntry; definedIn: number } | null {
    for (let k = Math.min(rev, this.lastRevision); k >= 0; k--) {
      const r = this.revisions[k]!;
      const e = r.xref.entries.get(num) ?? r.extraXref?.entries.get(num);
      if (e) return { entry: e, definedIn: k };
    }
    return null;
  }

  /** The object `num` as of revision `rev` (null when free, missing or unreadable). */
  object(num: number, rev: number = this.lastRevision): ObjectLookup | null {
    const found = this.entry(num, rev);
    if (!found || found.entry.kind === 'free') return null;
    const key = `${found.definedIn}:${num}`;
    if (this.cache.has(key)) return this.cache.get(key)!;
    if (++this.resolving > LIMITS.MAX_REF_CHAIN) { this.resolving--; throw new PdfLimitError('reference chain too deep', 0); }
    try {
      const result = this.load(num, found.entry, found.definedIn, rev);
      this.cache.set(key, result);
      return result;
    } finally {
      this.resolving--;
    }
  }

  /** Follows references (bounded) and returns the direct object. */
  resolve(o: PdfObject | undefined, rev: number = this.lastRevision): PdfObject | undefined {
    for (let i = 0; i < LIMITS.MAX_REF_CHAIN && o instanceof PdfRef; i++) o = this.object(o.num, rev)?.value ?? null;
    return o instanceof PdfRef ? null : o;
  }

  /** Decoded stream data (FlateDecode and none), or null for other filters. */
  streamData(s: PdfStream): Buffer | null {
    let raw = this.bytes.subarray(s.dataStart, s.dataEnd);
    const owner = this.crypt ? this.streamOwner.get(s) : undefined;
    if (owner) raw = this.crypt!.streamBytes(owner[0], owner[1], s.dict, raw);
    return decodeStream(raw, s.dict, this.budget, s.dataStart);
  }

  private load(num: number, e: XrefEntry, definedIn: number, rev: number): ObjectLookup | null {
    if (e.kind === 'used') {
      let o;
      try {
        o = parseIndirectObject(this.bytes, e.offset, (ref) => this.lengthOf(ref, rev));
      } catch (err) {
        if (err instanceof PdfSyntaxError) {
          this.anomalies.push({ kind: 'BROKEN_OBJECT', revision: definedIn, offset: e.offset, detail: `object ${num}: ${err.message}` });
          return null;
        }
        throw err;
      }
      if (o.num !== num) this.anomalies.push({ kind: 'OBJECT_NUMBER_MISMATCH', revision: definedIn, offset: e.offset, detail: `xref says ${num}, file says ${o.num}` });
      if (o.lengthRepaired) this.anomalies.push({ kind: 'LENGTH_MISMATCH', revision: definedIn, offset: e.offset, detail: `object ${num}: /Length does not end at endstream` });
      let value = o.value;
      if (this.crypt && num !== this.encryptNum) {
        // Objects inside object streams are not encrypted on their own (the stream is): only here.
        value = this.crypt.objectStrings(num, e.gen, value);
        if (value instanceof PdfStream) this.streamOwner.set(value, [num, e.gen]);
      }
      return { num, value, definedIn, offset: e.offset, compressedIn: null };
    }
    if (e.kind === 'compressed') {
      const stm = this.objectStream(e.stream, rev);
      if (!stm || e.index >= stm.offsets.length) return null;
      const [n, off] = stm.offsets[e.index]!;
      if (n !== num) return null;
      const lx = new Lexer(stm.data, stm.first + off);
      const value = lx.parseObject();
      const host = this.object(e.stream, rev);
      return { num, value, definedIn, offset: host?.offset ?? -1, compressedIn: e.stream };
    }
    return null;
  }

  private objectStream(num: number, rev: number) {
    const host = this.object(num, rev);
    if (!host || !(host.value instanceof PdfStream)) return null;
    const key = `${host.definedIn}:${num}`;
    const hit = this.objStmCache.get(key);
    if (hit) return hit;
    const dict = host.value.dict;
    const n = dict.get('N');
    const first = dict.get('First');
    if (typeof n !== 'number' || typeof first !== 'number' || n < 0 || n > LIMITS.MAX_OBJSTM_OBJECTS || first < 0) return null;
    const data = this.streamData(host.value);
    if (!data || first > data.length) return null;
    const lx = new Lexer(data, 0, first);
    const offsets: Array<[number, number]> = [];
    for (let i = 0; i < n; i++) offsets.push([lx.readInt(), lx.readInt()]);
    const v = { offsets, data, first };
    this.objStmCache.set(key, v);
    return v;
  }

  private lengthOf(ref: PdfRef, rev: number): number | null {
    const v = this.object(ref.num, rev)?.value;
    return typeof v === 'number' ? v : null;
  }

  // ---- revisions ---------------------------------------------------------------------------------

  private readRevisions(): void {
    try {
      this.readChain();
    } catch (e) {
      if (!(e instanceof PdfSyntaxError) || e instanceof PdfLimitError) throw e;
      this.revisions.length = 0;
      this.anomalies.length = 0;
      const found = recoverRevisions(this.bytes, this.budget, (sections) => plainLength(this.bytes, sections));
      found.forEach((r, index) => {
        this.revisions.push({ index, xref: r.sec, extraXref: null, start: r.start, end: r.end });
        if (r.rebuilt) this.anomalies.push({ kind: 'XREF_REBUILT', revision: index, offset: r.start, detail: 'cross-reference section rebuilt by scanning object headers' });
      });
      this.repairs.push(`the cross-reference chain does not read (${e.message}); ${found.length} revision(s) recovered from the %%EOF markers${found.some((r) => r.rebuilt) ? ' and object headers' : ''}`);
    }
  }

  private readChain(): void {
    const b = this.bytes;
    const lastEof = b.lastIndexOf(EOF);
    if (lastEof < 0) throw new PdfSyntaxError('no %%EOF', b.length);
    const sx = b.lastIndexOf('startxref', lastEof, 'latin1');
    if (sx < 0 || lastEof - sx > LIMITS.TAIL_SEARCH_BYTES) throw new PdfSyntaxError('no startxref before the last %%EOF', lastEof);
    const lx = new Lexer(b, sx + 9);
    let offset = lx.readInt();
    const chain: XrefSection[] = [];
    const seen = new Set<number>();
    const len = plainLength(b, chain);
    for (;;) {
      if (seen.has(offset)) throw new PdfSyntaxError('/Prev loop in the xref chain', offset);
      if (chain.length >= LIMITS.MAX_REVISIONS) throw new PdfLimitError('too many revisions', offset);
      seen.add(offset);
      const sec = readXrefSection(b, offset, this.budget, len);
      chain.push(sec);
      const prev = sec.trailer.get('Prev');
      if (prev === undefined) break;
      if (typeof prev !== 'number' || !Number.isInteger(prev) || prev < 0 || prev >= b.length) throw new PdfSyntaxError('bad /Prev', sec.offset);
      offset = prev;
    }
    // Linearized files: the first-page section (near the start) points forward to the main section;
    // together they are revision 0.
    const ordered = [...chain].reverse();
    let extra: XrefSection | null = null;
    if (ordered.length >= 2 && ordered[1]!.offset < ordered[0]!.offset && this.isLinearized()) {
      extra = ordered[1]!;
      ordered.splice(1, 1);
    }
    for (let i = 1; i < ordered.length; i++) {
      if (ordered[i]!.offset <= ordered[i - 1]!.offset) {
        this.anomalies.push({ kind: 'PREV_NOT_BACKWARDS', revision: i, offset: ordered[i]!.offset, detail: '/Prev does not point to an earlier section' });
      }
    }
    let start = 0;
    ordered.forEach((sec, index) => {
      const from = Math.max(sec.end, extra && index === 0 ? extra.end : 0);
      const eof = b.indexOf(EOF, from);
      if (eof < 0) throw new PdfSyntaxError('revision without %%EOF', sec.offset);
      const sxAt = b.lastIndexOf('startxref', eof, 'latin1');
      if (sxAt >= from) {
        const l = new Lexer(b, sxAt + 9);
        const v = l.readInt();
        // Some writers (e.g. @signpdf) point at the EOL just before "xref": harmless, so skip whitespace.
        const at = new Lexer(b, Math.min(v, b.length));
        at.skipWs();
        const expected = extra && index === 0 ? extra.offset : sec.offset;
        if (at.pos !== expected && at.pos !== sec.offset) this.anomalies.push({ kind: 'STARTXREF_MISMATCH', revision: index, offset: sxAt, detail: `startxref ${v}, section at ${sec.offset}` });
      } else {
        this.anomalies.push({ kind: 'STARTXREF_MISMATCH', revision: index, offset: eof, detail: 'no startxref before %%EOF' });
      }
      let end = eof + 5;
      if (b[end] === 13) end++;
      if (b[end] === 10) end++;
      this.revisions.push({ index, xref: sec, extraXref: index === 0 ? extra : null, start, end });
      start = end;
    });
    // Every %%EOF must close a revision we know of; a stray one is an update without its own xref.
    const ends = new Set(this.revisions.map((r) => r.end));
    let extraEofs = 0;
    for (let p = b.indexOf(EOF); p >= 0 && extraEofs < 1000; p = b.indexOf(EOF, p + 5)) {
      let e = p + 5;
      if (b[e] === 13) e++;
      if (b[e] === 10) e++;
      const inLinearizedHead = extra !== null && p < this.revisions[0]!.xref.offset;
      if (!ends.has(e) && !inLinearizedHead) {
        extraEofs++;
        this.anomalies.push({ kind: 'EOF_WITHOUT_XREF', revision: this.revisionAt(p), offset: p, detail: '%%EOF that closes no cross-reference section of the chain' });
      }
    }
    const last = this.revisions[this.revisions.length - 1]!;
    for (let p = last.end; p < b.length; p++) {
      if (!isWhite(b[p])) {
        this.anomalies.push({ kind: 'TRAILING_DATA', revision: last.index, offset: p, detail: `${b.length - p} bytes after the last revision` });
        break;
      }
    }
  }

  private isLinearized(): boolean {
    try {
      const lx = new Lexer(this.bytes, 0, Math.min(this.bytes.length, 4096));
      lx.skipWs();
      const p = this.bytes.indexOf(' obj', 0, 'latin1');
      if (p < 0 || p > 2048) return false;
      const o = parseIndirectObject(this.bytes, this.bytes.lastIndexOf('\n', p - 4) + 1, () => null).value;
      return o instanceof PdfDict && o.has('Linearized');
    } catch {
      return false;
    }
  }

  /**
   * Xref hygiene for updates (docs/verification.md, "Changes after signing"): entries point into their own update, no two numbers
   * share an offset, no number twice, and an update holds nothing but its objects, xref and trailer.
   */
  private checkXrefHygiene(): void {
    for (const r of this.revisions) {
      const sec = r.xref;
      for (const d of sec.duplicates) this.anomalies.push({ kind: 'DUPLICATE_XREF_ENTRY', revision: r.index, offset: sec.offset, detail: `object ${d} declared twice` });
      const byOffset = new Map<number, number>();
      const spans: Array<[number, number]> = [];
      for (const [num, e] of sec.entries) {
        if (e.kind !== 'used') continue;
        const inside = r.index === 0 ? e.offset < r.end : e.offset >= r.start && e.offset < r.end;
        if (!inside) {
          this.anomalies.push({ kind: 'XREF_OUTSIDE_UPDATE', revision: r.index, offset: e.offset, detail: `object ${num} points to offset ${e.offset}, outside its update [${r.start}, ${r.end})` });
          continue;
        }
        const other = byOffset.get(e.offset);
        if (other !== undefined) this.anomalies.push({ kind: 'DUPLICATE_OFFSET', revision: r.index, offset: e.offset, detail: `objects ${other} and ${num} share offset ${e.offset}` });
        byOffset.set(e.offset, num);
        if (r.index > 0) {
          const o = this.object(num, r.index);
          if (o) {
            try { spans.push([e.offset, parseIndirectObject(this.bytes, e.offset, (ref) => this.lengthOf(ref, r.index)).end]); } catch { /* recorded by object() */ }
          }
        }
      }
      // A rebuilt section has no xref bytes to account for; whatever it failed to parse is said in `repairs`.
      const rebuilt = this.anomalies.some((a) => a.kind === 'XREF_REBUILT' && a.revision === r.index);
      if (r.index > 0 && !rebuilt) this.checkUnreferencedBytes(r, spans);
    }
  }

  private checkUnreferencedBytes(r: Revision, spans: Array<[number, number]>): void {
    const sec = r.xref;
    spans.push([sec.offset, sec.end]);
    spans.sort((a, b) => a[0] - b[0]);
    let p = r.start;
    const b = this.bytes;
    const gapHasData = (from: number, to: number): number => {
      const lx = new Lexer(b, from, to);
      lx.skipWs();
      if (lx.pos >= to) return -1;
      // "startxref N" before %%EOF is the only other content allowed.
      if (lx.peekKeyword('startxref')) {
        lx.pos += 9;
        try { lx.readInt(); } catch { return lx.pos; }
        lx.skipWs();
        if (lx.pos >= to) return -1;
        if (b.toString('latin1', lx.pos, lx.pos + 5) === '%%EOF') return -1;
      }
      return lx.pos;
    };
    for (const [s, e] of spans) {
      if (s > p) {
        const at = gapHasData(p, s);
        if (at >= 0) { this.anomalies.push({ kind: 'UNREFERENCED_BYTES', revision: r.index, offset: at, detail: 'bytes in an update that no xref entry covers' }); return; }
      }
      p = Math.max(p, e);
    }
    const eof = b.lastIndexOf(EOF, r.end);
    const at = gapHasData(p, eof > p ? eof : p);
    if (at >= 0) this.anomalies.push({ kind: 'UNREFERENCED_BYTES', revision: r.index, offset: at, detail: 'bytes in an update that no xref entry covers' });
  }
}
