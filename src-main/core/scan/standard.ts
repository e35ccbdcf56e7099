/**
 * The digitisation standard (regulation Điều 10.2; docs/digitization.md §1) and the tolerances we judge it
 * with, in one place: the check, the assembler, the scanner profile and the screens read them from here.
 */
export const STANDARD = {
  /** Lowest PDF version a digitised document may carry. */
  minPdfVersion: '1.4',
  /** Lowest effective resolution of every page image, in dots per inch. */
  minDpi: 200,
  /**
   * A page image must cover its page: what it leaves uncovered (in each direction) is at most this
   * share, else the scan was shrunk onto the page ("fit to page") and is not at 100 %.
   */
  fillTolerance: 0.02,
  /** Horizontal and vertical resolution may differ by this share before we call the scaling non-uniform. */
  aspectTolerance: 0.02,
  /**
   * Smallest page a document of the regulation is printed on: A5 (148 × 210 mm). A page smaller than
   * that by more than the tolerance is an image scaled down from its paper (its resolution tag kept).
   */
  minShortSideMm: 148,
  minAreaMm2: 148 * 210,
  smallPageTolerance: 0.03,
  /** An image covering less than this share of its page is a detail (a logo), not the page's scan. */
  minorImageShare: 0.05,
} as const;

/** What the scanner profile and an image without its own resolution default to. */
export const SCAN_DEFAULTS = { dpi: 300, mode: 'color' as const };

export const MM_PER_INCH = 25.4;
export const PT_PER_INCH = 72;

export const ptToMm = (pt: number): number => (pt / PT_PER_INCH) * MM_PER_INCH;

/** PDF version strings compared numerically ("1.10" would sort after "1.4"). */
export function versionAtLeast(v: string, min: string): boolean {
  const [a = 0, b = 0] = v.split('.').map(Number);
  const [c = 0, d = 0] = min.split('.').map(Number);
  return a > c || (a === c && b >= d);
}
