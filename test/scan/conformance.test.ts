import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src-main/cli/main';
import { checkConformance } from '../../src-main/core/scan/conformance';
import { digitize } from '../../src-main/core/scan/digitize';
import { cliIo, makeFixtures, pdfimagesList, type Fixtures } from './fixtures';

let fx: Fixtures;
const read = (k: string) => ({ name: k, bytes: readFileSync(fx.files[k]!) });
/** The assembled PDF of one import, written beside the fixtures (pdfimages reads it from there). */
async function imported(...keys: string[]): Promise<{ path: string; report: ReturnType<typeof checkConformance> }> {
  const r = await digitize(keys.map(read));
  const path = join(fx.out, `${keys.join('+')}.out.pdf`);
  writeFileSync(path, r.pdf);
  return { path, report: r.report };
}
const codes = (r: ReturnType<typeof checkConformance>) => [...r.problems, ...r.pages.flatMap((p) => p.problems)].map((p) => p.code);

/** poppler's figures for every page must match ours: size in pixels, resolution, colour. */
function agreesWithPdfimages(path: string): void {
  const ours = checkConformance(readFileSync(path));
  const theirs = pdfimagesList(path);
  expect(theirs.length).toBeGreaterThan(0);
  for (const p of ours.pages) {
    const row = theirs.find((t) => t.page === p.page && t.width === p.image?.width && t.height === p.image?.height);
    expect(row, `page ${p.page} of ${path}`).toBeDefined();
    expect(Math.round(p.image!.xPpi)).toBe(row!.xPpi);
    expect(Math.round(p.image!.yPpi)).toBe(row!.yPpi);
    expect(p.image!.bitsPerComponent).toBe(row!.bpc);
    // pdfimages names the space (index counts one component: the palette index).
    expect(p.image!.colorSpace).toBe(row!.color);
    if (row!.color !== 'index') expect(p.image!.components).toBe(row!.comp);
    expect(p.colour).toBe(row!.comp >= 3 && row!.bpc > 1);
  }
}

beforeAll(async () => { fx = await makeFixtures(); }, 120_000);

describe('digitisation standard check', () => {
  it('Đ10.2.a–d accepts a 300 dpi colour import and a 300 dpi colour photo', async () => {
    for (const k of ['colour300', 'colourPng300', 'photo']) {
      const { path, report } = await imported(k);
      expect(report.conforms, `${k}: ${report.summaryVi}`).toBe(true);
      expect(report.version).toBe('1.7');
      expect(report.pages[0]!.dpi).toBe(300);
      agreesWithPdfimages(path);
    }
  });

  it('Đ10.2.a–d refuses 150 dpi, greyscale, bilevel and down-scaled imports, each for its own reason', async () => {
    const cases: Array<[string, string]> = [['colour150', 'LOW_DPI'], ['grey300', 'NOT_COLOUR'], ['bilevel300', 'NOT_COLOUR'], ['down', 'PAGE_TOO_SMALL']];
    for (const [k, code] of cases) {
      const { path, report } = await imported(k);
      expect(report.conforms).toBe(false);
      expect(codes(report), k).toEqual([code]);
      expect(report.pages[0]!.problems[0]!.vi).toMatch(/^Trang 1/);
      agreesWithPdfimages(path);
    }
    const bilevel = (await imported('bilevel300')).report.pages[0]!;
    expect(bilevel.problems[0]!.vi).toContain('đen trắng');
    expect(bilevel.image).toMatchObject({ bitsPerComponent: 1, colorSpace: 'gray' });
  });

  it('judges PDFs from other producers: version, shrink-to-fit, stretching, no scan at all', () => {
    const cases: Array<[string, string[]]> = [
      ['img2pdf13', ['PDF_VERSION']], ['img2pdf14', []], ['shrunk', ['NOT_FULL_PAGE']], ['stretched', ['NON_UNIFORM_SCALE']], ['text', ['NO_IMAGE']],
    ];
    for (const [k, expected] of cases) {
      const r = checkConformance(readFileSync(fx.files[k]!));
      expect(codes(r), k).toEqual(expected);
      expect(r.conforms).toBe(expected.length === 0);
      if (k !== 'text') agreesWithPdfimages(fx.files[k]!);
    }
    expect(checkConformance(readFileSync(fx.files.img2pdf13!)).problems[0]!.vi).toBe('Phiên bản PDF 1.3 thấp hơn 1.4.');
    expect(checkConformance(readFileSync(fx.files.shrunk!)).pages[0]!.dpi).toBeCloseTo(375, 0);
  });

  it('vanthu digitize check: exit 0 conforms, 1 with failing pages and why, 64+ usage or I/O', async () => {
    const data = join(fx.out, 'data');
    let io = cliIo(data);
    expect(await main(['digitize', 'check', fx.files.img2pdf14!], io)).toBe(0);
    expect(io.lines[0]).toMatch(/^Đạt tiêu chuẩn số hóa/);
    io = cliIo(data);
    expect(await main(['digitize', 'check', fx.files.shrunk!, '--json'], io)).toBe(1);
    expect(JSON.parse(io.lines.join('\n'))).toMatchObject({ conforms: false, pages: [{ page: 1, problems: [{ code: 'NOT_FULL_PAGE' }] }] });
    io = cliIo(data);
    expect(await main(['digitize', 'check', fx.files.text!], io)).toBe(1);
    expect(io.lines.join('\n')).toContain('Trang 1 không có ảnh quét');
    expect(await main(['digitize', 'check'], cliIo(data))).toBe(64);
    expect(await main(['digitize', 'check', join(fx.out, 'missing.pdf')], cliIo(data))).toBe(74);
    expect(await main(['digitize', 'check', fx.files.colour300!], cliIo(data))).toBe(65);
  });
});
