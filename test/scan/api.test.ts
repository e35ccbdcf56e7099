import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDispatcher } from '../../src-main/contract/dispatch';
import { conformanceReport, scanMethods, scanProgress } from '../../src-main/contract/scan';
import { DigitizedFiles } from '../../src-main/core/register/digitized';
import { openRegister, type Register } from '../../src-main/core/register/index';
import { scanService } from '../../src-main/core/services/scan-handlers';
import { Workspace } from '../../src-main/core/workspace';
import { AGENCY } from '../register/helpers';
import { makeFixtures, saneTestConfig, type Fixtures } from './fixtures';

const dir = mkdtempSync(join(tmpdir(), 'vanthu-scan-api-'));
const events: Array<{ event: string; payload: unknown }> = [];
let fx: Fixtures;
let call: (method: string, input: unknown) => Promise<{ ok: boolean; value?: any; error?: any }>;
let workspace: Workspace;
let reg: Register | undefined;

beforeAll(async () => {
  fx = await makeFixtures();
  const cfg = saneTestConfig(dir);
  const dbPath = join(dir, 'register.db');
  // The register records what is digitised here, in its audit chain.
  reg = openRegister(dbPath, { agency: AGENCY });
  const digitized = new DigitizedFiles(reg.ctx);
  workspace = new Workspace(join(dir, 'workspace'));
  const service = scanService({
    workspace, dbPath, env: { ...process.env, SANE_CONFIG_DIR: cfg }, publish: (event, payload) => events.push({ event, payload }),
    recordDigitized: (r) => digitized.record(r),
  });
  const dispatch = createDispatcher(scanMethods, service.handlers, { checkOutputs: true });
  call = (m, i) => dispatch(m, i, { transport: 'test' }) as never;
}, 120_000);
afterAll(() => reg?.dispose());

describe('scan.* and digitize.* over the contract', () => {
  it('lists scanners, scans with progress events, assembles, checks and answers provenance', async () => {
    expect((await call('scan.devices', {})).value.devices.map((d: { name: string }) => d.name)).toContain('test:0');
    const scanned = await call('scan.acquire', { jobId: 'job-1', device: 'test:0', source: 'adf', dpi: 200 });
    expect(scanned.ok).toBe(true);
    expect(scanned.value.pages).toHaveLength(10);
    const progress = events.filter((e) => e.event === 'scan.progress').map((e) => scanProgress.parse(e.payload));
    expect(progress.map((p) => p.page)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(progress[0]!.fileId).toBe(scanned.value.pages[0]);

    const made = await call('digitize.assemble', { jobId: 'job-2', files: scanned.value.pages.slice(0, 3), arrangement: [{ index: 2, rotate: 90 }, { index: 0, rotate: 0 }] });
    expect(made.ok).toBe(true);
    expect(made.value.report).toMatchObject({ conforms: true, pageCount: 2 });
    expect((await call('digitize.provenance', { fileId: made.value.fileId })).value).toMatchObject({ digitizedHere: true, record: { source: 'scan', pageCount: 2 } });
    expect(conformanceReport.parse((await call('digitize.check', { fileId: made.value.fileId })).value).conforms).toBe(true);

    // A conforming PDF digitised elsewhere: the check passes, the exception does not apply.
    const elsewhere = workspace.put('elsewhere.pdf', readFileSync(fx.files.img2pdf14!));
    expect((await call('digitize.check', { fileId: elsewhere.fileId })).value.conforms).toBe(true);
    expect((await call('digitize.provenance', { fileId: elsewhere.fileId })).value).toEqual({ digitizedHere: false, record: null });
    // Imported images are recorded as an import.
    const img = workspace.put('a.jpg', readFileSync(fx.files.colour300!));
    const imported = await call('digitize.assemble', { jobId: 'job-3', files: [img.fileId] });
    expect((await call('digitize.provenance', { fileId: imported.value.fileId })).value.record.source).toBe('import');
  }, 120_000);

  it('cancels a running scan by its job id; refuses bad input', async () => {
    const running = call('scan.acquire', { jobId: 'job-4', device: 'test:0', source: 'adf', dpi: 600 });
    await new Promise((r) => setTimeout(r, 300));
    expect((await call('scan.cancel', { jobId: 'job-4' })).value).toEqual({ cancelled: true });
    const r = await running;
    expect(r.ok).toBe(false);
    expect(r.error).toMatchObject({ code: 'CONFLICT', message: 'Đã hủy theo yêu cầu.' });
    expect((await call('scan.cancel', { jobId: 'job-4' })).value).toEqual({ cancelled: false });
    expect((await call('scan.acquire', { jobId: '../x', device: 'test:0' })).error.code).toBe('INPUT_INVALID');
    expect((await call('scan.acquire', { jobId: 'j5', device: '--batch=/tmp/x' })).error.code).toBe('INPUT_INVALID');
    expect((await call('digitize.assemble', { jobId: 'j', files: [] })).error.code).toBe('INPUT_INVALID');
  }, 60_000);
});
