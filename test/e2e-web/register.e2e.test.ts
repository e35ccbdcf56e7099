import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { launchChromium, openPage, screenshot, startWorkstation, type Workstation } from './harness';

describe('browser mode: the incoming register', () => {
  let ws: Workstation;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    ws = await startWorkstation();
    browser = await launchChromium();
    ({ page } = await openPage(browser, ws.url, { acceptDownloads: true }));
    await page.getByRole('button', { name: 'Văn bản đến' }).click();
    await page.getByRole('heading', { name: 'Sổ đăng ký văn bản đến' }).waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await ws?.stop();
  });

  it('refuses a registration without its required fields, in Vietnamese', async () => {
    const form = page.getByRole('form', { name: 'Đăng ký văn bản' });
    await form.getByRole('button', { name: 'Đăng ký' }).click();
    await expect.poll(async () => (await form.getByRole('alert').allTextContents()).join(' ')).toContain('Vui lòng nhập Loại văn bản');
  });

  it('registers an urgent incoming document and lists it with number 01', async () => {
    const form = page.getByRole('form', { name: 'Đăng ký văn bản' });
    await form.locator('input[name="TypeName"]').fill('Quyết định');
    await form.locator('input[name="CodeNumber"]').fill('12');
    await form.locator('input[name="CodeNotation"]').fill('QĐ-UBND');
    await form.locator('input[name="OrganName"]').fill('UBND tỉnh Ninh Bình');
    await form.locator('textarea[name="Subject"]').fill('Về việc phê duyệt kế hoạch của ông Đặng Văn Đức');
    await form.locator('select[name="Priority"]').selectOption('3');
    await form.getByRole('button', { name: 'Đăng ký' }).click();
    await form.getByText('Đã đăng ký: số 01.').waitFor();
    const row = page.locator('.register-table tbody tr').first();
    await row.waitFor();
    expect(await row.textContent()).toContain('12/QĐ-UBND');
    expect(await row.getAttribute('class')).toContain('priority-3');
    expect(await row.textContent()).toContain('Hỏa tốc');
  });

  it('finds it accent-blind: "dang van duc" matches "Đặng Văn Đức"', async () => {
    await page.locator('input[name="q"]').fill('dang van duc');
    await page.getByRole('button', { name: 'Tìm', exact: true }).click();
    await expect.poll(async () => page.locator('.register-table tbody tr').count()).toBe(1);
    await page.locator('input[name="q"]').fill('khong co van ban nay');
    await page.getByRole('button', { name: 'Tìm', exact: true }).click();
    await page.getByText('Chưa có văn bản nào trong sổ.').waitFor();
    await page.getByRole('button', { name: 'Xóa bộ lọc' }).click();
  });

  it('prints the register as a PDF with the Vietnamese column titles', async () => {
    await page.locator('[data-print-kind="so-den"]').click();
    await page.getByText(/Đã tạo bản in/).waitFor();
    // The preview draws the printed PDF with pdf.js before the clerk saves it.
    await expect.poll(async () => page.locator('.print-preview canvas').evaluate((c) => (c as unknown as { width: number }).width)).toBeGreaterThan(500);
    expect(await page.locator('.print-preview').textContent()).toContain('Trang 1/');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Tải tệp PDF' }).click()]);
    const file = join(tmpdir(), `vanthu-e2e-so-den-${process.pid}.pdf`);
    await download.saveAs(file);
    expect(readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).toContain('SỔ ĐĂNG KÝ VĂN BẢN ĐẾN');
    expect(text).toContain('Tên loại và trích yếu nội dung');
    expect(text).toContain('Đặng Văn Đức');
    await screenshot(page, 'register-incoming');
    writeFileSync(file, '');
  });
});
