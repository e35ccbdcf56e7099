import * as z from 'zod';
import { defineMethod, lazyMethods, pathString, text } from './api';
import { AGENCY_NAME_MAX_CHARS, SEAL_MM_MAX, SEAL_MM_MIN } from './limits';
import { isoDaySchema } from './register';

/** Mã định danh cơ quan (edXML OrganId), e.g. 000.00.00.H99: dotted groups of letters and digits. */
export const ORGAN_ID_PATTERN = /^[0-9A-Z]{2,3}(\.[0-9A-Z]{2,3}){3}$/;

/**
 * What the clerk (or the administrator at the desk) edits on "Cài đặt". Each field carries the label
 * the screen shows in its error, so a refused save names the field in Vietnamese.
 */
export const workstationSettingsSchema = z.strictObject({
  agency: z.strictObject({
    name: text(AGENCY_NAME_MAX_CHARS, 1),
    parentName: text(AGENCY_NAME_MAX_CHARS),
    organId: z.union([z.literal(''), z.string().max(20).regex(ORGAN_ID_PATTERN, 'OrganId')]),
    /** The place written before the date line: "Hà Nội, ngày … tháng … năm …" (empty until set). */
    placeName: text(60),
  }),
  seal: z.strictObject({
    image: pathString.nullable(),
    mm: z.number().min(SEAL_MM_MIN).max(SEAL_MM_MAX),
  }),
  token: z.strictObject({
    /** The PKCS#11 library chosen by the clerk; null = every detected driver. */
    driver: pathString.nullable(),
  }),
  trust: z.strictObject({
    anchors: z.array(pathString).max(32),
    intermediates: z.array(pathString).max(16),
  }),
  calendar: z.strictObject({
    holidays: z.array(isoDaySchema).max(2000),
    workingWeekends: z.array(isoDaySchema).max(500),
  }),
  print: z.strictObject({
    /** Lines above the title on printed registers (agency above, unit below). */
    headerLines: z.array(text(200)).max(3),
  }),
});
export type WorkstationSettings = z.infer<typeof workstationSettingsSchema>;

export const settingsMethods = lazyMethods({
  /** The stored settings (or the installation's defaults) and the token drivers found on this machine. */
  'settings.get': () => defineMethod(
    z.strictObject({}),
    z.object({ settings: workstationSettingsSchema, detectedDrivers: z.array(z.object({ vendor: z.string(), path: z.string() })), savedAt: z.string().nullable() }),
  ),
  /** Validated whole, written atomically; the previous file stays intact when anything fails. */
  'settings.save': () => defineMethod(z.strictObject({ settings: workstationSettingsSchema }), z.object({ settings: workstationSettingsSchema, savedAt: z.string() })),
});
