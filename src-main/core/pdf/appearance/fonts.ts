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
      parsed.set(buffer, f);
    }
    return f;
  },
} as unknown as Fontkit;
