import { z } from 'zod';

/**
 * Digitisation (scan, import, check, OCR). The conformance report is one schema for the check core
 * (src-main/core/scan/conformance.ts), `vanthu digitize check --json` and the API; its meaning is in
 * docs/digitization.md.
 */
export const conformanceProblemCode = z.enum([
  'PDF_VERSION', 'NO_PAGES', 'NO_IMAGE', 'NOT_COLOUR', 'LOW_DPI', 'NOT_FULL_PAGE', 'NON_UNIFORM_SCALE', 'USER_UNIT', 'PAGE_TOO_SMALL',
]);
export type ConformanceProblemCode = z.infer<typeof conformanceProblemCode>;

export const conformanceProblem = z.object({ code: conformanceProblemCode, vi: z.string() });

export const pageImageDto = z.object({
  width: z.number().int(),
  height: z.number().int(),
  colorSpace: z.string(),
  components: z.number().int(),
  bitsPerComponent: z.number().int(),
  filter: z.string().nullable(),
  xPpi: z.number(),
  yPpi: z.number(),
});

export const pageConformance = z.object({
  /** 1-based, as the clerk counts. */
  page: z.number().int().positive(),
  widthMm: z.number(),
  heightMm: z.number(),
  /** The page's scan: the largest image it draws (null: none). */
  image: pageImageDto.nullable(),
  /** Effective resolution of the page's scan (the lower of the two axes), or null. */
  dpi: z.number().nullable(),
  colour: z.boolean(),
  conforms: z.boolean(),
  problems: z.array(conformanceProblem),
});

export const conformanceReport = z.object({
  conforms: z.boolean(),
  version: z.string(),
  pageCount: z.number().int(),
  /** Problems of the file as a whole (version, no pages). */
  problems: z.array(conformanceProblem),
  pages: z.array(pageConformance),
  summaryVi: z.string(),
});
export type ConformanceReportDto = z.infer<typeof conformanceReport>;
export type PageConformanceDto = z.infer<typeof pageConformance>;
