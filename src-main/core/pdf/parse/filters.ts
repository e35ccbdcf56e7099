import { inflateSync } from 'node:zlib';
import { LIMITS } from './limits';
import { PdfLimitError, PdfSyntaxError } from './lexer';
import { isDict, PdfName, type PdfDict, type PdfObject } from './objects';

/** Shared decoded-bytes budget for one document, so many small bombs cannot add up. */
export class DecodeBudget {
  used = 0;
  constructor(readonly max: number = LIMITS.MAX_TOTAL_DECODED_BYTES) {}
  take(n: number, offset: number): void {
    this.used += n;
    if (this.used > this.max) throw new PdfLimitError('decoded data exceeds the document budget', offset);
  }
}

/**
 * Decodes a stream's raw bytes through /Filter. Supports FlateDecode (with PNG/TIFF predictors) only:
 * that is what xref streams, object streams and content streams use. Image filters return null
 * (callers hash the raw bytes instead).
 */
export function decodeStream(raw: Buffer, dict: PdfDict, budget: DecodeBudget, offset: number): Buffer | null {
  const f = dict.get('Filter');
  const filters: PdfObject[] = f === undefined || f === null ? [] : Array.isArray(f) ? f : [f];
  const p = dict.get('DecodeParms');
  const parms: PdfObject[] = Array.isArray(p) ? p : [p ?? null];
  let data = raw;
  for (let i = 0; i < filters.length; i++) {
    const name = filters[i];
    if (!(name instanceof PdfName)) throw new PdfSyntaxError('bad /Filter', offset);
    if (name.name !== 'FlateDecode' && name.name !== 'Fl') return null;
    let out: Buffer;
    try {
      out = inflateSync(data, { maxOutputLength: LIMITS.MAX_DECODED_STREAM_BYTES });
    } catch (e) {
      const msg = (e as Error).message;
      if (/maxOutputLength|buffer/i.test(msg)) throw new PdfLimitError('stream decodes beyond the size limit', offset);
      // Truncated zlib data still yields a prefix with the sync variant only via finishFlush.
      try { out = inflateSync(data, { maxOutputLength: LIMITS.MAX_DECODED_STREAM_BYTES, finishFlush: 2 /* Z_SYNC_FLUSH */ }); }
      catch { throw new PdfSyntaxError('corrupt FlateDecode data', offset); }
    }
    budget.take(out.length, offset);
    const parm = parms[i];
    data = isDict(parm ?? undefined) ? unpredict(out, parm as PdfDict, offset) : out;
  }
  return data;
}

function unpredict(data: Buffer, parm: PdfDict, offset: number): Buffer {
  const predictor = numberOr(parm.get('Predictor'), 1);
  if (predictor < 10) {
    if (predictor === 1) return data;
    throw new PdfSyntaxError(`unsupported predictor ${predictor}`, offset);
  }
  const colors = numberOr(parm.get('Colors'), 1);
  const bpc = numberOr(parm.get('BitsPerComponent'), 8);
  const columns = numberOr(parm.get('Columns'), 1);
  if (colors < 1 || colors > 32 || bpc < 1 || bpc > 16 || columns < 1 || columns > 1 << 20) throw new PdfSyntaxError('bad predictor parameters', offset);
  const bpp = Math.max(1, Math.ceil((colors * bpc) / 8));
  const rowLen = Math.ceil((colors * bpc * columns) / 8);
  const rows = Math.floor(data.length / (rowLen + 1));
  const out = Buffer.alloc(rows * rowLen);
  let prev = Buffer.alloc(rowLen);
  for (let r = 0; r < rows; r++) {
    const type = data[r * (rowLen + 1)]!;
    const row = data.subarray(r * (rowLen + 1) + 1, (r + 1) * (rowLen + 1));
    const cur = out.subarray(r * rowLen, (r + 1) * rowLen);
    for (let i = 0; i < rowLen; i++) {
      const a = i >= bpp ? cur[i - bpp]! : 0;
      const b = prev[i]!;
      const c = i >= bpp ? prev[i - bpp]! : 0;
      const x = row[i]!;
      switch (type) {
        case 0: cur[i] = x; break;
        case 1: cur[i] = (x + a) & 0xff; break;
        case 2: cur[i] = (x + b) & 0xff; break;
        case 3: cur[i] = (x + ((a + b) >> 1)) & 0xff; break;
        case 4: {
          const pa = Math.abs(b - c), pb = Math.abs(a - c), pc = Math.abs(a + b - 2 * c);
          cur[i] = (x + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c)) & 0xff;
          break;
        }
        default: throw new PdfSyntaxError(`bad PNG filter type ${type}`, offset);
      }
    }
    prev = cur;
  }
  return out;
}

function numberOr(o: PdfObject | undefined, d: number): number {
  return typeof o === 'number' && Number.isInteger(o) ? o : d;
}
