import { LIMITS } from './limits';
import { PdfDict, PdfName, PdfRef, PdfStream, PdfString, type PdfObject } from './objects';

/** Thrown for any syntax the strict reader refuses; callers turn it into a verdict, never a crash. */
export class PdfSyntaxError extends Error {
  constructor(message: string, readonly offset: number) {
    super(`${message} at byte ${offset}`);
    this.name = 'PdfSyntaxError';
  }
}

/** A hostile-input bound was hit (limits.ts): the file is refused as it is, never "repaired" around. */
export class PdfLimitError extends PdfSyntaxError {
  constructor(message: string, offset: number) {
    super(message, offset);
    this.name = 'PdfLimitError';
  }
}

const WS = new Uint8Array(256);
for (const c of [0, 9, 10, 12, 13, 32]) WS[c] = 1;
const DELIM = new Uint8Array(256);
for (const c of '()<>[]{}/%') DELIM[c.charCodeAt(0)] = 1;

export function isWhite(c: number | undefined): boolean { return c !== undefined && WS[c] === 1; }
function isRegular(c: number | undefined): boolean { return c !== undefined && WS[c] === 0 && DELIM[c] === 0; }

/**
 * The bytes of a hex string's digits (between < and >), as ISO 32000-1 §7.3.4.3 reads them: white
 * space dropped, an odd last digit followed by 0.
 */
export function hexStringBytes(hex: string): Buffer {
  const digits = hex.replace(/\s+/g, '');
  return Buffer.from(digits.length % 2 ? `${digits}0` : digits, 'hex');
}

/** Resolves /Length when it is an indirect reference; returns null when it cannot. */
export type LengthResolver = (ref: PdfRef) => number | null;

/** A cursor over the file bytes with PDF tokenisation. Stateless apart from `pos`. */
export class Lexer {
  pos: number;
  constructor(readonly buf: Buffer, pos = 0, readonly limit = buf.length) { this.pos = pos; }

  skipWs(): void {
    const b = this.buf;
    while (this.pos < this.limit) {
      const c = b[this.pos]!;
      if (WS[c]) { this.pos++; continue; }
      if (c === 0x25 /* % */) {
        while (this.pos < this.limit && b[this.pos] !== 10 && b[this.pos] !== 13) this.pos++;
        continue;
      }
      break;
    }
  }

  /** Reads a bare keyword or number token (regular characters) without consuming whitespace after. */
  regularToken(): string {
    const s = this.pos;
    while (this.pos < this.limit && isRegular(this.buf[this.pos])) this.pos++;
    return this.buf.toString('latin1', s, this.pos);
  }

  peekKeyword(word: string): boolean {
    this.skipWs();
    const end = this.pos + word.length;
    return end <= this.limit && this.buf.toString('latin1', this.pos, end) === word && !isRegular(this.buf[end]);
  }

  expectKeyword(word: string): void {
    if (!this.peekKeyword(word)) throw new PdfSyntaxError(`expected "${word}"`, this.pos);
    this.pos += word.length;
  }

  readInt(): number {
    this.skipWs();
    const start = this.pos;
    const t = this.regularToken();
    if (!/^\d{1,10}$/.test(t)) throw new PdfSyntaxError('expected a non-negative integer', start);
    return Number(t);
  }

