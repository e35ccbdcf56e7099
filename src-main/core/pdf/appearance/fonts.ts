import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resourcesDir } from '../../paths';
import fontkit from '@cantoo/fontkit';

/** Liberation Serif 2 (Times New Roman metrics, full Vietnamese coverage; SIL OFL), shipped in resources/fonts. */
export type FontFace = 'regular' | 'bold' | 'italic';

const FILES: Record<FontFace, string> = {
  regular: 'LiberationSerif-Regular.ttf',
  bold: 'LiberationSerif-Bold.ttf',
  italic: 'LiberationSerif-Italic.ttf',
};

const fontsDir = join(resourcesDir, 'fonts');
const cache = new Map<FontFace, Buffer>();

export function fontBytes(face: FontFace): Buffer {
  let b = cache.get(face);
  if (!b) {
    b = readFileSync(join(fontsDir, FILES[face]));
    cache.set(face, b);
  }
  return b;
}

type Fontkit = typeof fontkit;

/** The parsed font of one face (fontkit tables decoded once per process, not once per signature). */
export function parsedFont(face: FontFace): unknown {
  return cachingFontkit.create(fontBytes(face));
}

const parsed = new WeakMap<Uint8Array, unknown>();

type Layout = (text: unknown, ...rest: unknown[]) => unknown;
const LAYOUTS_PER_FACE = 256;

/**
 * Makes a parsed face answer a text it has shaped before with the same run: fontkit runs its whole
 * OpenType shaping for every call, and every issue shapes the same digits, days and months (about a
 * millisecond before its first signature). Its callers only read a run (pdf-lib's subset embedder takes
 * the glyph ids and advances, textWidth the advance width), so one run serves them all.
 */
function memoizeLayout(font: { layout: Layout }): void {
  const layout: Layout = font.layout.bind(font);
  const runs = new Map<string, unknown>();
  font.layout = (text, ...rest) => {
    if (typeof text !== 'string' || rest.length > 1) return layout(text, ...rest);
    const key = `${JSON.stringify(rest[0] ?? null)}\u0000${text}`;
    let run = runs.get(key);
    if (run === undefined) {
      run = layout(text, ...rest);
      if (runs.size >= LAYOUTS_PER_FACE) runs.delete(runs.keys().next().value!);
      runs.set(key, run);
    }
    return run;
  };
}

/**
 * What documents register as their fontkit: fontkit itself, except that our own font files (the same
 * Buffer objects fontBytes hands out) are parsed once and shared. Decoding the glyph tables of a
 * Liberation face costs milliseconds each time, and an issue embeds several faces; the parsed font is
 * only read by pdf-lib's subsetting embedder, which builds its own subset object per embedding.
 */
export const cachingFontkit: Fontkit = {
  ...fontkit,
  create(buffer: Uint8Array, postscriptName?: string): unknown {
    if (postscriptName !== undefined) return fontkit.create(buffer, postscriptName);
    let f = parsed.get(buffer);
    if (!f) {
      f = fontkit.create(buffer);
      memoizeLayout(f as { layout: Layout });
      parsed.set(buffer, f);
    }
    return f;
  },
} as unknown as Fontkit;
