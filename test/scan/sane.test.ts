import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src-main/cli/main';
import { openDatabase } from '../../src-main/core/db/connection';
import { registerDbPath } from '../../src-main/core/config';
import { digitize } from '../../src-main/core/scan/digitize';
import { isDigitizedHere, sha256Hex } from '../../src-main/core/scan/provenance';
import { listScanners, scanPages, scannerCapabilities } from '../../src-main/core/scan/sane';
import { cliIo, pdfimagesList, saneTestConfig } from './fixtures';

const dir = mkdtempSync(join(tmpdir(), 'vanthu-sane-'));
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  env = { ...process.env, SANE_CONFIG_DIR: saneTestConfig(dir) };
  // The CLI runs the in-process backend, whose scanner programs inherit this process's environment.
  process.env.SANE_CONFIG_DIR = env.SANE_CONFIG_DIR;
});

describe('scanning through SANE (test backend)', () => {
  it('lists the devices and reads their capabilities', async () => {
    const devices = await listScanners(env);
    expect(devices.map((d) => d.name)).toEqual(expect.arrayContaining(['test:0', 'test:1']));
    const caps = await scannerCapabilities('test:0', env);
    expect(caps.modes).toEqual(expect.arrayContaining(['Gray', 'Color']));
    expect(caps.sources).toEqual(['Flatbed', 'Automatic Document Feeder']);
    expect(caps.resolutions).toEqual({ min: 1, max: 1200 });
    expect(caps).toMatchObject({ maxWidthMm: 200, maxHeightMm: 200, duplex: false });
  });

  it('scans from the feeder end to end into a conforming PDF, pages arriving one by one', async () => {
    const arrived: number[] = [];
    const pages = await scanPages({ device: 'test:0', dpi: 300, mode: 'color', source: 'adf' }, { env, onPage: (p) => arrived.push(p.index) });
    // The test backend's feeder is empty after 10 sheets.
    expect(pages).toHaveLength(10);
    expect(arrived).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const r = await digitize(pages.slice(0, 2).map((p) => ({ name: `p${p.index}.png`, bytes: p.png })));
    expect(r.report.conforms, r.report.summaryVi).toBe(true);
    expect(r.report.pages[0]).toMatchObject({ dpi: 300, colour: true, widthMm: 200, heightMm: 200 });
    const out = join(dir, 'adf.pdf');
    writeFileSync(out, r.pdf);
    expect(pdfimagesList(out).map((row) => [row.color, row.xPpi, row.yPpi])).toEqual([['rgb', 300, 300], ['rgb', 300, 300]]);
  });

  it('a grey scan is refused by the check; an unsupported source or resolution is refused before scanning', async () => {
    const grey = await scanPages({ device: 'test:0', dpi: 200, mode: 'gray' }, { env });
    const r = await digitize(grey.map((p) => ({ name: 'g.png', bytes: p.png })));
    expect(r.report.pages[0]!.problems.map((p) => p.code)).toEqual(['NOT_COLOUR']);
    await expect(scanPages({ device: 'test:0', source: 'adf-duplex' }, { env })).rejects.toMatchObject({ code: 'INPUT_INVALID', vi: expect.stringContaining('khay nạp hai mặt') });
    await expect(scanPages({ device: 'test:0', dpi: 2400 }, { env })).rejects.toMatchObject({ vi: expect.stringContaining('2400 dpi') });
  });

  it('stops when cancelled and keeps nothing', async () => {
    const abort = new AbortController();
    const seen: number[] = [];
    const run = scanPages({ device: 'test:0', dpi: 600, source: 'adf' }, { env, signal: abort.signal, onPage: (p) => { seen.push(p.index); abort.abort(); } });
    await expect(run).rejects.toMatchObject({ code: 'CONFLICT', data: { cancelled: true } });
    expect(seen.length).toBeGreaterThanOrEqual(1);
    expect(seen.length).toBeLessThan(10);
  }, 60_000);

  it('vanthu scan --list and vanthu scan --device test:0 -o out.pdf (recorded as digitised here)', async () => {
    const data = join(dir, 'data');
    let io = cliIo(data);
    expect(await main(['scan', '--list'], io)).toBe(0);
    expect(io.lines.join('\n')).toContain('test:0');
    io = cliIo(data);
    const out = join(dir, 'cli-scan.pdf');
    expect(await main(['scan', '--device', 'test:0', '--dpi', '300', '--mode', 'color', '--source', 'flatbed', '-o', out], io)).toBe(0);
    expect(io.errs).toContain('Đã quét trang 1');
    expect(isDigitizedHere(openDatabase(registerDbPath(data)), sha256Hex(readFileSync(out)))).toBe(true);
    expect(await main(['scan', '--device', 'test:0', '--mode', 'lineart', '-o', join(dir, 'x.pdf')], cliIo(data))).toBe(64);
    expect(existsSync(join(dir, 'x.pdf'))).toBe(false);
  }, 60_000);
});
