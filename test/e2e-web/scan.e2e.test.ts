import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openPage, screenshot, startWorkstation, type Workstation } from './harness';
import { letter, saneTestConfig } from '../scan/fixtures';

/** The number of pages waiting, or the screen's error when one is shown (so a failure says why). */
async function pagesOrError(page: Page): Promise<number | string> {
  const alert = page.locator('.scan-screen [role="alert"]');
  if (await alert.count()) return (await alert.first().textContent()) ?? 'error';
  return page.locator('.scan-pages li').count();
}

/** "Số hóa": a SANE test-backend scan and an imported photo become one checked PDF; a grey PDF is refused. */
describe('browser mode: "Số hóa"', () => {
  let ws: Workstation;
  let browser: Browser;
  let page: Page;
  let consoleErrors: string[];
  const dir = mkdtempSync(join(tmpdir(), 'vanthu-e2e-scan-'));
  let photo: string;
  let greyPdf: string;

  beforeAll(async () => {
    const cfg = saneTestConfig(dir);
    photo = letter(dir, 'thu-moi.jpg', 300);
    const grey = letter(dir, 'grey.png', 300, ['-colorspace', 'Gray']);
    greyPdf = join(dir, 'grey.pdf');
    execFileSync('img2pdf', [grey, '-o', greyPdf]);
    ws = await startWorkstation({ SANE_CONFIG_DIR: cfg });
    browser = await launchChromium();
    ({ page, consoleErrors } = await openPage(browser, ws.url, { viewport: { width: 1366, height: 900 } }));
    await page.getByRole('heading', { name: 'Việc hôm nay' }).waitFor();
    await page.keyboard.press('Alt+Q');
    await page.getByRole('heading', { name: 'Số hóa văn bản giấy' }).waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await ws?.stop();
  });

  it('scans a page, imports a photo, arranges them and makes a conforming PDF recorded as digitised here', async () => {
    await expect.poll(async () => page.locator('select[name="device"] option').count()).toBeGreaterThan(0);
    expect(await page.locator('select[name="device"]').inputValue()).toBe('test:0');
    await page.getByRole('button', { name: 'Quét', exact: true }).click();
    await expect.poll(() => pagesOrError(page), { timeout: 30_000 }).toBe(1);
    await page.locator('#scan-import').setInputFiles(photo);
    await expect.poll(() => pagesOrError(page), { timeout: 30_000 }).toBe(2);
    // The photo first, turned a quarter.
    await page.locator('.scan-pages li[data-page="2"]').getByRole('button', { name: 'Lên trước' }).click();
    await page.locator('.scan-pages li[data-page="1"]').getByRole('button', { name: 'Xoay 90°' }).click();
    expect(await page.locator('.scan-pages li[data-page="1"] img').getAttribute('alt')).toBe('thu-moi.jpg');
    await page.getByRole('button', { name: 'Tạo tệp PDF và kiểm tra' }).click();
    const result = page.locator('.scan-result [data-conforms]');
    await result.waitFor({ timeout: 120_000 });
    expect(await result.getAttribute('data-conforms')).toBe('true');
    const text = (await page.locator('.scan-result').textContent()) ?? '';
    expect(text).toContain('Đạt tiêu chuẩn số hóa');
    expect(text).toContain('do máy này số hóa');
    expect(await page.locator('.scan-result tbody tr').count()).toBe(2);
    await screenshot(page, 'scan');
  }, 180_000);

  it('checks an existing PDF: a grey scan from elsewhere fails, page by page, and is not "digitised here"', async () => {
    await page.locator('.scan-screen input[name="pdf"]').setInputFiles(greyPdf);
    const check = page.locator('.scan-check');
    await check.waitFor({ timeout: 30_000 });
    const text = (await check.textContent()) ?? '';
    expect(text).toContain('Không đạt tiêu chuẩn số hóa');
    expect(text).toContain('Trang 1: ảnh thang xám, không phải ảnh màu.');
    expect(text).toContain('Tệp này không do máy này số hóa');
    expect(consoleErrors).toEqual([]);
  });
});
