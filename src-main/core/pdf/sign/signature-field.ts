import {
  PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFRef, PDFString, type PDFObject,
} from '@cantoo/pdf-lib';
import type { Rect } from '../../verify/report';
import { pdfDateVietnam } from './pdf-date';

/** Placeholder digits: ten 9s keep room for any offset of a file under 10 GB. */
export const BYTE_RANGE_PLACEHOLDER = '[ 0 9999999999 9999999999 9999999999 ]';

export interface SignatureFieldSpec {
  /** 0-based page index. */
  page: number;
  /** Widget rect in user space; null = invisible signature. */
  rect: Rect | null;
  /** Appearance stream (form XObject) for the widget, already registered in the document. */
  appearance: PDFRef | null;
  /** Field name prefix; a numeric suffix makes it unique. ASCII, no '.'. */
  namePrefix: string;
  signingTime: Date;
  /** Text strings written as UTF-16BE (docs/signing.md, "Text in signature dictionaries"). */
  reason?: string;
  name?: string;
  location?: string;
  /** Bytes reserved for the DER CMS (the hex placeholder is twice as long). */
  contentsSize: number;
}

/**
 * Adds one signature field with one merged widget (poppler lists extra "unsigned" entries for fields
 * with several widgets, docs/signing.md "Four agency signatures") and its signature dictionary with placeholders, touching only
 * the objects a signature needs: the page's /Annots, /AcroForm and its /Fields. Every changed old
 * object is marked for the incremental writer explicitly, so nothing else is re-emitted.
 */
export function addSignatureField(doc: PDFDocument, spec: SignatureFieldSpec): { fieldName: string; sigRef: PDFRef } {
  const ctx = doc.context;
  const snapshot = ctx.snapshot;
  if (!snapshot) throw new Error('document was not loaded for incremental update');
  const page = doc.getPage(spec.page);

  const sigDict = ctx.obj({
    Type: 'Sig',
    Filter: 'Adobe.PPKLite',
    SubFilter: 'ETSI.CAdES.detached',
  }) as PDFDict;
  sigDict.set(PDFName.of('M'), PDFString.of(pdfDateVietnam(spec.signingTime)));
  if (spec.name) sigDict.set(PDFName.of('Name'), PDFHexString.fromText(spec.name.normalize('NFC')));
  if (spec.reason) sigDict.set(PDFName.of('Reason'), PDFHexString.fromText(spec.reason.normalize('NFC')));
  if (spec.location) sigDict.set(PDFName.of('Location'), PDFHexString.fromText(spec.location.normalize('NFC')));
  // ByteRange and Contents last, in this order: the patcher finds them after the revision start.
  sigDict.set(PDFName.of('ByteRange'), ctx.obj([0, 9999999999, 9999999999, 9999999999]));
  sigDict.set(PDFName.of('Contents'), PDFHexString.of('0'.repeat(spec.contentsSize * 2)));
  const sigRef = ctx.register(sigDict);

  const fieldName = uniqueFieldName(doc, spec.namePrefix);
  const r = spec.rect ?? { x: 0, y: 0, width: 0, height: 0 };
  const widget = ctx.obj({
    Type: 'Annot',
    Subtype: 'Widget',
    FT: 'Sig',
    Rect: [r.x, r.y, r.x + r.width, r.y + r.height],
    F: 4,
    P: page.ref,
  }) as PDFDict;
  widget.set(PDFName.of('T'), PDFString.of(fieldName));
  widget.set(PDFName.of('V'), sigRef);
  if (spec.appearance) widget.set(PDFName.of('AP'), ctx.obj({ N: spec.appearance }));
  const widgetRef = ctx.register(widget);

  appendToArray(doc, page.node, page.ref, 'Annots', widgetRef);
  const { acroForm, owner } = acroFormOf(doc);
  appendToArray(doc, acroForm, owner, 'Fields', widgetRef);
  const flags = acroForm.lookup(PDFName.of('SigFlags'));
  const prev = flags instanceof PDFNumber ? flags.asNumber() : 0;
  acroForm.set(PDFName.of('SigFlags'), PDFNumber.of(prev | 3));
  snapshot.markRefForSave(owner);
  return { fieldName, sigRef };
}

/** The AcroForm dictionary and the indirect object that must be re-emitted when it changes. */
function acroFormOf(doc: PDFDocument): { acroForm: PDFDict; owner: PDFRef } {
  const ctx = doc.context;
  const rootRef = ctx.trailerInfo.Root as PDFRef;
  const raw = doc.catalog.get(PDFName.of('AcroForm'));
  if (raw instanceof PDFRef) {
    const dict = ctx.lookup(raw, PDFDict);
    return { acroForm: dict, owner: raw };
  }
  if (raw instanceof PDFDict) return { acroForm: raw, owner: rootRef };
  // A fresh indirect AcroForm keeps later revisions from having to re-emit the catalog again.
  const dict = ctx.obj({ Fields: [] }) as PDFDict;
  const ref = ctx.register(dict);
  doc.catalog.set(PDFName.of('AcroForm'), ref);
  ctx.snapshot!.markRefForSave(rootRef);
  return { acroForm: dict, owner: ref };
}

function appendToArray(doc: PDFDocument, holder: PDFDict, holderRef: PDFRef, key: string, item: PDFRef): void {
  const ctx = doc.context;
  const raw = holder.get(PDFName.of(key));
  if (raw instanceof PDFRef) {
    ctx.lookup(raw, PDFArray).push(item);
    ctx.snapshot!.markRefForSave(raw);
    return;
  }
  if (raw instanceof PDFArray) raw.push(item);
  else holder.set(PDFName.of(key), ctx.obj([item]));
  ctx.snapshot!.markRefForSave(holderRef);
}

function uniqueFieldName(doc: PDFDocument, prefix: string): string {
  const taken = new Set<string>();
  const raw = doc.catalog.lookupMaybe(PDFName.of('AcroForm'), PDFDict);
  const fields = raw?.lookupMaybe(PDFName.of('Fields'), PDFArray);
  // Bounded: a hostile file may list millions of fields; names past the first 10 000 cannot collide
  // with ours in practice, and the suffix search below is bounded as well.
  for (let i = 0; fields && i < Math.min(fields.size(), 10_000); i++) {
    const f = fields.lookup(i) as PDFObject;
    if (f instanceof PDFDict) {
      const t = f.lookup(PDFName.of('T'));
      if (t instanceof PDFString || t instanceof PDFHexString) taken.add(t.decodeText());
    }
  }
  const safe = prefix.replace(/[^A-Za-z0-9_-]/g, '_') || 'Sig';
  for (let n = 1; n < 100_000; n++) {
    const name = `${safe}_${n}`;
    if (!taken.has(name)) return name;
  }
  throw new Error('no free signature field name');
}
