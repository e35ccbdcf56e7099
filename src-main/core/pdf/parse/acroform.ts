import { LIMITS } from './limits';
import type { PdfFile } from './document';
import { dictOf, isName, PdfDict, PdfName, PdfRef, PdfString, textString, type PdfObject } from './objects';

export interface Rect { x: number; y: number; width: number; height: number }

export interface PageInfo { index: number; ref: PdfRef | null; dict: PdfDict }

export interface Widget {
  ref: PdfRef | null;
  dict: PdfDict;
  /** 0-based page index, or null when no page lists the widget. */
  page: number | null;
  rect: Rect;
}

export interface FieldInfo {
  /** Fully qualified name (/T of ancestors joined by "."), NFC. */
  name: string;
  ref: PdfRef | null;
  dict: PdfDict;
  /** Inherited /FT. */
  type: string | null;
  /** Inherited /Ff. */
  flags: number;
  widgets: Widget[];
}

/** The catalog of revision `rev`. */
export function catalog(file: PdfFile, rev: number): PdfDict | null {
  return dictOf(file.resolve(file.trailer(rev).get('Root'), rev));
}

/** Pages in order, as of revision `rev` (bounded depth and count, loops ignored). */
export function pages(file: PdfFile, rev: number): PageInfo[] {
  const out: PageInfo[] = [];
  const root = catalog(file, rev);
  const seen = new Set<number>();
  const walk = (node: PdfObject | undefined, depth: number): void => {
    if (depth > LIMITS.MAX_PAGE_TREE_DEPTH || out.length >= LIMITS.MAX_PAGES) return;
    const ref = node instanceof PdfRef ? node : null;
    if (ref) { if (seen.has(ref.num)) return; seen.add(ref.num); }
    const d = dictOf(file.resolve(node, rev));
    if (!d) return;
    const kids = file.resolve(d.get('Kids'), rev);
    if (isName(d.get('Type'), 'Pages') || (Array.isArray(kids) && !isName(d.get('Type'), 'Page'))) {
      if (Array.isArray(kids)) for (const k of kids) walk(k, depth + 1);
      return;
    }
    out.push({ index: out.length, ref, dict: d });
  };
  if (root) walk(root.get('Pages'), 0);
  return out;
}

export function rectOf(file: PdfFile, o: PdfObject | undefined, rev: number): Rect {
  const a = file.resolve(o, rev);
  if (!Array.isArray(a) || a.length !== 4) return { x: 0, y: 0, width: 0, height: 0 };
  const n = a.map((v) => { const r = file.resolve(v, rev); return typeof r === 'number' ? r : 0; }) as [number, number, number, number];
  const x = Math.min(n[0], n[2]), y = Math.min(n[1], n[3]);
  return { x, y, width: Math.abs(n[2] - n[0]), height: Math.abs(n[3] - n[1]) };
}

/** Annotation references per page, as of `rev`. */
export function pageAnnots(file: PdfFile, page: PageInfo, rev: number): PdfObject[] {
  const a = file.resolve(page.dict.get('Annots'), rev);
  return Array.isArray(a) ? a.slice(0, LIMITS.MAX_FIELDS) : [];
}

/** All terminal fields of the AcroForm as of `rev`, with their widgets and pages. */
export function fields(file: PdfFile, rev: number): FieldInfo[] {
  const root = catalog(file, rev);
  const form = dictOf(file.resolve(root?.get('AcroForm'), rev));
  if (!form) return [];
  const pageList = pages(file, rev);
  const pageOfAnnot = new Map<number, number>();
  for (const p of pageList) for (const a of pageAnnots(file, p, rev)) if (a instanceof PdfRef && !pageOfAnnot.has(a.num)) pageOfAnnot.set(a.num, p.index);
  const out: FieldInfo[] = [];
  const seen = new Set<number>();
  let visited = 0;
  const walk = (node: PdfObject | undefined, depth: number, prefix: string, ft: string | null, ff: number): void => {
    if (depth > LIMITS.MAX_FIELD_DEPTH || ++visited > LIMITS.MAX_FIELDS) return;
    const ref = node instanceof PdfRef ? node : null;
    if (ref) { if (seen.has(ref.num)) return; seen.add(ref.num); }
    const d = dictOf(file.resolve(node, rev));
    if (!d) return;
    const t = file.resolve(d.get('T'), rev);
    const name = t instanceof PdfString ? (prefix ? `${prefix}.${textString(t)}` : textString(t)) : prefix;
    const ftHere = file.resolve(d.get('FT'), rev);
    const type = ftHere instanceof PdfName ? ftHere.name : ft;
    const ffHere = file.resolve(d.get('Ff'), rev);
    const flags = typeof ffHere === 'number' ? ffHere : ff;
    const kids = file.resolve(d.get('Kids'), rev);
    const kidFields: PdfObject[] = [];
    const kidWidgets: PdfObject[] = [];
    if (Array.isArray(kids)) {
      for (const k of kids) {
        const kd = dictOf(file.resolve(k, rev));
        if (!kd) continue;
        // A kid with /T is a field; without it, a widget of this field.
        if (kd.has('T')) kidFields.push(k); else kidWidgets.push(k);
      }
    }
    for (const k of kidFields) walk(k, depth + 1, name, type, flags);
    if (kidFields.length > 0 && kidWidgets.length === 0) return;
    const widgetObjs = kidWidgets.length > 0 ? kidWidgets : isName(d.get('Subtype'), 'Widget') || d.has('Rect') ? [node] : [];
    const widgets: Widget[] = widgetObjs.map((w) => {
      const wd = dictOf(file.resolve(w, rev))!;
      const wref = w instanceof PdfRef ? w : null;
      let page = wref ? pageOfAnnot.get(wref.num) ?? null : null;
      if (page === null) {
        const p = wd.get('P');
        if (p instanceof PdfRef) page = pageList.find((pg) => pg.ref?.num === p.num)?.index ?? null;
      }
      return { ref: wref, dict: wd, page, rect: rectOf(file, wd.get('Rect'), rev) };
    });
    out.push({ name, ref, dict: d, type, flags, widgets });
  };
  const list = file.resolve(form.get('Fields'), rev);
  if (Array.isArray(list)) for (const f of list) walk(f, 0, '', null, 0);
  return out;
}
