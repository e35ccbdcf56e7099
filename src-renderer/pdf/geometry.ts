/**
 * PDF user space (points, origin bottom-left) ↔ CSS pixels on a rendered page (origin top-left).
 * Pure functions so the sign screen's drag maths can be reasoned about (and tested) alone.
 */
export interface PtRect { x: number; y: number; width: number; height: number }
export interface PxRect { left: number; top: number; width: number; height: number }

export function toPx(r: PtRect, pageHeightPt: number, scale: number): PxRect {
  return { left: r.x * scale, top: (pageHeightPt - r.y - r.height) * scale, width: r.width * scale, height: r.height * scale };
}

/** Moves a rectangle by a drag of (dxPx, dyPx) screen pixels: y grows downwards on screen, upwards in PDF. */
export function movedBy<T extends { x: number }>(r: T & ({ y: number } | { baseline: number }), dxPx: number, dyPx: number, scale: number): T {
  const dx = dxPx / scale;
  const dy = -dyPx / scale;
  return 'baseline' in r ? { ...r, x: r.x + dx, baseline: r.baseline + dy } : { ...r, x: r.x + dx, y: r.y + dy };
}

/** The rectangle a line of text occupies around its baseline (descenders below, ascenders above). */
export function textBoxRect(b: { x: number; width: number; baseline: number; size: number }): PtRect {
  return { x: b.x, y: b.baseline - 0.25 * b.size, width: b.width, height: 1.15 * b.size };
}
