import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Handlers } from '../../contract/dispatch';
import { AppError } from '../../contract/errors';
import { isoVietnam } from '../../contract/time';
import { ORGAN_ID_PATTERN, settingsMethods, workstationSettingsSchema, type WorkstationSettings } from '../../contract/settings';
import type { Settings } from '../config';
import { writeFileAtomic } from '../fsx/atomic-write';
import type { Logger } from '../log';
import { detectModules } from '../token/catalogue';

/** The file beside the register in the data folder; the administrator's VANTHU_CONFIG is never rewritten. */
export const WORKSTATION_SETTINGS_FILE = 'workstation-settings.json';

interface Stored { settings: WorkstationSettings; savedAt: string }

/** What a fresh workstation shows: the installation's own settings, in the screen's shape. */
export function defaultWorkstationSettings(base: Settings): WorkstationSettings {
  const anchors = existsSync(base.trustDir)
    ? readdirSync(base.trustDir).map((f) => join(base.trustDir, f)).filter((p) => statSync(p).isFile()).sort()
    : [];
  return {
    agency: { name: base.agency.name, parentName: '', organId: ORGAN_ID_PATTERN.test(base.agency.code) ? base.agency.code : '', placeName: '' },
    seal: { image: base.sealImage ?? null, mm: base.sealMm },
    token: { driver: base.pkcs11Modules[0] ?? null },
    trust: { anchors: anchors.slice(0, 32), intermediates: base.intermediates.slice(0, 16) },
    calendar: { holidays: [], workingWeekends: [] },
    print: { headerLines: [base.agency.name] },
  };
}

function readStored(file: string, log: Logger): Stored | null {
  if (!existsSync(file)) return null;
  try {
    const raw = JSON.parse(readFileSync(file, 'utf8')) as { settings?: unknown; savedAt?: unknown };
    const parsed = workstationSettingsSchema.safeParse(raw.settings);
    if (parsed.success && typeof raw.savedAt === 'string') return { settings: parsed.data, savedAt: raw.savedAt };
    log.warn('workstation settings file invalid, showing defaults', { file });
  } catch (e) {
    log.warn('workstation settings file unreadable, showing defaults', { file, error: (e as Error).message });
  }
  return null;
}

/** Sections whose content differs: the log line says what changed, never the values (paths, names). */
function changedSections(a: WorkstationSettings, b: WorkstationSettings): string[] {
  return (Object.keys(b) as Array<keyof WorkstationSettings>).filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}

/** The saved workstation settings, or the installation's defaults until some are saved. */
export function storedSettings(base: Settings, log: Logger): WorkstationSettings {
  return readStored(join(base.dataDir, WORKSTATION_SETTINGS_FILE), log)?.settings ?? defaultWorkstationSettings(base);
}

/** The saved working calendar (holidays, make-up days), which the register opens with; none until saved. */
export function storedCalendar(dataDir: string, log: Logger): WorkstationSettings['calendar'] | undefined {
  return readStored(join(dataDir, WORKSTATION_SETTINGS_FILE), log)?.settings.calendar;
}

export interface SettingsDeps {
  base: Settings;
  log: Logger;
  /** Hands a changed calendar to the register (validated and audited there) before the file is written. */
  applyCalendar?: (calendar: WorkstationSettings['calendar']) => Promise<unknown>;
}

export function settingsHandlers(deps: SettingsDeps): Handlers<typeof settingsMethods> {
  const file = join(deps.base.dataDir, WORKSTATION_SETTINGS_FILE);
  const current = () => readStored(file, deps.log);
  return {
    'settings.get': () => {
      const stored = current();
      return { settings: stored?.settings ?? defaultWorkstationSettings(deps.base), detectedDrivers: detectModules(), savedAt: stored?.savedAt ?? null };
    },
    'settings.save': async ({ settings }) => {
      const missing = [settings.seal.image, settings.token.driver, ...settings.trust.anchors, ...settings.trust.intermediates].filter((p): p is string => p !== null && !existsSync(p));
      if (missing.length > 0) {
        throw new AppError('INPUT_INVALID', 'Không tìm thấy tệp đã khai báo trong cài đặt (ảnh con dấu, trình điều khiển token hoặc chứng thư tin cậy).', `settings: ${missing.length} path(s) do not exist`, { missing: missing.length });
      }
      const before = current()?.settings ?? defaultWorkstationSettings(deps.base);
      // The register refuses a bad calendar before anything is written; its chain records the change.
      if (deps.applyCalendar && JSON.stringify(before.calendar) !== JSON.stringify(settings.calendar)) await deps.applyCalendar(settings.calendar);
      const savedAt = isoVietnam(new Date());
      writeFileAtomic(file, [Buffer.from(`${JSON.stringify({ settings, savedAt }, null, 2)}\n`, 'utf8')]);
      deps.log.info('workstation settings saved', { sections: changedSections(before, settings) });
      return { settings, savedAt };
    },
  };
}
