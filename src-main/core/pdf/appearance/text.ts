import { randomBytes } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { PDFDocument, PDFRawStream, type PDFContext, type PDFFont, type PDFRef } from '@cantoo/pdf-lib';
import { cachingFontkit, fontBytes, parsedFont, type FontFace } from './fonts';
import { num, registerFormXObject } from './form-xobject';

const POSTSCRIPT_NAMES: Record<FontFace, string> = {
  regular: 'LiberationSerif',
  bold: 'LiberationSerif-Bold',
  italic: 'LiberationSerif-Italic',
};

function subsetTag(): string {
  return Array.from(randomBytes(6), (b) => String.fromCharCode(65 + (b % 26))).join('');
}

/**
 * Digits and the punctuation of numbers, dates and ISO times: the numbers, days and months of every
 * issue, and the time stamps of appendix and copy text, then share one subset per face.
 */
const COMMON_GLYPHS = '0123456789/:;.,+-T ';

/**
 * Compressed font programs and ToUnicode maps of the subsets made so far in this process, by face and
 * glyph list. Subsetting a Liberation face and compressing the result costs milliseconds in pure JS
 * (fontkit, pako) for every font of every revision; the same few subsets recur all day.
 */
const subsetStreams = new Map<string, { program: Uint8Array; toUnicode: Uint8Array | null }>();
const SUBSET_STREAMS_MAX = 64;

interface SubsetEmbedder {
  glyphs: Array<{ id: number } | undefined>;
  isCFF(): boolean;
  serializeFont(): Promise<Uint8Array>;
  embedFontStream(context: PDFContext): Promise<PDFRef>;
  embedUnicodeCmap(context: PDFContext): PDFRef;
}

/**
 * Makes this font, when pdf-lib writes it, take its font program and ToUnicode stream from the cache
 * (or fill it): pdf-lib's writers of those two streams are replaced on this one embedder; the font's
 * dictionaries and widths are still pdf-lib's. pdf-lib writes the program first (embedFontStream, from
 * the descriptor), then the ToUnicode map, both once, when the document is first saved.
 */
function reuseSubsetStreams(font: PDFFont, face: FontFace): void {
  const embedder = (font as unknown as { embedder: SubsetEmbedder }).embedder;
  const writeCmap = embedder.embedUnicodeCmap.bind(embedder);
  let key = '';
  embedder.embedFontStream = async (context) => {
    key = `${face}:${embedder.glyphs.map((g) => g?.id ?? -1).join(',')}`;
    let hit = subsetStreams.get(key);
    if (!hit) {
      hit = { program: deflateSync(await embedder.serializeFont()), toUnicode: null };
      subsetStreams.set(key, hit);
      if (subsetStreams.size > SUBSET_STREAMS_MAX) subsetStreams.delete(subsetStreams.keys().next().value!);
    }
    return context.register(context.stream(hit.program, { Filter: 'FlateDecode', ...(embedder.isCFF() ? { Subtype: 'CIDFontType0C' } : {}) }));
  };
  embedder.embedUnicodeCmap = (context) => {
    const hit = subsetStreams.get(key);
    if (hit?.toUnicode) return context.register(context.stream(hit.toUnicode, { Filter: 'FlateDecode' }));
    const ref = writeCmap(context);
    const written = context.lookup(ref);
    if (hit && written instanceof PDFRawStream) hit.toUnicode = written.getContents();
    return ref;
  };
}

export interface TextAppearance { ref: PDFRef; width: number; height: number; baselineOffset: number }

/**
 * One embedded subset font of one face, shared by several one-line appearances (the day and the month
 * of an issue use one italic subset, written once in the first revision that draws it).
 *
 * Every text must be known when the font is made: pdf-lib writes a font's subset the first time the
 * document is saved and never again, so a glyph encoded afterwards would be missing from the file.
 * appearance() therefore refuses a text it was not made with.
 */
export class TextFont {
  private readonly encoded = new Map<string, string>();

  private constructor(private readonly doc: PDFDocument, private readonly font: PDFFont, texts: readonly string[]) {
    for (const t of texts) {
      const line = t.normalize('NFC');
      if (!this.encoded.has(line)) this.encoded.set(line, font.encodeText(line).toString());
    }
  }

  static async embed(doc: PDFDocument, face: FontFace, texts: readonly string[]): Promise<TextFont> {
    doc.registerFontkit(cachingFontkit);
    // The "ABCDEF+" tag marks a subset (ISO 32000-1 §9.6.4); pdf-lib would write a bare name instead.
    const font = await doc.embedFont(fontBytes(face), { subset: true, customName: `${subsetTag()}+${POSTSCRIPT_NAMES[face]}` });
    // The common glyphs first, always in the same order, so that the subset's glyph numbering — and
    // with it the font program and its ToUnicode map — is the same for every text made only of them.
    font.encodeText(COMMON_GLYPHS);
    const made = new TextFont(doc, font, texts);
    reuseSubsetStreams(font, face);
    return made;
  }

  /**
   * A form XObject with one line of text, black. The box is as wide as the text and one line high;
   * `baselineOffset` is the distance from the box bottom to the baseline, so callers can align it with
   * printed text.
   */
  appearance(text: string, size: number): TextAppearance {
    const line = text.normalize('NFC');
    const hex = this.encoded.get(line);
    if (hex === undefined) throw new Error('text was not encoded when its font was embedded');
    const width = this.font.widthOfTextAtSize(line, size);
    const height = this.font.heightAtSize(size, { descender: true });
    const baselineOffset = height - this.font.heightAtSize(size, { descender: false });
    const content = `BT /F0 ${num(size)} Tf 0 0 0 rg ${num(0)} ${num(baselineOffset)} Td ${hex} Tj ET`;
    const ref = registerFormXObject(this.doc, content, width, height, { Font: { F0: this.font.ref } });
    return { ref, width, height, baselineOffset };
  }
}

/** One line of text in Liberation Serif with its own subset font. */
export async function textAppearance(doc: PDFDocument, text: string, size: number, face: FontFace = 'regular'): Promise<TextAppearance> {
  return (await TextFont.embed(doc, face, [text])).appearance(text, size);
}

/** Width in points of one line in Liberation Serif, without touching any document. */
export function textWidth(text: string, size: number, face: FontFace = 'regular'): number {
  const f = parsedFont(face) as unknown as { unitsPerEm: number; layout(s: string): { advanceWidth: number } };
  return (f.layout(text.normalize('NFC')).advanceWidth / f.unitsPerEm) * size;
}
