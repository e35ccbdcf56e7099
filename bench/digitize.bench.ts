/**
 * Digitising at 300 dpi A4 colour: pages per minute for image → PDF → check → Vietnamese OCR, with the
 * OCR spread over the cores (one tesseract per core), and pages per minute without OCR; then the peak
 * memory (max RSS) of a fresh process assembling and checking a 100-page document (VANTHU_BENCH_PAGES),
 * so the figure is the pipeline's, not the bench's. Then the last step on the OCR'd document: the agency
 * signature of a digitised issue (number, day, month, seal on the SoftHSM agency token) and our
 * verifier on the result, which reads the scan's pixels under each widget (core/verify/scan-page.ts).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { digitize } from '../src-main/core/scan/digitize';
import { issuePdf } from '../src-main/core/pdf/sign/index';
import { openTokenService } from '../src-main/core/token/index';
import { verifyPdf } from '../src-main/core/verify/index';
import { loadPki, repoRoot } from '../test/helpers/pki';
import { FONTS, textPage } from '../test/scan/ocr-corpus';
import { figure } from './stats';

/** A scanner-like page: the Vietnamese text page rendered at 300 dpi, colour JPEG (quality 85) tagged 300 dpi. */
async function a4Scan(dir: string): Promise<Buffer> {
  const pdf = join(dir, 'page.pdf');
  writeFileSync(pdf, await textPage(FONTS['Liberation Serif'], 12));
  execFileSync('pdftoppm', ['-r', '300', '-png', '-singlefile', pdf, join(dir, 'page')]);
  execFileSync('convert', [join(dir, 'page.png'), '-define', 'png:color-type=2', '-type', 'TrueColor', '-quality', '85', '-density', '300', '-units', 'PixelsPerInch', join(dir, 'page.jpg')]);
  return readFileSync(join(dir, 'page.jpg'));
}

const CHILD = 'VANTHU_DIGITIZE_BENCH_CHILD';

if (process.env[CHILD]) {
  // The memory run: one process, nothing else loaded; prints its own peak.
  const [file, count] = process.env[CHILD]!.split('|');
  const page = readFileSync(file!);
  const r = await digitize(Array.from({ length: Number(count) }, (_, i) => ({ name: `p${i}.jpg`, bytes: page })));
  if (!r.report.conforms) throw new Error(r.report.summaryVi);
  process.stdout.write(`${JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS, bytes: r.pdf.length })}\n`);
}

/** Issues the digitised PDF with the agency signature (over the blank lower half of page 1), then verifies it. */
async function signAndVerify(dir: string, pdf: Buffer): Promise<{ signMs: number; verifyMs: number }> {
  const pki = loadPki();
  const service = openTokenService({ modules: [pki.module], pollIntervalMs: 60_000 });
  try {
    const ref = service.findToken(pki.tokens.agency).ref;
    service.login(ref, Buffer.from(pki.userPin));
    const agency = service.createTokenSigner(ref, pki.keyIds.agency);
    const input = join(dir, 'digitised.pdf');
    writeFileSync(input, pdf);
    const at = (x: number) => ({ page: 0, x, baseline: 200, size: 13 });
    let t = performance.now();
    await issuePdf(input, join(dir, 'issued.pdf'), agency, {
      number: 5, notation: 'QĐ-UBND', date: { year: 2026, month: 3, day: 9 }, jobType: 'digitized', acceptUnknownRevocation: true,
      stamp: readFileSync(join(repoRoot, 'resources/images/sample-seal-red.png')), trust: { trustDir: pki.trustDir },
      intermediates: [readFileSync(join(pki.certs, 'issuing-ca.der'))],
      numberAt: at(100), dayAt: at(300), monthAt: at(360), sealRect: { page: 0, x: 380, y: 60, width: 102, height: 102 },
    });
    const signMs = performance.now() - t;
    const issued = readFileSync(join(dir, 'issued.pdf'));
    t = performance.now();
    const report = await verifyPdf(issued, { trustDir: pki.trustDir, offline: true, revocation: 'skip' });
    const verifyMs = performance.now() - t;
    if (report.disallowedChange) throw new Error(`the signed scan reads as modified: ${report.summaryVi}`);
    return { signMs, verifyMs };
  } finally {
    service.close();
  }
}

export default async function bench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vanthu-bench-digitize-'));
  try {
    const page = await a4Scan(dir);
    const cores = availableParallelism();
    const ocrPages = 2 * cores;
    const input = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `p${i}.jpg`, bytes: page }));

    let t = performance.now();
    const withOcr = await digitize(input(ocrPages), { ocr: true });
    const ocrMs = performance.now() - t;
    if (!withOcr.report.conforms || !withOcr.pageTexts.every((s) => s.includes('Ủy ban nhân dân'))) throw new Error('bench pages did not digitise as expected');
    figure('pages/min with OCR', (ocrPages / ocrMs) * 60_000, { unit: 'count', note: `${ocrPages} A4 pages, 300 dpi colour, ${cores} cores` });
    const { signMs, verifyMs } = await signAndVerify(dir, withOcr.pdf);
    figure('agency signature of the digitised document', signMs, { note: '4 revisions on the SoftHSM token, B-LT' });
    figure('verify the signed scan (pixels under 3 widgets)', verifyMs, { note: 'our verifier, offline' });
    figure('pages/min image → PDF → check → OCR → sign', (ocrPages / (ocrMs + signMs)) * 60_000, { unit: 'count', note: `one ${ocrPages}-page document` });

    const plainPages = 20;
    t = performance.now();
    await digitize(input(plainPages));
    figure('pages/min without OCR', (plainPages / (performance.now() - t)) * 60_000, { unit: 'count', note: `${plainPages} pages: image → PDF → check` });

    const hundred = Number(process.env.VANTHU_BENCH_PAGES ?? 100);
    writeFileSync(join(dir, 'page.jpg'), page);
    const peak = (n: number) => {
      const child = spawnSync(process.execPath, ['--import', 'tsx', import.meta.filename], { env: { ...process.env, [CHILD]: `${join(dir, 'page.jpg')}|${n}` }, encoding: 'utf8', maxBuffer: 1 << 20 });
      if (child.status !== 0) throw new Error(`memory run failed: ${child.stderr}`);
      return JSON.parse(child.stdout.trim().split('\n').pop()!) as { maxRssKiB: number; bytes: number };
    };
    figure('peak memory, 1 page (process floor)', peak(1).maxRssKiB / 1024, { unit: 'MiB' });
    const big = peak(hundred);
    figure(`peak memory, ${hundred} pages (no OCR)`, big.maxRssKiB / 1024, { unit: 'MiB', floor: 'peak memory, 1 page (process floor)', note: `output ${(big.bytes / 1024 / 1024).toFixed(0)} MiB, image ${(page.length / 1024).toFixed(0)} KiB a page` });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
