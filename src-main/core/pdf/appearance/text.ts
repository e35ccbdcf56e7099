import { randomBytes } from 'node:crypto';
import fontkit from '@cantoo/fontkit';
import { PDFDocument, type PDFRef } from '@cantoo/pdf-lib';
import { fontBytes, type FontFace } from './fonts';
import { num, registerFormXObject } from './form-xobject';

const POSTSCRIPT_NAMES: Record<FontFace, string> = {
  regular: 'LiberationSerif',
  bold: 'LiberationSerif-Bold',
  italic: 'LiberationSerif-Italic',
};

function subsetTag(): string {
  return Array.from(randomBytes(6), (b) => String.fromCharCode(65 + (b % 26))).join('');
}

export interface TextAppearance { ref: PDFRef; width: number; height: number; baselineOffset: number }

/**
 * A form XObject with one line of text in Liberation Serif, black, embedded as a subset (only the
 * glyphs used travel in the file). The box is as wide as the text and one line high; `baselineOffset`
 * is the distance from the box bottom to the baseline, so callers can align it with printed text.
 */
export async function textAppearance(doc: PDFDocument, text: string, size: number, face: FontFace = 'regular'): Promise<TextAppearance> {
  doc.registerFontkit(fontkit);
  // The "ABCDEF+" tag marks a subset (ISO 32000-1 §9.6.4); pdf-lib would write a bare name instead.
  const font = await doc.embedFont(fontBytes(face), { subset: true, customName: `${subsetTag()}+${POSTSCRIPT_NAMES[face]}` });
  const line = text.normalize('NFC');
  const width = font.widthOfTextAtSize(line, size);
  const height = font.heightAtSize(size, { descender: true });
  const baselineOffset = height - font.heightAtSize(size, { descender: false });
  const hex = font.encodeText(line).toString();
  const content = `BT /F0 ${num(size)} Tf 0 0 0 rg ${num(0)} ${num(baselineOffset)} Td ${hex} Tj ET`;
  const ref = registerFormXObject(doc, content, width, height, { Font: { F0: font.ref } });
  return { ref, width, height, baselineOffset };
}

const measurers = new Map<FontFace, { unitsPerEm: number; layout(s: string): { advanceWidth: number } }>();

/** Width in points of one line in Liberation Serif, without touching any document. */
export function textWidth(text: string, size: number, face: FontFace = 'regular'): number {
  let f = measurers.get(face);
  if (!f) {
    f = fontkit.create(fontBytes(face)) as unknown as { unitsPerEm: number; layout(s: string): { advanceWidth: number } };
    measurers.set(face, f);
  }
  return (f.layout(text.normalize('NFC')).advanceWidth / f.unitsPerEm) * size;
}
