import { PdfFile } from '../../src-main/core/pdf/parse/document';
import { PdfDict, PdfName, PdfRef, PdfStream, PdfString, type PdfObject } from '../../src-main/core/pdf/parse/objects';

/** Serialises a parsed object back to PDF syntax (strings as hex; streams are not supported here). */
export function serialize(o: PdfObject | undefined): string {
  if (o === null || o === undefined) return 'null';
  if (typeof o === 'boolean' || typeof o === 'number') return String(o);
  if (o instanceof PdfName) return `/${o.name.replace(/[^!-~]|[#()<>[\]{}/%]/g, (c) => `#${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}`;
  if (o instanceof PdfString) return `<${o.bytes.toString('hex')}>`;
  if (o instanceof PdfRef) return `${o.num} ${o.gen} R`;
  if (Array.isArray(o)) return `[${o.map(serialize).join(' ')}]`;
  if (o instanceof PdfDict) return `<<${[...o.map].map(([k, v]) => `/${k} ${serialize(v)}`).join(' ')}>>`;
  if (o instanceof PdfStream) throw new Error('serialize: streams are written by the caller');
  return 'null';
}

/** A dictionary's text with some keys replaced or added (values already in PDF syntax; null removes). */
export function editDict(d: PdfDict, changes: Record<string, string | null>): string {
  const parts: string[] = [];
  for (const [k, v] of d.map) {
    if (k in changes) continue;
    parts.push(`/${k} ${serialize(v)}`);
  }
  for (const [k, v] of Object.entries(changes)) if (v !== null) parts.push(`/${k} ${v}`);
  return `<<${parts.join(' ')}>>`;
}

export interface UpdateObject { num: number; gen?: number; body: string | Buffer }

export interface UpdateOptions {
  objects: UpdateObject[];
  /** Extra xref entries (object → offset), e.g. re-pointing into older bytes (hide-and-replace). */
  pointers?: Array<{ num: number; offset: number }>;
  /** Extra xref entries that alias an object written in this update (shadow hide v1). */
  aliases?: Array<{ num: number; sameAs: number }>;
  /** Free entries to write. */
  free?: number[];
  /** ISA variants: omit the xref table (keep the trailer), omit both, or point startxref elsewhere. */
  noXref?: boolean;
  noTrailer?: boolean;
  startxref?: number;
  /** Replaces the computed trailer /Size (ISA variant 4 copies the old one). */
  size?: number;
  /** Writes this /Prev instead of the previous section's offset (broken-chain material). */
  prev?: number;
  /** Writes this instead of the xref table (a section no reader can parse). */
  garbageXref?: string;
}

/**
 * Appends one incremental update with a classic xref table (ISO 32000-1 §7.5.6), the minimal helper the
 * generators need; the options produce the malformed variants of the attack classes.
 */
export function appendUpdate(pdf: Buffer, opts: UpdateOptions): Buffer {
  const file = new PdfFile(pdf);
  const last = file.revisions[file.lastRevision]!;
  const trailer = file.trailer(file.lastRevision);
  const prevStart = last.extraXref?.offset ?? last.xref.offset;
  const chunks: Buffer[] = [pdf];
  let pos = pdf.length;
  const push = (b: Buffer | string) => { const buf = typeof b === 'string' ? Buffer.from(b, 'latin1') : b; chunks.push(buf); pos += buf.length; };
  if (pdf[pdf.length - 1] !== 10) push('\n');
  const entries = new Map<number, { offset: number; gen: number } | 'free'>();
  for (const o of opts.objects) {
    entries.set(o.num, { offset: pos, gen: o.gen ?? 0 });
    push(`${o.num} ${o.gen ?? 0} obj\n`);
    push(o.body);
    push('\nendobj\n');
  }
  for (const p of opts.pointers ?? []) entries.set(p.num, { offset: p.offset, gen: 0 });
  for (const a of opts.aliases ?? []) { const t = entries.get(a.sameAs); if (t && t !== 'free') entries.set(a.num, { ...t }); }
  for (const n of opts.free ?? []) entries.set(n, 'free');
  const maxNum = Math.max(0, ...entries.keys());
  const oldSize = typeof trailer.get('Size') === 'number' ? (trailer.get('Size') as number) : 0;
  const xrefAt = pos;
  if (opts.garbageXref !== undefined) push(opts.garbageXref);
  else if (!opts.noXref && !opts.noTrailer) {
    push('xref\n');
    const nums = [...entries.keys()].sort((a, b) => a - b);
    for (let i = 0; i < nums.length;) {
      let j = i;
      while (j + 1 < nums.length && nums[j + 1] === nums[j]! + 1) j++;
      push(`${nums[i]} ${j - i + 1}\n`);
      for (let k = i; k <= j; k++) {
        const e = entries.get(nums[k]!)!;
        push(e === 'free' ? '0000000000 65535 f\r\n' : `${String(e.offset).padStart(10, '0')} ${String(e.gen).padStart(5, '0')} n\r\n`);
      }
      i = j + 1;
    }
  }
  if (!opts.noTrailer) {
    const keep = ['Root', 'Info', 'ID', 'Encrypt'].filter((k) => trailer.has(k)).map((k) => `/${k} ${serialize(trailer.get(k))}`).join(' ');
    push(`trailer\n<</Size ${opts.size ?? Math.max(oldSize, maxNum + 1)} ${keep} /Prev ${opts.prev ?? prevStart}>>\n`);
  }
  if (!opts.noTrailer || opts.startxref !== undefined) push(`startxref\n${opts.startxref ?? (opts.noXref ? prevStart : xrefAt)}\n%%EOF\n`);
  return Buffer.concat(chunks);
}

/** Object number one past the highest in use (the next free number). */
export function nextObjectNumber(pdf: Buffer): number {
  const file = new PdfFile(pdf);
  const size = file.trailer(file.lastRevision).get('Size');
  return typeof size === 'number' ? size : 1;
}

/** Points the last trailer's /Prev at a wrong offset (a writer bug seen in the wild): broken-chain material. */
export function breakLastPrev(pdf: Buffer): Buffer {
  const text = pdf.toString('latin1');
  const at = text.lastIndexOf('/Prev ');
  const m = /^\/Prev (\d+)/.exec(text.slice(at));
  if (at < 0 || !m) throw new Error('breakLastPrev: no /Prev');
  return Buffer.concat([pdf.subarray(0, at), Buffer.from(`/Prev ${'17'.padStart(m[1]!.length, '0')}`, 'latin1'), pdf.subarray(at + m[0].length)]);
}
