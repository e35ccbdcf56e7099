import { LIMITS } from './limits';
import type { PdfFile } from './document';
import { fields, type Widget } from './acroform';
import { dictOf, PdfDict, PdfName, PdfRef, PdfString, textString } from './objects';

/** A signature as found through an AcroForm signature field's /V, in any revision. */
export interface SignatureEntry {
  fieldName: string;
  fieldRef: PdfRef | null;
  /** The signature dictionary's object number (null when /V is direct: never legitimate). */
  sigRef: PdfRef | null;
  /** Signature dictionary as the latest revision sees it. */
  dict: PdfDict;
  /** Revision whose xref defines the signature dictionary (latest view). */
  definedIn: number;
  /** Offset of the signature dictionary object. */
  offset: number;
  widgets: Widget[];
  /** /Type /DocTimeStamp. */
  isDocTimestamp: boolean;
  /** /Contents, when it is a string. */
  contents: PdfString | null;
  subFilter: string | null;
  /** Signature fields of the latest revision whose /V is this dictionary (more than one is a forgery tell). */
  sharedFields: number;
  /** /M as written, and /Name, /Reason (NFC). */
  claimedTime: string | null;
  name: string | null;
  reason: string | null;
}

/**
 * Every signature field with a value, across all revisions (a field dropped by a later update still
 * counts: its signature is then reported against that update). Ordered by the ByteRange end.
 */
export function signatureEntries(file: PdfFile): SignatureEntry[] {
  const byKey = new Map<string, SignatureEntry>();
  for (let rev = file.lastRevision; rev >= 0; rev--) {
    for (const f of fields(file, rev)) {
      if (f.type !== 'Sig') continue;
      const v = f.dict.get('V');
      if (v === undefined || v === null) continue;
      const key = v instanceof PdfRef ? `r${v.num}` : `f${f.name}:${rev}`;
      const seen = byKey.get(key);
      if (seen) { if (rev === file.lastRevision) seen.sharedFields++; continue; }
      if (byKey.size >= LIMITS.MAX_SIGNATURES) break;
      const lookup = v instanceof PdfRef ? file.object(v.num, rev) : null;
      const dict = dictOf(lookup ? lookup.value : v);
      if (!dict) continue;
      const contents = dict.get('Contents');
      const sub = dict.get('SubFilter');
      const m = dict.get('M');
      const name = dict.get('Name');
      const reason = dict.get('Reason');
      const type = dict.get('Type');
      byKey.set(key, {
        fieldName: f.name.normalize('NFC'),
        fieldRef: f.ref,
        sigRef: v instanceof PdfRef ? v : null,
        dict,
        definedIn: lookup?.definedIn ?? rev,
        offset: lookup?.offset ?? -1,
        widgets: f.widgets,
        isDocTimestamp: type instanceof PdfName && type.name === 'DocTimeStamp',
        sharedFields: 1,
        contents: contents instanceof PdfString ? contents : null,
        subFilter: sub instanceof PdfName ? sub.name : null,
        claimedTime: m instanceof PdfString ? m.bytes.toString('latin1') : null,
        name: name instanceof PdfString ? textString(name) : null,
        reason: reason instanceof PdfString ? textString(reason) : null,
      });
    }
  }
  const list = [...byKey.values()];
  const end = (e: SignatureEntry): number => {
    const br = e.dict.get('ByteRange');
    if (!Array.isArray(br) || br.length !== 4) return Number.MAX_SAFE_INTEGER;
    const [, , c, d] = br;
    return typeof c === 'number' && typeof d === 'number' ? c + d : Number.MAX_SAFE_INTEGER;
  };
  return list.sort((a, b) => end(a) - end(b) || a.offset - b.offset);
}

/** Parses a PDF date "D:YYYYMMDDHHmmSS+HH'mm'" (bounded, lenient on missing parts). */
export function parsePdfDate(s: string): Date | null {
  const m = /^(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:([+\-Z])(\d{2})?'?(\d{2})?'?)?/.exec(s.slice(0, 64));
  if (!m) return null;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', se = '00', sign, oh = '00', om = '00'] = m;
  const utc = Date.UTC(+y!, +mo - 1, +d, +h, +mi, +se);
  if (!Number.isFinite(utc)) return null;
  const off = sign === '+' || sign === '-' ? (sign === '+' ? 1 : -1) * (+oh * 60 + +om) * 60_000 : 0;
  return new Date(utc - off);
}
