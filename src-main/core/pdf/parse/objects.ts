/** The PDF object model the reader produces. Offsets are absolute byte positions in the file. */
export class PdfName {
  constructor(readonly name: string) {}
}

export class PdfString {
  constructor(
    readonly bytes: Buffer,
    readonly hex: boolean,
    /** Offset of the opening delimiter and one past the closing one. */
    readonly start: number,
    readonly end: number,
  ) {}
}

export class PdfRef {
  constructor(readonly num: number, readonly gen: number) {}
  key(): string { return `${this.num} ${this.gen}`; }
}

export class PdfDict {
  /** Keys that occurred more than once (a signature-wrapping tell). The first value is kept. */
  readonly duplicateKeys: string[] = [];
  constructor(readonly map: Map<string, PdfObject>, readonly start: number, readonly end: number) {}
  get(key: string): PdfObject | undefined { return this.map.get(key); }
  has(key: string): boolean { return this.map.has(key); }
}

export class PdfStream {
  constructor(
    readonly dict: PdfDict,
    /** Raw (encoded) data span. */
    readonly dataStart: number,
    readonly dataEnd: number,
  ) {}
}

export type PdfObject = null | boolean | number | PdfName | PdfString | PdfRef | PdfDict | PdfStream | PdfObject[];

export function isName(o: PdfObject | undefined, name?: string): o is PdfName {
  return o instanceof PdfName && (name === undefined || o.name === name);
}
export function isDict(o: PdfObject | undefined): o is PdfDict { return o instanceof PdfDict; }
export function isRef(o: PdfObject | undefined): o is PdfRef { return o instanceof PdfRef; }
export function isNum(o: PdfObject | undefined): o is number { return typeof o === 'number'; }

/** Dictionary of a dict or of a stream. */
export function dictOf(o: PdfObject | undefined): PdfDict | null {
  if (o instanceof PdfDict) return o;
  if (o instanceof PdfStream) return o.dict;
  return null;
}

/** Decodes a PDF text string (UTF-16BE with BOM, UTF-8 with BOM, else PDFDocEncoding ≈ Latin-1), NFC. */
export function textString(s: PdfString): string {
  const b = s.bytes;
  let out: string;
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) {
    const n = (b.length - 2) >> 1;
    const sw = Buffer.alloc(n * 2);
    for (let i = 0; i < n; i++) { sw[2 * i] = b[3 + 2 * i]!; sw[2 * i + 1] = b[2 + 2 * i]!; }
    out = sw.toString('utf16le');
  } else if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) {
    out = b.subarray(3).toString('utf8');
  } else {
    out = b.toString('latin1');
  }
  return out.normalize('NFC');
}

/** Structural equality, references compared by number (not followed). Bounded by the parser's nesting cap. */
export function sameObject(a: PdfObject | undefined, b: PdfObject | undefined, depth = 0): boolean {
  if (depth > 80) return false;
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (a instanceof PdfName) return b instanceof PdfName && a.name === b.name;
  if (a instanceof PdfRef) return b instanceof PdfRef && a.num === b.num && a.gen === b.gen;
  if (a instanceof PdfString) return b instanceof PdfString && a.bytes.equals(b.bytes);
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameObject(x, b[i], depth + 1));
  if (a instanceof PdfDict) {
    if (!(b instanceof PdfDict) || a.map.size !== b.map.size) return false;
    for (const [k, v] of a.map) if (!sameObject(v, b.map.get(k), depth + 1)) return false;
    return true;
  }
  if (a instanceof PdfStream) return false; // streams are compared by their bytes by the caller
  return false;
}