  /** Parses one direct object (no "obj" wrapper). References "n g R" are recognised. */
  parseObject(depth = 0): PdfObject {
    if (depth > LIMITS.MAX_NESTING) throw new PdfSyntaxError('nesting too deep', this.pos);
    this.skipWs();
    if (this.pos >= this.limit) throw new PdfSyntaxError('unexpected end of data', this.pos);
    const b = this.buf;
    const c = b[this.pos]!;
    const start = this.pos;
    if (c === 0x2f /* / */) return this.parseName();
    if (c === 0x28 /* ( */) return this.parseLiteralString();
    if (c === 0x3c /* < */) {
      if (b[this.pos + 1] === 0x3c) return this.parseDict(depth);
      return this.parseHexString();
    }
    if (c === 0x5b /* [ */) {
      this.pos++;
      const arr: PdfObject[] = [];
      for (;;) {
        this.skipWs();
        if (this.pos >= this.limit) throw new PdfSyntaxError('unterminated array', start);
        if (b[this.pos] === 0x5d) { this.pos++; return arr; }
        if (arr.length >= LIMITS.MAX_CONTAINER_ITEMS) throw new PdfSyntaxError('array too large', start);
        arr.push(this.parseObject(depth + 1));
      }
    }
    if (isRegular(c)) {
      const t = this.regularToken();
      if (t === 'true') return true;
      if (t === 'false') return false;
      if (t === 'null') return null;
      if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(t)) {
        // "n g R" lookahead for references.
        if (/^\d+$/.test(t) && t.length <= 10) {
          const save = this.pos;
          this.skipWs();
          const g = this.regularToken();
          if (/^\d{1,5}$/.test(g)) {
            this.skipWs();
            if (this.buf[this.pos] === 0x52 /* R */ && !isRegular(this.buf[this.pos + 1])) {
              this.pos++;
              return new PdfRef(Number(t), Number(g));
            }
          }
          this.pos = save;
        }
        const n = Number(t);
        if (!Number.isFinite(n)) throw new PdfSyntaxError('bad number', start);
        return n;
      }
      throw new PdfSyntaxError(`unexpected token "${t.slice(0, 20)}"`, start);
    }
    throw new PdfSyntaxError(`unexpected byte 0x${c.toString(16)}`, start);
  }

  private parseName(): PdfName {
    this.pos++;
    const s = this.pos;
    while (this.pos < this.limit && isRegular(this.buf[this.pos])) this.pos++;
    if (this.pos - s > 256) throw new PdfSyntaxError('name too long', s);
    let raw = this.buf.toString('latin1', s, this.pos);
    if (raw.includes('#')) raw = raw.replace(/#([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
    return new PdfName(raw);
  }

  private parseLiteralString(): PdfString {
    const start = this.pos;
    const b = this.buf;
    this.pos++;
    const out: number[] = [];
    let nest = 1;
    while (this.pos < this.limit) {
      if (out.length > LIMITS.MAX_STRING_BYTES) throw new PdfSyntaxError('string too long', start);
      const c = b[this.pos++]!;
      if (c === 0x5c /* \ */) {
        const e = b[this.pos++];
        if (e === undefined) break;
        const map: Record<number, number> = { 0x6e: 10, 0x72: 13, 0x74: 9, 0x62: 8, 0x66: 12, 0x28: 0x28, 0x29: 0x29, 0x5c: 0x5c };
        if (map[e] !== undefined) out.push(map[e]!);
        else if (e >= 0x30 && e <= 0x37) {
          let v = e - 0x30;
          for (let k = 0; k < 2 && b[this.pos]! >= 0x30 && b[this.pos]! <= 0x37; k++) v = v * 8 + (b[this.pos++]! - 0x30);
          out.push(v & 0xff);
        } else if (e === 13) { if (b[this.pos] === 10) this.pos++; }
        else if (e !== 10) out.push(e);
        continue;
      }
      if (c === 0x28) nest++;
      else if (c === 0x29 && --nest === 0) return new PdfString(Buffer.from(out), false, start, this.pos);
      out.push(c);
    }
    throw new PdfSyntaxError('unterminated string', start);
  }

  private parseHexString(): PdfString {
    const start = this.pos;
    const b = this.buf;
    const close = b.indexOf(0x3e, this.pos + 1);
    if (close < 0 || close >= this.limit) throw new PdfSyntaxError('unterminated hex string', start);
    if ((close - start) / 2 > LIMITS.MAX_STRING_BYTES) throw new PdfSyntaxError('hex string too long', start);
    const hex = b.toString('latin1', start + 1, close);
    if (/[^0-9a-fA-F\s]/.test(hex)) throw new PdfSyntaxError('non-hex byte in hex string', start);
    this.pos = close + 1;
    return new PdfString(hexStringBytes(hex), true, start, this.pos);
  }

  private parseDict(depth: number): PdfDict {
    const start = this.pos;
    const b = this.buf;
    this.pos += 2;
    const map = new Map<string, PdfObject>();
    const dups: string[] = [];
    for (;;) {
      this.skipWs();
      if (this.pos >= this.limit) throw new PdfSyntaxError('unterminated dictionary', start);
      if (b[this.pos] === 0x3e && b[this.pos + 1] === 0x3e) {
        this.pos += 2;
        const d = new PdfDict(map, start, this.pos);
        d.duplicateKeys.push(...dups);
        return d;
      }
      if (b[this.pos] !== 0x2f) throw new PdfSyntaxError('dictionary key is not a name', this.pos);
      if (map.size >= LIMITS.MAX_CONTAINER_ITEMS) throw new PdfSyntaxError('dictionary too large', start);
      const key = this.parseName().name;
      const value = this.parseObject(depth + 1);
      if (map.has(key)) dups.push(key);
      else map.set(key, value);
    }
  }
}

export interface IndirectObject {
  num: number;
  gen: number;
  value: PdfObject;
  /** Offset of the "n g obj" header and one past "endobj". */
  start: number;
  end: number;
  /** The stream's /Length did not match and "endstream" was found by search instead. */
  lengthRepaired: boolean;
}

/** Parses "n g obj … endobj" at `offset`; streams' /Length is taken as written, indirect via `resolveLength`. */
export function parseIndirectObject(buf: Buffer, offset: number, resolveLength: LengthResolver): IndirectObject {
  if (!Number.isInteger(offset) || offset < 0 || offset >= buf.length) throw new PdfSyntaxError('object offset outside the file', offset);
  const lx = new Lexer(buf, offset);
  const num = lx.readInt();
  const gen = lx.readInt();
  lx.expectKeyword('obj');
  const value = lx.parseObject();
  let lengthRepaired = false;
  let result: PdfObject = value;
  if (value instanceof PdfDict && lx.peekKeyword('stream')) {
    lx.pos += 6;
    if (buf[lx.pos] === 13) lx.pos++;
    if (buf[lx.pos] === 10) lx.pos++;
    const dataStart = lx.pos;
    let len: number | null = null;
    const l = value.get('Length');
    if (typeof l === 'number') len = l;
    else if (l instanceof PdfRef) len = resolveLength(l);
    let dataEnd = -1;
    if (len !== null && Number.isInteger(len) && len >= 0 && dataStart + len <= buf.length) {
      const after = new Lexer(buf, dataStart + len);
      if (after.peekKeyword('endstream')) { dataEnd = dataStart + len; lx.pos = after.pos + 9; }
    }
    if (dataEnd < 0) {
      const idx = buf.indexOf('endstream', dataStart, 'latin1');
      if (idx < 0) throw new PdfSyntaxError('stream without endstream', dataStart);
      dataEnd = idx;
      while (dataEnd > dataStart && (buf[dataEnd - 1] === 10 || buf[dataEnd - 1] === 13)) dataEnd--;
      lx.pos = idx + 9;
      lengthRepaired = true;
    }
    result = new PdfStream(value, dataStart, dataEnd);
  }
  lx.expectKeyword('endobj');
  return { num, gen, value: result, start: offset, end: lx.pos, lengthRepaired };
}
