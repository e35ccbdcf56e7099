/**
 * What the page-text reader needs from a font: how many bytes a character code takes, how far a glyph
 * advances, and which Unicode text it stands for (/ToUnicode first, then the simple-font encodings).
 * Read from the bounded parser (pdf/parse); every table read here is capped, a hostile font cannot
 * make it allocate or loop without bound.
 */
import { parsedFont } from '../appearance/fonts';
import { dictOf, PdfName, PdfStream, type PdfDict, type PdfFile, type PdfObject } from '../parse/index';

export interface TextFontInfo {
  /** Type0 fonts: two-byte codes (Identity-H, what word processors write for Vietnamese). */
  twoByte: boolean;
  /** Advance of a code in text space units per unit of font size (1000 glyph units = 1). */
  advance(code: number): number;
  /** The code's text, or null when the font does not say (the caller reads the page another way). */
  text(code: number): string | null;
}

/** Bounds for one font's tables: a real CMap or /W array is far below these. */
const MAX_CMAP_BYTES = 4 * 1024 * 1024;
const MAX_MAPPINGS = 65_536;

const WIN_ANSI = new TextDecoder('windows-1252');
const MAC_ROMAN = new TextDecoder('macintosh');

/** Glyph names an encoding's /Differences uses for the characters Decree-30 headers print, beyond one-letter names. */
const GLYPH_NAMES: Record<string, string> = {
  space: ' ', colon: ':', slash: '/', hyphen: '-', comma: ',', period: '.', semicolon: ';', parenleft: '(', parenright: ')',
  zero: '0', one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9',
};

function glyphNameText(name: string): string | null {
  if (name.length === 1) return name;
  if (GLYPH_NAMES[name]) return GLYPH_NAMES[name];
  const m = /^uni([0-9A-Fa-f]{4})$/.exec(name) ?? /^u([0-9A-Fa-f]{4,6})$/.exec(name);
  return m ? String.fromCodePoint(parseInt(m[1]!, 16)) : null;
}

/** A CMap destination (UTF-16BE hex) as text. */
function utf16(hex: string): string {
  // One UTF-16 unit, nearly every entry of a real CMap: no buffer for it (a page's font maps
  // thousands of codes, and the buffers cost each issue about a millisecond).
  if (hex.length === 4) return String.fromCharCode(parseInt(hex, 16));
  const b = Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
  return b.length % 2 ? String.fromCharCode(...b) : b.swap16().toString('utf16le');
}

/** Code → text from a /ToUnicode CMap (bfchar and bfrange, UTF-16BE destinations). */
function toUnicodeMap(file: PdfFile, o: PdfObject | undefined): Map<number, string> | null {
  const s = file.resolve(o);
  if (!(s instanceof PdfStream)) return null;
  let data: Buffer | null;
  try { data = file.streamData(s); } catch { return null; }
  if (!data || data.length > MAX_CMAP_BYTES) return null;
  const text = data.toString('latin1');
  const map = new Map<number, string>();
  for (const sec of text.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const m of sec[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>/g)) {
      if (map.size >= MAX_MAPPINGS) return map;
      map.set(parseInt(m[1]!, 16), utf16(m[2]!));
    }
  }
  for (const sec of text.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const m of sec[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(?:<([0-9a-fA-F]+)>|\[([^\]]*)\])/g)) {
      const lo = parseInt(m[1]!, 16), hi = parseInt(m[2]!, 16);
      if (hi < lo || map.size + (hi - lo) > MAX_MAPPINGS) continue;
      if (m[3] !== undefined) {
        // The last UTF-16 unit of the destination counts up through the range.
        const base = utf16(m[3]);
        const head = base.slice(0, -1), last = base.charCodeAt(base.length - 1);
        for (let c = lo; c <= hi; c++) map.set(c, head + String.fromCharCode(last + c - lo));
      } else {
        let c = lo;
        for (const d of m[4]!.matchAll(/<([0-9a-fA-F]*)>/g)) {
          if (c > hi) break;
          map.set(c++, utf16(d[1]!));
        }
      }
    }
  }
  return map;
}

/** The 256 one-byte codes of a base encoding as text, decoded once per process. */
const baseTables = new Map<typeof WIN_ANSI, string[]>();
function baseTable(decoder: typeof WIN_ANSI): string[] {
  let t = baseTables.get(decoder);
  if (!t) baseTables.set(decoder, (t = Array.from({ length: 256 }, (_, code) => decoder.decode(Uint8Array.of(code)))));
  return t;
}

/** Simple-font codes → text through /Encoding (base encoding + /Differences); WinAnsi by default. */
function simpleEncoding(file: PdfFile, font: PdfDict): string[] {
  const enc = file.resolve(font.get('Encoding'));
  const baseName = enc instanceof PdfName ? enc.name : (dictOf(enc)?.get('BaseEncoding') as PdfName | undefined)?.name;
  const base = baseTable(baseName === 'MacRomanEncoding' ? MAC_ROMAN : WIN_ANSI);
  const d = dictOf(enc) ? file.resolve(dictOf(enc)!.get('Differences')) : undefined;
  if (!Array.isArray(d)) return base;
  const table = [...base];
  let code = 0;
  for (const e of d.slice(0, 4096)) {
    if (typeof e === 'number') code = e;
    else if (e instanceof PdfName) { const t = glyphNameText(e.name); if (t !== null && Number.isInteger(code) && code >= 0 && code < 256) table[code] = t; code++; }
  }
  return table;
}

