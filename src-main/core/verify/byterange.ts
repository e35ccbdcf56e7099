import type { PdfFile } from '../pdf/parse/document';
import type { SignatureEntry } from '../pdf/parse/signatures';
import { hashOf } from './hashes';

/** pyHanko's coverage classes; only the first two can pass. */
export type Coverage = 'ENTIRE_FILE' | 'ENTIRE_REVISION' | 'UNCLEAR';

export interface ByteRangeCheck {
  ok: boolean;
  reasons: string[];
  range: [number, number, number, number] | null;
  /** Index of the revision whose end the signature covers, or -1. */
  revision: number;
  coverage: Coverage;
}

const MAX_CMS_BYTES = 1024 * 1024;

/**
 * Step 2 of the pipeline in docs/verification.md: ByteRange shape, the gap exactly this dictionary's /Contents hex string,
 * the dictionary inside the signed bytes, and the covered part ending a revision at its %%EOF.
 */
export function checkByteRange(file: PdfFile, sig: SignatureEntry): ByteRangeCheck {
  const out: ByteRangeCheck = { ok: false, reasons: [], range: null, revision: -1, coverage: 'UNCLEAR' };
  const bad = (why: string) => { out.reasons.push(why); return out; };
  const len = file.bytes.length;
  if (sig.dict.duplicateKeys.length > 0) return bad(`signature dictionary repeats keys: ${sig.dict.duplicateKeys.join(', ')}`);
  if (!sig.sigRef) return bad('signature dictionary is not an indirect object');
  if (sig.sharedFields > 1) return bad(`one signature dictionary is the value of ${sig.sharedFields} fields`);
  const br = sig.dict.get('ByteRange');
  if (!Array.isArray(br) || br.length !== 4) return bad('/ByteRange is not an array of four numbers');
  if (!br.every((n) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0)) return bad('/ByteRange holds a non-integer or negative value');
  const [a, b, c, d] = br as [number, number, number, number];
  out.range = [a, b, c, d];
  if (a !== 0) return bad('/ByteRange does not start at 0');
  if (!(b > 0 && c > b && c + d <= len)) return bad('/ByteRange is out of order or past the end of the file');
  if (!sig.contents || !sig.contents.hex) return bad('/Contents is not a hex string');
  if (sig.contents.bytes.length > MAX_CMS_BYTES) return bad('/Contents is absurdly large');
  if (sig.contents.start !== b || sig.contents.end !== c) return bad('the ByteRange gap is not exactly the /Contents hex string of this dictionary');
  if (!(sig.dict.start < b && sig.dict.end > c && sig.dict.end <= c + d)) return bad('the signature dictionary is not inside the signed bytes');
  const end = c + d;
  const rev = file.revisions.find((r) => {
    if (end > r.end || end < r.end - 2) return false;
    for (let p = end; p < r.end; p++) if (file.bytes[p] !== 10 && file.bytes[p] !== 13) return false;
    return file.bytes.toString('latin1', Math.max(0, end - 7), end).includes('%%EOF');
  });
  if (!rev) return bad('the signed bytes do not end at the %%EOF of a revision');
  if (sig.definedIn > rev.index) return bad('the signature dictionary is defined after the revision it claims to sign');
  const signedView = file.object(sig.sigRef.num, rev.index);
  if (!signedView || signedView.offset !== sig.offset) return bad('the signed revision does not reach this signature dictionary through its own xref');
  out.revision = rev.index;
  let tail = rev.end;
  while (tail < len && (file.bytes[tail] === 10 || file.bytes[tail] === 13 || file.bytes[tail] === 32)) tail++;
  out.coverage = tail >= len ? 'ENTIRE_FILE' : 'ENTIRE_REVISION';
  out.ok = true;
  return out;
}

/** A caller's precomputed digest of a ByteRange, or undefined to compute it (see VerifyOptions). */
export type RangeDigest = (range: readonly [number, number, number, number], hashName: string) => Buffer | undefined;

/** Streams the two ranges through the hash: no concatenated copy. */
export function rangeDigest(bytes: Buffer, range: readonly [number, number, number, number], hashName: string): Buffer {
  const [a, b, c, d] = range;
  return hashOf(hashName, bytes.subarray(a, a + b), bytes.subarray(c, c + d));
}

/** Two signatures' excluded gaps must not overlap. */
export function gapsOverlap(x: readonly number[], y: readonly number[]): boolean {
  const [, xb, xc] = x as [number, number, number];
  const [, yb, yc] = y as [number, number, number];
  return xb < yc && yb < xc;
}
