import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { PDFDocument, StandardFonts } from '@cantoo/pdf-lib';

/** A4 in pixels at a resolution. */
export const a4px = (dpi: number): [number, number] => [Math.round((210 / 25.4) * dpi), Math.round((297 / 25.4) * dpi)];

/** ImageMagick, run without a shell; a missing program fails the test loudly (native/install-system-packages.sh). */
export function magick(args: string[]): void {
  execFileSync('convert', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A colour "letter": white paper, dark text lines and a red seal-like disc, at `dpi`, as JPEG or PNG. */
export function letter(dir: string, name: string, dpi: number, extra: string[] = [], size = a4px(dpi)): string {
  const [w, h] = size;
  const out = join(dir, name);
  const s = dpi / 300;
  magick(['-size', `${w}x${h}`, 'xc:white', '-fill', '#1a1a40', '-draw', `rectangle ${200 * s},${300 * s} ${2200 * s},${340 * s}`,
    '-draw', `rectangle ${200 * s},${420 * s} ${1900 * s},${460 * s}`, '-fill', '#c8102e', '-draw', `circle ${1700 * s},${2800 * s} ${1900 * s},${2800 * s}`,
    ...extra, '-depth', '8', '-density', String(dpi), '-units', 'PixelsPerInch', '-quality', '90', out]);
  return out;
}

/** `files`: the shared inputs (read only); `out`: this test file's own folder for what it writes. */
export interface Fixtures { files: Record<string, string>; out: string }

/** Bump when makeInputs changes: the cached set under .tmp is rebuilt. */
const FIXTURES_VERSION = 1;

/**
 * Every input of the import/check tests. Generating them costs ImageMagick a minute on a busy machine,
 * so they are made once into .tmp/scan-fixtures-v<N> (built in a temp folder and renamed into place, so
 * test files running side by side never see half a set) and shared read-only.
 */
export async function makeFixtures(): Promise<Fixtures> {
  const out = mkdtempSync(join(tmpdir(), 'vanthu-scan-out-'));
  const root = join(process.cwd(), '.tmp');
  const dir = join(root, `scan-fixtures-v${FIXTURES_VERSION}`);
  if (!existsSync(join(dir, 'index.json'))) {
    mkdirSync(root, { recursive: true });
    const fresh = mkdtempSync(join(root, 'scan-fixtures-build-'));
    const files = await makeInputs(fresh);
    writeFileSync(join(fresh, 'index.json'), JSON.stringify(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, basename(v)]))));
    try { renameSync(fresh, dir); } catch { rmSync(fresh, { recursive: true, force: true }); /* another test file won the race */ }
  }
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as Record<string, string>;
  return { files: Object.fromEntries(Object.entries(index).map(([k, v]) => [k, join(dir, v)])), out };
}

async function makeInputs(dir: string): Promise<Record<string, string>> {
  const f: Record<string, string> = {};
  f.colour300 = letter(dir, 'colour300.jpg', 300);
  f.colour150 = letter(dir, 'colour150.jpg', 150);
  f.grey300 = letter(dir, 'grey300.png', 300, ['-colorspace', 'Gray']);
  f.bilevel300 = letter(dir, 'bilevel300.png', 300, ['-type', 'bilevel']);
  f.colourPng300 = letter(dir, 'colour300.png', 300, ['-define', 'png:color-type=2']);
  // Resized to half its pixels with its 300 dpi tag kept: an A6 page.
  f.down = join(dir, 'down.jpg');
  magick([f.colour300, '-resize', '50%', '-density', '300', '-units', 'PixelsPerInch', f.down]);
  f.photo = join(dir, 'photo.jpg');
  magick(['-size', `${a4px(300)[0] / 2 + 500}x${a4px(300)[1] / 2 + 700}`, 'plasma:red-blue', '-density', '300', '-units', 'PixelsPerInch', '-quality', '88', f.photo]);
  f.alphaPng = letter(dir, 'alpha.png', 300, ['-alpha', 'set', '-channel', 'A', '-evaluate', 'set', '90%', '+channel']);
  f.tiff = join(dir, 'two.tif');
  magick([f.colour300, join(dir, 'colour300.png'), '-density', '300', '-units', 'PixelsPerInch', '-compress', 'lzw', f.tiff]);
  f.noDpi = join(dir, 'nodpi.png');
  magick([f.colourPng300, '-strip', '-define', 'png:exclude-chunk=pHYs', f.noDpi]);

  // PDFs made by other producers.
  f.img2pdf13 = join(dir, 'img2pdf.pdf');
  execFileSync('img2pdf', [f.colour300, '-o', f.img2pdf13]);
  f.img2pdf14 = join(dir, 'img2pdf-14.pdf');
  execFileSync('qpdf', ['--min-version=1.4', f.img2pdf13, f.img2pdf14]);
  const jpg = readFileSync(f.colour300);
  const [aw, ah] = [595.28, 841.89];
  f.shrunk = await pdfWith(dir, 'shrunk.pdf', async (doc) => {
    const img = await doc.embedJpg(jpg);
    doc.addPage([aw, ah]).drawImage(img, { x: aw * 0.1, y: ah * 0.1, width: aw * 0.8, height: ah * 0.8 });
  });
  f.stretched = await pdfWith(dir, 'stretched.pdf', async (doc) => {
    const img = await doc.embedJpg(jpg);
    doc.addPage([aw, ah * 1.2]).drawImage(img, { x: 0, y: 0, width: aw, height: ah * 1.2 });
  });
  f.text = await pdfWith(dir, 'text.pdf', async (doc) => {
    const font = await doc.embedFont(StandardFonts.TimesRoman);
    doc.addPage([aw, ah]).drawText('Born digital', { x: 72, y: 700, size: 14, font });
  });
  return f;
}

async function pdfWith(dir: string, name: string, build: (doc: PDFDocument) => Promise<void>): Promise<string> {
  const doc = await PDFDocument.create();
  await build(doc);
  const out = join(dir, name);
  writeFileSync(out, await doc.save());
  return out;
}

export interface PdfImagesRow { page: number; width: number; height: number; color: string; comp: number; bpc: number; xPpi: number; yPpi: number }

/** `pdfimages -list`, parsed: poppler's independent view of the same images. */
export function pdfimagesList(pdf: string): PdfImagesRow[] {
  const text = execFileSync('pdfimages', ['-list', pdf], { encoding: 'utf8' });
  return text.split('\n').slice(2).filter((l) => l.trim()).map((l) => {
    const c = l.trim().split(/\s+/);
    return { page: Number(c[0]), width: Number(c[3]), height: Number(c[4]), color: c[5]!, comp: Number(c[6]), bpc: Number(c[7]), xPpi: Number(c[12]), yPpi: Number(c[13]) };
  });
}

/** A CLI io that keeps what a command prints, with its data in `dataDir`. */
export function cliIo(dataDir: string): import('../../src-main/cli/io').CliIo & { lines: string[]; errs: string[] } {
  const lines: string[] = [];
  const errs: string[] = [];
  return { lines, errs, out: (l) => lines.push(l), err: (l) => errs.push(l), env: { ...process.env, VANTHU_DATA_DIR: dataDir }, readPin: async () => Buffer.alloc(0) };
}

/** A private SANE configuration listing only the `test` backend (the system one has it commented out); returns its folder. */
export function saneTestConfig(dir: string): string {
  const cfg = join(dir, 'sane.d');
  mkdirSync(cfg, { recursive: true });
  writeFileSync(join(cfg, 'dll.conf'), 'test\n');
  copyFileSync('/etc/sane.d/test.conf', join(cfg, 'test.conf'));
  return cfg;
}