function numbers(file: PdfFile, o: PdfObject | undefined): number[] | null {
  const a = file.resolve(o);
  if (!Array.isArray(a)) return null;
  const out: number[] = [];
  for (const v of a.slice(0, MAX_MAPPINGS)) { const n = file.resolve(v); out.push(typeof n === 'number' ? n : 0); }
  return out;
}

/** Type0 /W: `c [w1 w2 …]` and `cFirst cLast w` entries. */
function cidWidths(file: PdfFile, df: PdfDict | null): Map<number, number> {
  const map = new Map<number, number>();
  const w = file.resolve(df?.get('W'));
  if (!Array.isArray(w)) return map;
  for (let i = 0; i < w.length && map.size < MAX_MAPPINGS;) {
    const first = file.resolve(w[i]);
    const next = file.resolve(w[i + 1]);
    if (typeof first !== 'number') break;
    if (Array.isArray(next)) {
      for (let k = 0; k < next.length && k < MAX_MAPPINGS; k++) { const n = file.resolve(next[k]); if (typeof n === 'number') map.set(first + k, n); }
      i += 2;
    } else {
      const v = file.resolve(w[i + 2]);
      if (typeof next !== 'number' || typeof v !== 'number') break;
      for (let c = first; c <= next && c - first < MAX_MAPPINGS; c++) map.set(c, v);
      i += 3;
    }
  }
  return map;
}

let times: ((ch: string) => number) | null = null;

/**
 * Liberation Serif advance (Times metrics), in text space units per 1 of font size: for fonts that give
 * no widths (the standard 14) and for positions inside pdf.js runs (text-lines.ts). Kept per character:
 * a page asks the same few characters thousands of times.
 */
export function timesAdvance(ch: string): number {
  if (!times) {
    const font = parsedFont('regular') as unknown as { unitsPerEm: number; glyphForCodePoint(cp: number): { advanceWidth: number } };
    const cache = new Map<string, number>();
    times = (c) => {
      let w = cache.get(c);
      if (w === undefined) {
        w = font.glyphForCodePoint(c.codePointAt(0) ?? 32).advanceWidth / font.unitsPerEm || 0.5;
        cache.set(c, w);
      }
      return w;
    };
  }
  return times(ch);
}

/*
 * The font kinds as classes, not closures made per font: V8 keeps a method's optimized code as long as
 * the method lives, while closures made anew for each issue lose theirs once the last issue's are
 * collected, and were compiled again every few issues (content-text.ts says the same of the reader).
 */

/** A font the page does not define: no text, half an em per code. */
class UnknownFont implements TextFontInfo {
  readonly twoByte = false;
  advance(): number { return 0.5; }
  text(): string | null { return null; }
}
const UNKNOWN_FONT: TextFontInfo = new UnknownFont();

/** Type0 with two-byte codes: /W widths (default /DW) and /ToUnicode text. */
class Type0Font implements TextFontInfo {
  readonly twoByte = true;
  constructor(private readonly widths: Map<number, number>, private readonly fallback: number, private readonly unicode: Map<number, string> | null) {}
  advance(c: number): number { return (this.widths.get(c) ?? this.fallback) / 1000; }
  text(c: number): string | null { return this.unicode?.get(c) ?? null; }
}

/** A simple font: one-byte codes, /Widths from /FirstChar (or Times metrics), /ToUnicode or the encoding. */
class SimpleFont implements TextFontInfo {
  readonly twoByte = false;
  constructor(
    private readonly unicode: Map<number, string> | null, private readonly encoded: string[],
    private readonly widths: number[] | null, private readonly first: number, private readonly missing: unknown, private readonly scale: number,
  ) {}
  text(c: number): string {
    return this.unicode?.get(c) ?? this.encoded[c] ?? '\ufffd';
  }
  advance(c: number): number {
    const w = this.widths?.[c - this.first];
    if (w !== undefined) return w * this.scale;
    if (typeof this.missing === 'number' && this.widths) return this.missing * this.scale;
    return timesAdvance(this.text(c));
  }
}

/** The text facts of a font dictionary (cached per font object by the caller). */
export function textFontInfo(file: PdfFile, font: PdfDict | null): TextFontInfo {
  if (!font) return UNKNOWN_FONT;
  const sub = font.get('Subtype');
  const unicode = toUnicodeMap(file, font.get('ToUnicode'));
  if (sub instanceof PdfName && sub.name === 'Type0') {
    const desc = file.resolve(font.get('DescendantFonts'));
    const df = dictOf(file.resolve(Array.isArray(desc) ? desc[0] : undefined));
    const dw = file.resolve(df?.get('DW'));
    return new Type0Font(cidWidths(file, df), typeof dw === 'number' ? dw : 1000, unicode);
  }
  const fm = numbers(file, font.get('FontMatrix'));
  const scale = sub instanceof PdfName && sub.name === 'Type3' && fm && fm.length === 6 ? fm[0]! : 1 / 1000;
  const firstChar = file.resolve(font.get('FirstChar'));
  const missing = file.resolve(dictOf(file.resolve(font.get('FontDescriptor')))?.get('MissingWidth'));
  return new SimpleFont(unicode, simpleEncoding(file, font), numbers(file, font.get('Widths')), typeof firstChar === 'number' ? firstChar : 0, missing, scale);
}
