/**
 * Predicates behind the modification policy (policy.ts): each answers one question about a difference
 * between two revisions. changes.ts walks the differences and calls these.
 */
import type { PdfFile } from '../pdf/parse/document';
import { parseBer } from './ber';
import { dictOf, isName, PdfDict, PdfName, PdfRef, PdfStream, PdfString, sameObject, textString, type PdfObject } from '../pdf/parse/objects';

/** Keys a DSS VRI dictionary may hold (ETSI EN 319 142-1 §5.4.2.3). */
const VRI_KEYS = new Set(['Type', 'Cert', 'CRL', 'OCSP', 'TU', 'TS']);
const STREAM_FRAME_KEYS = new Set(['Length', 'Filter', 'DecodeParms', 'Type', 'Subtype']);

/**
 * An unreferenced new object that is validation data only: a VRI-shaped dictionary, or a stream whose
 * data is DER (a certificate, CRL or OCSP response) with no keys that would let it draw.
 */
export function isValidationDataOrphan(file: PdfFile, value: PdfObject | undefined): boolean {
  if (value instanceof PdfStream) {
    const d = value.dict;
    if (![...d.map.keys()].every((k) => STREAM_FRAME_KEYS.has(k))) return false;
    if (d.has('Type') || d.has('Subtype')) return false;
    let data: Buffer | null = null;
    try { data = file.streamData(value); } catch { return false; }
    // Exactly one DER SEQUENCE and nothing else: text that merely starts with "0" is not validation data.
    return data !== null && data.length > 2 && data[0] === 0x30 && parseBer(data).offset === data.length;
  }
  const d = dictOf(value ?? undefined);
  if (!d) return false;
  if (d.has('Type') && !isName(d.get('Type'), 'VRI')) {
    // A VRI map (hash → VRI dict) has no /Type; a lone VRI dict may say /Type /VRI.
    return false;
  }
  const keys = [...d.map.keys()];
  return keys.length > 0 && (keys.every((k) => VRI_KEYS.has(k)) || keys.every((k) => /^[0-9A-F]{40}$/i.test(k)));
}

/**
 * Resource dictionaries (AcroForm /DR): `after` keeps every entry of `before` with the same value and
 * may add entries, one category level deep (/Font, /XObject, /Encoding …).
 */
export function resourcesExtend(file: PdfFile, before: PdfObject | undefined, after: PdfObject | undefined, prev: number, k: number): boolean {
  const a = dictOf(file.resolve(before, prev));
  const b = dictOf(file.resolve(after, k));
  if (!a) return true;
  if (!b) return false;
  for (const [key, v] of a.map) {
    const w = b.get(key);
    if (sameObject(v, w)) {
      // Same reference: the category dictionary itself may have been rewritten (checked by number).
      continue;
    }
    const ca = dictOf(file.resolve(v, prev));
    const cb = dictOf(file.resolve(w, k));
    if (!ca || !cb) return false;
    for (const [name, val] of ca.map) if (!sameObject(val, cb.get(name))) return false;
  }
  return true;
}

/** Catalog /Names before and after: only the /EmbeddedFiles tree may differ. */
export function onlyEmbeddedFilesDiffer(file: PdfFile, before: PdfObject | undefined, after: PdfObject | undefined, prev: number, k: number): boolean {
  const a = dictOf(file.resolve(before, prev)) ?? new PdfDict(new Map(), 0, 0);
  const b = dictOf(file.resolve(after, k));
  if (!b) return false;
  const keys = new Set([...a.map.keys(), ...b.map.keys()]);
  return [...keys].every((key) => key === 'EmbeddedFiles' || sameObject(a.get(key), b.get(key)));
}

/** A non-empty string shown by Tj, ' or ", a TJ array holding one, an XObject or an inline image. */
const NON_EMPTY_STRING = String.raw`(?:\((?:\\.|[^\\)])+\)|<\s*[0-9A-Fa-f][0-9A-Fa-f\s]*>)`;
const SHOWS = [
  new RegExp(`${NON_EMPTY_STRING}\\s*(?:Tj|'|")`),
  new RegExp(`\\[[^\\]]*${NON_EMPTY_STRING}[^\\]]*\\]\\s*TJ`),
  /(?:^|\s)(?:Do|BI)(?=\s|$)/,
];

/**
 * Whether a field showed something to the signer: a non-empty value, or an appearance that paints text
 * or an image (a drawn border or background alone is an empty blank).
 */
export function fieldShowsContent(file: PdfFile, field: PdfDict, widgets: readonly PdfDict[], rev: number): boolean {
  const v = file.resolve(field.get('V'), rev);
  if (v instanceof PdfString && textString(v).trim() !== '') return true;
  if (v instanceof PdfName && v.name !== 'Off') return true;
  if (Array.isArray(v) && v.length > 0) return true;
  for (const w of widgets) {
    const ap = dictOf(file.resolve(w.get('AP'), rev));
    let n = file.resolve(ap?.get('N'), rev);
    if (!(n instanceof PdfStream)) {
      const states = dictOf(n ?? undefined);
      const as = w.get('AS');
      n = states && as instanceof PdfName ? file.resolve(states.get(as.name), rev) : undefined;
    }
    if (!(n instanceof PdfStream)) continue;
    let data: Buffer | null = null;
    try { data = file.streamData(n); } catch { return true; }
    if (data === null) return true;
    const text = data.toString('latin1');
    if (SHOWS.some((re) => re.test(text))) return true;
  }
  return false;
}

/** Object numbers of the appearance streams (/AP /N, /D, /R and their states) of some widgets. */
export function appearanceNums(file: PdfFile, widgets: readonly PdfDict[], rev: number): number[] {
  const out: number[] = [];
  for (const w of widgets) {
    const ap = dictOf(file.resolve(w.get('AP'), rev));
    if (!ap) continue;
    for (const v of ap.map.values()) {
      if (v instanceof PdfRef) out.push(v.num);
      const states = dictOf(file.resolve(v, rev));
      if (states && !(file.resolve(v, rev) instanceof PdfStream)) for (const s of states.map.values()) if (s instanceof PdfRef) out.push(s.num);
    }
  }
  return out;
}
