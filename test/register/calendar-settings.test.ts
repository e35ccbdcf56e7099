/**
 * The working calendar saved in "Cài đặt" is the one the register's deadlines use: through the
 * contract (settings.save → register.calendar, audited in the chain), and again after a restart (the
 * register opens with the saved calendar).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Envelope } from '../../src-main/contract/api';
import type { WorkstationSettings } from '../../src-main/contract/settings';
import { dateInVietnam } from '../../src-main/contract/time';
import { createBackend, type Backend } from '../../src-main/core/backend';
import { demoSettings, registerDbPath } from '../../src-main/core/config';
import { memoryLogger } from '../../src-main/core/log';
import { openRegister, WorkingCalendar } from '../../src-main/core/register/index';
import { AGENCY } from './helpers';

let backend: Backend | null = null;
afterEach(async () => {
  await backend?.close();
  backend = null;
});

async function call<T>(b: Backend, method: string, input: unknown): Promise<T> {
  const env = (await b.dispatch(method, input, { transport: 'test' })) as Envelope<T>;
  if (!env.ok) throw new Error(`${method}: ${env.error.code} ${env.error.message}`);
  return env.value;
}

/** The issuing deadline of a signed draft, as "Hôm nay" shows it. */
async function issueDue(b: Backend, docId: number): Promise<string> {
  const r = await call<{ alerts: Array<{ docId: number; dueAt: string }> }>(b, 'register.alerts', { group: 'to_issue' });
  return r.alerts.find((a) => a.docId === docId)!.dueAt.slice(0, 10);
}

describe('Cài đặt → the working calendar of the deadlines', () => {
  it('a holiday saved in Cài đặt moves the issuing deadline, is audited, and is used again after a restart', async () => {
    const settings = demoSettings({ ...process.env, VANTHU_DATA_DIR: mkdtempSync(join(tmpdir(), 'vanthu-calendar-')) });
    // A draft signed now: to be issued by the next working morning (docs/register.md, "Deadlines").
    const reg = openRegister(registerDbPath(settings.dataDir), { agency: { ...AGENCY, name: settings.agency.name } });
    const { document: d } = reg.registration.draft({ book: 'di', TypeName: 'Công văn', Subject: 'Về việc lịch nghỉ' });
    reg.handling.transition(d.id, 'sign');
    reg.dispose();
    const next = new WorkingCalendar().nextWorkingDay(dateInVietnam());

    backend = await createBackend(settings, memoryLogger(), { host: 'browser', checkOutputs: true });
    expect(await issueDue(backend, d.id)).toBe(next);
    const { settings: current } = await call<{ settings: WorkstationSettings }>(backend, 'settings.get', {});
    await call(backend, 'settings.save', { settings: { ...current, agency: { ...current.agency, placeName: 'Hà Nội' }, calendar: { holidays: [next], workingWeekends: [] } } });
    const after = await issueDue(backend, d.id);
    expect(after > next).toBe(true);
    // A calendar the register refuses is never saved: the file keeps the last good one.
    const bad = await backend.dispatch('register.calendar', { holidays: ['2026-13-01'], workingWeekends: [] }, { transport: 'test' });
    expect(bad.ok).toBe(false);
    await backend.close();

    backend = await createBackend(settings, memoryLogger(), { host: 'browser', checkOutputs: true });
    expect(await issueDue(backend, d.id)).toBe(after);
    await backend.close();
    backend = null;
    const check = openRegister(registerDbPath(settings.dataDir), { agency: { ...AGENCY, name: settings.agency.name } });
    const entries = check.audit.trail({ entity: 'calendar' });
    expect(entries).toHaveLength(1);
    expect(JSON.parse(String(entries[0]!.after)).holidays).toEqual([next]);
    expect(check.audit.verify().ok).toBe(true);
    check.dispose();
  });
});
