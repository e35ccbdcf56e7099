/**
 * "Cài đặt" through the contract: the zod schema refuses a bad field by its path, a good save is
 * written atomically beside the register, and a file that no longer parses never reaches the screen.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDispatcher } from '../../src-main/contract/dispatch';
import { settingsMethods, type WorkstationSettings } from '../../src-main/contract/settings';
import type { Envelope } from '../../src-main/contract/api';
import { demoSettings } from '../../src-main/core/config';
import { memoryLogger } from '../../src-main/core/log';
import { settingsHandlers, WORKSTATION_SETTINGS_FILE } from '../../src-main/core/services/settings-handlers';

function setup() {
  const base = demoSettings({ ...process.env, VANTHU_DATA_DIR: mkdtempSync(join(tmpdir(), 'vanthu-settings-')) });
  const log = memoryLogger();
  const dispatch = createDispatcher(settingsMethods, settingsHandlers({ base, log }), { checkOutputs: true });
  const call = async (method: string, input: unknown) => (await dispatch(method, input, { transport: 'test' })) as Envelope<{ settings: WorkstationSettings; savedAt: string | null; detectedDrivers?: Array<{ path: string }> }>;
  return { base, log, call };
}

describe('settings over the contract', () => {
  it('starts from the installation: agency, seal, token driver and trust anchors of the demo profile', async () => {
    const { base, call } = setup();
    const r = await call('settings.get', {});
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.savedAt).toBeNull();
    expect(r.value.settings.agency.name).toBe(base.agency.name);
    expect(r.value.settings.agency.organId).toBe('000.00.00.H99');
    expect(r.value.settings.seal.mm).toBe(base.sealMm);
    expect(r.value.settings.trust.anchors.length).toBeGreaterThan(0);
    expect(r.value.detectedDrivers!.map((d) => d.path)).toContain('/usr/lib/softhsm/libsofthsm2.so');
  });

  it('saves atomically and reads back; the log names the changed sections only', async () => {
    const { base, call, log } = setup();
    const got = await call('settings.get', {});
    if (!got.ok) throw new Error(got.error.message);
    const next: WorkstationSettings = { ...got.value.settings, agency: { ...got.value.settings.agency, placeName: 'Ninh Bình', parentName: 'Bộ Nội vụ' }, calendar: { holidays: ['2027-02-16', '2027-02-17'], workingWeekends: [] } };
    const saved = await call('settings.save', { settings: next });
    expect(saved.ok).toBe(true);
    const again = await call('settings.get', {});
    if (!again.ok) throw new Error(again.error.message);
    expect(again.value.settings.agency.placeName).toBe('Ninh Bình');
    expect(again.value.settings.calendar.holidays).toEqual(['2027-02-16', '2027-02-17']);
    expect(again.value.savedAt).toMatch(/\+07:00$/);
    // No temp file left beside it.
    expect(readdirSync(base.dataDir).filter((f) => f.includes('workstation-settings'))).toEqual([WORKSTATION_SETTINGS_FILE]);
    const line = JSON.parse(log.lines.find((l) => l.includes('workstation settings saved'))!) as { sections: string[] };
    expect(line.sections).toEqual(['agency', 'calendar']);
    expect(JSON.stringify(log.lines)).not.toContain('Ninh Bình');
  });

  it('refuses a bad OrganId, a day that does not exist and a seal out of range, naming each field', async () => {
    const { call } = setup();
    const got = await call('settings.get', {});
    if (!got.ok) throw new Error(got.error.message);
    const s = got.value.settings;
    const bad = await call('settings.save', { settings: { ...s, agency: { ...s.agency, organId: 'H99' }, seal: { ...s.seal, mm: 90 }, calendar: { holidays: ['2027-02-30'], workingWeekends: [] } } });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.error.code).toBe('INPUT_INVALID');
    const fields = String(bad.error.data?.fields);
    expect(fields).toContain('settings.agency.organId');
    expect(fields).toContain('settings.seal.mm');
    expect(fields).toContain('settings.calendar.holidays.0');
  });

  it('refuses a seal image or driver that does not exist, and keeps the previous file', async () => {
    const { base, call } = setup();
    const got = await call('settings.get', {});
    if (!got.ok) throw new Error(got.error.message);
    expect((await call('settings.save', { settings: got.value.settings })).ok).toBe(true);
    const before = readFileSync(join(base.dataDir, WORKSTATION_SETTINGS_FILE), 'utf8');
    const bad = await call('settings.save', { settings: { ...got.value.settings, seal: { ...got.value.settings.seal, image: '/nonexistent/seal.png' } } });
    expect(bad.ok).toBe(false);
    expect(readFileSync(join(base.dataDir, WORKSTATION_SETTINGS_FILE), 'utf8')).toBe(before);
  });

  it('a damaged settings file shows the defaults instead of failing the screen', async () => {
    const { base, call, log } = setup();
    writeFileSync(join(base.dataDir, WORKSTATION_SETTINGS_FILE), '{"settings": {"agency": 1}');
    const r = await call('settings.get', {});
    expect(r.ok).toBe(true);
    expect(log.lines.some((l) => l.includes('workstation settings file unreadable'))).toBe(true);
  });
});
