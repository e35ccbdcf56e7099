import { PDFDocument, PDFName, PDFRef, type PDFDict } from '@cantoo/pdf-lib';

/** Registers a form XObject (an /AP /N stream) with the given content and resources. */
export function registerFormXObject(doc: PDFDocument, content: string, width: number, height: number, resources: Record<string, unknown>): PDFRef {
  const stream = doc.context.flateStream(content, {
    Type: 'XObject',
    Subtype: 'Form',
    BBox: [0, 0, width, height],
    Resources: resources,
  } as never);
  // Matrix identity: the widget's /Rect maps the BBox 1:1.
  (stream.dict as PDFDict).set(PDFName.of('FormType'), doc.context.obj(1));
  return doc.context.register(stream);
}

/** An empty appearance for invisible signatures (docs/signing.md, "Invisible signatures": empty BBox). */
export function emptyAppearance(doc: PDFDocument): PDFRef {
  return registerFormXObject(doc, '', 0, 0, {});
}

export function num(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(3).replace(/0+$/, '').replace(/\.$/, '');
}
