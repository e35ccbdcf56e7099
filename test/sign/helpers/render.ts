import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { requireTool } from './oracles';
import { tempDir } from './fixtures';

export interface Raster { width: number; height: number; scale: number; pageHeightPt: number; rgb: Buffer }

/** Renders one page with pdftoppm (poppler draws the widgets' appearance streams) into raw RGB. */
export function renderPage(file: string, page: number, dpi = 144): Raster {
  requireTool('pdftoppm');
  const dir = tempDir('render');
  execFileSync('pdftoppm', ['-r', String(dpi), '-f', String(page + 1), '-l', String(page + 1), file, join(dir, 'p')]);
  const ppm = readFileSync(join(dir, readdirSync(dir).find((f) => f.endsWith('.ppm'))!));
  rmSync(dir, { recursive: true, force: true });
  const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(ppm.subarray(0, 40).toString('latin1'));
  if (!header) throw new Error('unexpected pdftoppm output');
  const width = Number(header[1]);
  const height = Number(header[2]);
  const scale = dpi / 72;
  return { width, height, scale, pageHeightPt: height / scale, rgb: ppm.subarray(header[0].length) };
}

export type PixelTest = (r: number, g: number, b: number) => boolean;
export const isRed: PixelTest = (r, g, b) => r > 170 && g < 110 && b < 110;
export const isBlue: PixelTest = (r, g, b) => b > 140 && r < 110 && g < 140;

/** Pixels matching `test` inside a rect given in PDF points; and their bounding box, in points. */
export function scan(img: Raster, rect: { x: number; y: number; width: number; height: number }, test: PixelTest): { count: number; box: { x0: number; x1: number; y0: number; y1: number } | null } {
  const px0 = Math.max(0, Math.floor(rect.x * img.scale));
  const px1 = Math.min(img.width, Math.ceil((rect.x + rect.width) * img.scale));
  const py0 = Math.max(0, Math.floor((img.pageHeightPt - rect.y - rect.height) * img.scale));
  const py1 = Math.min(img.height, Math.ceil((img.pageHeightPt - rect.y) * img.scale));
  let count = 0;
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (let py = py0; py < py1; py++) {
    for (let px = px0; px < px1; px++) {
      const i = (py * img.width + px) * 3;
      if (!test(img.rgb[i]!, img.rgb[i + 1]!, img.rgb[i + 2]!)) continue;
      count++;
      x0 = Math.min(x0, px); x1 = Math.max(x1, px); y0 = Math.min(y0, py); y1 = Math.max(y1, py);
    }
  }
  if (count === 0) return { count, box: null };
  // Back to points, y up.
  return { count, box: { x0: x0 / img.scale, x1: (x1 + 1) / img.scale, y0: img.pageHeightPt - (y1 + 1) / img.scale, y1: img.pageHeightPt - y0 / img.scale } };
}
