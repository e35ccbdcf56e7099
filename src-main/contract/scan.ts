import * as z from 'zod';
import { defineEvent, defineMethod, lazyMethods, text } from './api';
import { fileId } from './files';
import { documentDto, registerMethods } from './register';

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

// ── Methods and events ──────────────────────────────────────────────────────────────────────────────

/** Chosen by the screen so it can follow (and cancel) its own scan or OCR run. */
export const jobId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

export const scannerDto = z.object({ name: z.string(), vendor: z.string(), model: z.string(), type: z.string() });
export const scanSettings = z.strictObject({
  jobId,
  /** A SANE device name ("test:0", "epson2:net:10.0.0.5"): no blanks, never option-like. */
  device: text(200, 1).refine((d) => /^[^\s-][^\s]*$/.test(d), 'not a device name'),
  dpi: z.number().int().min(50).max(4800).default(300),
  mode: z.enum(['color', 'gray']).default('color'),
  source: z.enum(['flatbed', 'adf', 'adf-duplex']).default('flatbed'),
  paper: z.enum(['a4', 'a5', 'a3', 'letter']).default('a4'),
});

/** JPEG quality a clerk may ask for when colour photos are stored lossy (the standard says nothing of it). */
export const JPEG_QUALITY = { min: 50, max: 100 } as const;

/** One page the clerk keeps, in the order and turn they chose: an index into `files`' pages. */
export const pageArrangement = z.object({ index: z.number().int().min(0).max(9999), rotate: z.union([z.literal(0), z.literal(90), z.literal(180), z.literal(270)]) });

export const digitizeResult = z.object({
  fileId,
  name: z.string(),
  report: conformanceReport,
  /** Recognised text per page (empty without OCR): what the register's full-text index takes. */
  pageTexts: z.array(z.string()),
  sha256: z.string(),
});
export type DigitizeResultDto = z.infer<typeof digitizeResult>;

export const scanProgress = z.object({
  jobId,
  stage: z.enum(['scan', 'ocr']),
  /** Scan: the page just scanned (its PNG in the workspace). OCR: the page just recognised. */
  page: z.number().int().positive(),
  done: z.number().int().nonnegative(),
  pageCount: z.number().int().nonnegative().nullable(),
  fileId: fileId.optional(),
});
export type ScanProgressDto = z.infer<typeof scanProgress>;

export const digitizedRegistration = z.object({
  document: documentDto(),
  attachment: z.object({ id: z.number(), name: z.string(), size: z.number(), sha256: z.string() }),
  report: conformanceReport,
  /** From the workstation's own record of what it produced (never from the file): the Điều 17.4.c provenance. */
  digitizedHere: z.boolean(),
  source: z.enum(['scan', 'import']).nullable(),
});
export type DigitizedRegistrationDto = z.infer<typeof digitizedRegistration>;

export const scanMethods = lazyMethods({
  'scan.devices': () => defineMethod(z.strictObject({}), z.object({ devices: z.array(scannerDto) })),
  /** Scans until the device stops (one sheet on the flatbed, the whole feeder); pages arrive as scan.progress. */
  'scan.acquire': () => defineMethod(scanSettings, z.object({ pages: z.array(fileId) }), { progressEvent: 'scan.progress' }),
  'scan.cancel': () => defineMethod(z.strictObject({ jobId }), z.object({ cancelled: z.boolean() })),
  /** Images and PDFs → one PDF at 100 % (OCR optional), checked, recorded as digitised on this workstation. */
  'digitize.assemble': () => defineMethod(z.strictObject({
    jobId,
    files: z.array(fileId).min(1).max(500),
    arrangement: z.array(pageArrangement).max(2000).optional(),
    ocr: z.boolean().default(false),
    dpi: z.number().int().min(50).max(4800).optional(),
    /** Store lossless colour images (PNG, TIFF) as JPEG at this quality; default: as they are. */
    jpegQuality: z.number().int().min(JPEG_QUALITY.min).max(JPEG_QUALITY.max).optional(),
    name: text(255, 1).optional(),
  }), digitizeResult, { progressEvent: 'scan.progress' }),
  'digitize.check': () => defineMethod(z.strictObject({ fileId }), conformanceReport),
  /**
   * Vào sổ as "số hóa" (Điều 10.1–10.2): the PDF is checked first and refused with its per-page report
   * when it fails; a conforming one becomes a register entry with the PDF attached (its OCR text layer
   * searchable) and its provenance written in the entry's Ghi chú.
   */
  'digitize.register': () => defineMethod(z.strictObject({ fileId, record: registerMethods['register.add'].input.shape.record }), digitizedRegistration),
  /** Whether these bytes were digitised here (the Điều 17.4.c exception), from the workstation's own record. */
  'digitize.provenance': () => defineMethod(z.strictObject({ fileId }), z.object({
    digitizedHere: z.boolean(),
    record: z.object({ source: z.enum(['scan', 'import']), createdAt: z.string(), pageCount: z.number().int(), conforms: z.boolean(), ocr: z.boolean() }).nullable(),
  })),
});

export const scanEvents = {
  'scan.progress': defineEvent(scanProgress),
};
