import type { PDFFont } from '@cantoo/pdf-lib';
import { fontBytes } from '../pdf/appearance/fonts';

/**
 * Liberation Serif (metric-compatible with Times New Roman, full Vietnamese coverage), the copy shipped
 * in resources/fonts: the same files the signature appearances use.
 */
export function loadSerifFont(weight: 'Regular' | 'Bold'): Uint8Array {
  return fontBytes(weight === 'Bold' ? 'bold' : 'regular');
}

interface Glyph {
  id: number;
  advanceWidth: number;
}
interface LayoutFont {
  layout(text: string, features?: unknown): { glyphs: Glyph[] };
}

/** Words shaped once per process and weight: a register repeats the same few thousand words. */
const shaped = new Map<string, Map<string, Glyph[]>>();
const WORDS_KEPT = 200_000;

/**
 * Shaping (OpenType layout in fontkit) of every cell's text was most of a 10,000-row register's print
 * time. pdf-lib uses only the glyph ids and advances of a layout, and Liberation Serif has no
 * substitution across a space, so a text's glyphs are its words' glyphs joined by the space glyph;
 * each word is shaped once per process. Glyphs of another instance of the same font file carry the same
 * ids and advances, which is all the subset and the width table read from them.
 */
export function shapeWordsOnce(font: PDFFont, weight: 'Regular' | 'Bold'): void {
  // pdf-lib keeps the fontkit font inside its embedder; neither is part of its typed API.
  const inner = (font as unknown as { embedder: { font: LayoutFont } }).embedder.font;
  const layout = inner.layout.bind(inner);
  let words = shaped.get(weight);
  if (!words) shaped.set(weight, (words = new Map()));
  const word = (w: string): Glyph[] => {
    let g = words.get(w);
    if (!g) {
      g = layout(w).glyphs;
      if (words.size < WORDS_KEPT) words.set(w, g);
    }
    return g;
  };
  const space = layout(' ').glyphs;
  inner.layout = (text: string, features?: unknown) => {
    if (features !== undefined && features !== null && Object.keys(features).length > 0) return layout(text, features);
    const parts = text.split(' ');
    if (parts.length === 1) return { glyphs: word(text) };
    const glyphs: Glyph[] = [];
    parts.forEach((p, i) => {
      if (i > 0) glyphs.push(...space);
      if (p) glyphs.push(...word(p));
    });
    return { glyphs };
  };
}
