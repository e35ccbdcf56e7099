import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Liberation Serif 2 (Times New Roman metrics, full Vietnamese coverage; SIL OFL), shipped in resources/fonts. */
export type FontFace = 'regular' | 'bold' | 'italic';

const FILES: Record<FontFace, string> = {
  regular: 'LiberationSerif-Regular.ttf',
  bold: 'LiberationSerif-Bold.ttf',
  italic: 'LiberationSerif-Italic.ttf',
};

const fontsDir = resolve(import.meta.dirname, '../../../../resources/fonts');
const cache = new Map<FontFace, Buffer>();

export function fontBytes(face: FontFace): Buffer {
  let b = cache.get(face);
  if (!b) {
    b = readFileSync(join(fontsDir, FILES[face]));
    cache.set(face, b);
  }
  return b;
}
