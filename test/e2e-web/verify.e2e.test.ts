import { mkdtempSync, writeFileSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { leaderSignedSample, screenshot, startAiaOcspResponder, withWorkstationPage } from './harness';

/** The slice of a DOM canvas the pixel check reads (this file compiles without the DOM library). */
interface CanvasLike { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } }

/** The clerk checks signed PDFs: a valid one reads "Hợp lệ", a tampered one gives the failure sentence. */
describe('browser mode: verifying signatures through the UI', () => {
  let page: Page;
  let ocsp: { stop(): void };
  let signedPath: string;
  let tamperedPath: string;
  let consoleErrors: string[] = [];

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vanthu-e2e-verify-'));
    const { signed } = await leaderSignedSample();
    signedPath = join(dir, 'quyet-dinh-da-ky.pdf');
    writeFileSync(signedPath, signed);
    // One whitespace byte inside the signed range, same length: structure intact, hash broken.
    const tampered = Buffer.from(signed);
    const at = tampered.indexOf('1 0 obj') - 1;
    expect(tampered[at]).toBe(0x0a);
    tampered[at] = 0x20;
    tamperedPath = join(dir, 'quyet-dinh-bi-sua.pdf');
    writeFileSync(tamperedPath, tampered);

    ocsp = await startAiaOcspResponder();
  });

  afterAll(async () => {
    ocsp?.stop();
  });

  withWorkstationPage({ page: { viewport: { width: 1280, height: 900 } } }, async (s) => {
    ({ page, consoleErrors } = s);
    await page.getByRole('button', { name: 'Kiểm tra chữ ký' }).click();
    await page.getByRole('heading', { name: 'Kiểm tra chữ ký số trên văn bản' }).waitFor();
  });

  it('shows "Hợp lệ" with the signer, organisation, title and signing time', async () => {
    await page.locator('input[name="pdf"]').setInputFiles(signedPath);
    const verdict = page.locator('.verdict');
    await verdict.waitFor({ timeout: 30_000 });
    expect(await verdict.getAttribute('data-overall')).toBe('TOTAL_PASSED');
    expect(await verdict.textContent()).toContain('Hợp lệ');
    const card = page.locator('[data-signature-index="0"]');
    const text = (await card.textContent()) ?? '';
    expect(text).toContain('Trần Thị Bình');
    expect(text).toContain('UBND tỉnh Thử Nghiệm');
    expect(text).toContain('Phó Chủ tịch');
    expect(text).toContain('TOTAL_PASSED');
    expect(text).toContain('do người ký tự khai');
    expect(text).toContain('Không có thay đổi nào sau chữ ký này.');
  });

  it('renders the signed revision beside the current document with pdf.js', async () => {
    await page.locator('[data-signature-index="0"]').getByRole('button', { name: 'Xem bản đã ký' }).click();
    const sheets = page.locator('.side-by-side canvas');
    await expect.poll(() => sheets.count()).toBe(2);
    // Both pages drawn: dark text pixels on each canvas (an unrendered canvas is blank).
    const darkPixels = () => sheets.evaluateAll((cs) => cs.map((c) => {
      const cv = c as unknown as CanvasLike;
      if (cv.width === 0 || cv.height === 0) return 0;
      const d = cv.getContext('2d')!.getImageData(0, 0, cv.width, cv.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i]! < 100 && d[i + 1]! < 100 && d[i + 2]! < 100 && d[i + 3]! > 200) n++;
      return n;
    }));
    await expect.poll(async () => Math.min(...(await darkPixels())), { timeout: 30_000 }).toBeGreaterThan(500);
    await page.getByText('Bản đã ký (chữ ký 1)').waitFor();
    await page.getByText('Bản hiện tại').waitFor();
    const shot = await screenshot(page, 'verify-valid');
    expect(existsSync(shot) && statSync(shot).size > 10_000).toBe(true);
  });

  it('shows the failure sentence for a tampered document', async () => {
    await page.locator('input[name="pdf"]').setInputFiles(tamperedPath);
    const verdict = page.locator('.verdict[data-overall="TOTAL_FAILED"]');
    await verdict.waitFor({ timeout: 30_000 });
    expect(await verdict.textContent()).toContain('Không hợp lệ');
    const sentence = (await page.locator('[data-signature-index="0"] .sentence').textContent()) ?? '';
    expect(sentence).toMatch(/^Không hợp lệ/);
    expect(await page.locator('[data-signature-index="0"]').textContent()).toContain('HASH_FAILURE');
    await screenshot(page, 'verify-tampered');
  });

  it('refuses a file that is not a PDF in Vietnamese', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vanthu-e2e-notpdf-'));
    const fake = join(dir, 'khong-phai-pdf.pdf');
    writeFileSync(fake, 'Đây không phải PDF');
    await page.locator('input[name="pdf"]').setInputFiles(fake);
    await page.getByRole('alert').filter({ hasText: 'Tệp đã chọn không phải tệp PDF.' }).waitFor();
    expect(consoleErrors).toEqual([]);
  });
});
