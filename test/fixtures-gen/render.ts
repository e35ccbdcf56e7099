import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Rect } from '../../src-main/core/verify/report';

const DPI = 36;

/** Page 1 rendered to 8-bit grey with pdftoppm (the visual-diff oracle of docs/verification.md, "Changes after signing"). */
export function renderGrey(pdf: Buffer): { width: number; height: number; pixels: Buffer } {
  if (spawnSync('which', ['pdftoppm']).status !== 0) throw new Error('pdftoppm is not installed: run bash native/install-system-packages.sh');
  const dir = mkdtempSync(join(tmpdir(), 'vanthu-render-'));
  writeFileSync(join(dir, 'f.pdf'), pdf);
  execFileSync('pdftoppm', ['-r', String(DPI), '-gray', '-f', '1', '-l', '1', '-singlefile', join(dir, 'f.pdf'), join(dir, 'p')]);
  const pgm = readFileSync(join(dir, 'p.pgm'));
  const m = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.toString('latin1', 0, 40));
  if (!m) throw new Error('unexpected pdftoppm output');
  return { width: Number(m[1]), height: Number(m[2]), pixels: pgm.subarray(m[0].length) };
}

/** Pixels that differ between two renderings outside the given PDF rectangles (page height in points). */
export function differencesOutside(a: Buffer, b: Buffer, rects: readonly Rect[], pageHeight = 842): number {
  const ra = renderGrey(a);
  const rb = renderGrey(b);
  if (ra.width !== rb.width || ra.height !== rb.height) return Number.MAX_SAFE_INTEGER;
  const s = DPI / 72;
  const inside = (px: number, py: number) => rects.some((r) => px >= r.x * s - 2 && px <= (r.x + r.width) * s + 2 && py >= (pageHeight - r.y - r.height) * s - 2 && py <= (pageHeight - r.y) * s + 2);
  let n = 0;
  for (let y = 0; y < ra.height; y++) {
    for (let x = 0; x < ra.width; x++) {
      const i = y * ra.width + x;
      if (Math.abs(ra.pixels[i]! - rb.pixels[i]!) > 16 && !inside(x, y)) n++;
    }
  }
  return n;
}
