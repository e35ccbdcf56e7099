import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument } from '@cantoo/pdf-lib';
import { main } from '../../src-main/cli/main';
import { openDatabase } from '../../src-main/core/db/connection';
import { registerDbPath } from '../../src-main/core/config';
import { digitize } from '../../src-main/core/scan/digitize';
import { isDigitizedHere, sha256Hex } from '../../src-main/core/scan/provenance';
import { cliIo, makeFixtures, type Fixtures } from './fixtures';

let fx: Fixtures;
const read = (k: string) => ({ name: k, bytes: readFileSync(fx.files[k]!) });
beforeAll(async () => { fx = await makeFixtures(); }, 120_000);

/** Images poppler extracts from a PDF, in their stored form (-all: JPEG as is, others as PNG). */
function extracted(pdf: string, prefix: string): string[] {
  execFileSync('pdfimages', ['-all', pdf, join(fx.out, prefix)]);
  return readdirSync(fx.out).filter((n) => n.startsWith(`${prefix}-`)).sort().map((n) => join(fx.out, n));
}
const pixelDifference = (a: string, b: string): number => {
  try {
    execFileSync('compare', ['-metric', 'AE', a, b, 'null:'], { stdio: ['ignore', 'ignore', 'pipe'] });
    return 0;
  } catch (e) {
    return Number((e as { stderr: Buffer }).stderr.toString().trim());
  }
};

describe('assembling scans and imports at 100 %', () => {
  it('passes a JPEG through byte for byte and keeps PNG pixels exactly; page size from pixels and resolution', async () => {
    const r = await digitize([read('colour300'), read('colourPng300')]);
    const out = join(fx.out, 'pass.pdf');
    writeFileSync(out, r.pdf);
    const [jpg, png] = extracted(out, 'pass');
    expect(readFileSync(jpg!).equals(readFileSync(fx.files.colour300!))).toBe(true);
    expect(pixelDifference(png!, fx.files.colourPng300!)).toBe(0);
    const doc = await PDFDocument.load(r.pdf);
    for (const p of doc.getPages()) {
      expect(p.getWidth()).toBeCloseTo((2480 / 300) * 72, 3);
      expect(p.getHeight()).toBeCloseTo((3508 / 300) * 72, 3);
    }
    execFileSync('qpdf', ['--check', out]);
  });

  it('reads every page of a multi-page TIFF, lays transparent PNGs on white, imports PDF pages unchanged', async () => {
    const tiff = await digitize([read('tiff')]);
    expect(tiff.report.pageCount).toBe(2);
    expect(tiff.report.conforms).toBe(true);
    const alpha = await digitize([read('alphaPng')]);
    expect(alpha.report.pages[0]).toMatchObject({ colour: true, dpi: 300, conforms: true });
    const mixed = await digitize([read('img2pdf14'), read('colour300'), read('shrunk')]);
    expect(mixed.report.pages.map((p) => p.conforms)).toEqual([true, true, false]);
  });

  it('uses --dpi only for an image without a resolution, and refuses such an image without it', async () => {
    await expect(digitize([read('noDpi')])).rejects.toMatchObject({ code: 'INPUT_INVALID', vi: expect.stringContaining('không ghi độ phân giải') });
    expect((await digitize([read('noDpi')], { fallbackDpi: 300 })).report.pages[0]!.dpi).toBe(300);
    // An image with its own resolution keeps it whatever --dpi says.
    expect((await digitize([read('colour150')], { fallbackDpi: 300 })).report.pages[0]!.dpi).toBe(150);
  });

  it('stores a lossless colour photo as JPEG at the stated quality only when asked, resolution kept', async () => {
    const r = await digitize([read('colourPng300'), read('grey300')], { jpegQuality: 80 });
    const out = join(fx.out, 'q80.pdf');
    writeFileSync(out, r.pdf);
    expect(r.report.pages.map((p) => [p.image?.filter, p.dpi])).toEqual([['DCTDecode', 300], ['FlateDecode', 300]]);
    expect(r.report.pages[0]!.colour).toBe(true);
    const [jpg] = extracted(out, 'q80');
    expect(execFileSync('identify', ['-format', '%Q', jpg!], { encoding: 'utf8' })).toBe('80');
    const io = cliIo(join(fx.out, 'q-data'));
    expect(await main(['digitize', fx.files.colourPng300!, '-o', join(fx.out, 'q.pdf'), '--jpeg-quality', '30'], io)).toBe(64);
  });

  it('applies the clerk’s order, rotation and deletion', async () => {
    const r = await digitize([read('tiff'), read('colour150')], { arrangement: [{ index: 2, rotate: 90 }, { index: 0, rotate: 0 }] });
    const doc = await PDFDocument.load(r.pdf);
    expect(doc.getPageCount()).toBe(2);
    expect(doc.getPage(0).getRotation().angle).toBe(90);
    expect(r.report.pages.map((p) => p.dpi)).toEqual([150, 300]);
  });

  it('vanthu digitize: writes -o atomically, records the output as digitised here, exit 1 when it does not conform', async () => {
    const data = join(fx.out, 'cli-data');
    const out = join(fx.out, 'cli.pdf');
    let io = cliIo(data);
    expect(await main(['digitize', fx.files.colour300!, fx.files.tiff!, '-o', out], io)).toBe(0);
    const db = () => openDatabase(registerDbPath(data));
    expect(isDigitizedHere(db(), sha256Hex(readFileSync(out)))).toBe(true);
    // A conforming PDF made elsewhere is not "digitised here".
    expect(isDigitizedHere(db(), sha256Hex(readFileSync(fx.files.img2pdf14!)))).toBe(false);
    io = cliIo(data);
    const bad = join(fx.out, 'cli-bad.pdf');
    expect(await main(['digitize', fx.files.grey300!, '-o', bad], io)).toBe(1);
    expect(io.lines.join('\n')).toContain('không phải ảnh màu');
    expect(isDigitizedHere(db(), sha256Hex(readFileSync(bad)))).toBe(false);
    expect(await main(['digitize', fx.files.colour300!, '-o', fx.files.colour300!], cliIo(data))).toBe(64);
    expect(await main(['digitize', fx.files.colour300!, '-o', join(fx.out, 'x.pdf'), '--dpi', 'abc'], cliIo(data))).toBe(64);
    const junk = join(fx.out, 'junk.bin');
    writeFileSync(junk, 'not an image');
    expect(await main(['digitize', junk, '-o', join(fx.out, 'junk.pdf')], cliIo(data))).toBe(65);
    expect(existsSync(join(fx.out, 'junk.pdf'))).toBe(false);
  });
});
