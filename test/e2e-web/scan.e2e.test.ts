import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshot, withWorkstationPage } from './harness';
import { letter, magick, saneTestConfig } from '../scan/fixtures';
import { loadPki } from '../helpers/pki';
import { rpc } from './ui-helpers';

/** The number of pages waiting, or the screen's error when one is shown (so a failure says why). */
async function pagesOrError(page: Page): Promise<number | string> {
  const alert = page.locator('.scan-screen [role="alert"]');
  if (await alert.count()) return (await alert.first().textContent()) ?? 'error';
  return page.locator('.scan-pages li').count();
}

/** Whether the signing panel shows its result, or the error it shows instead (so a failure says why). */
async function signedOrError(form: ReturnType<Page['locator']>): Promise<string> {
  const alert = form.locator('[role="alert"]');
  if (await alert.count()) return (await alert.first().textContent()) ?? 'error';
  return (await form.locator('.scan-signed').count()) ? 'signed' : 'waiting';
}

/** "Số hóa": a SANE test-backend scan and an imported photo become one checked PDF; a grey PDF is refused. */
describe('browser mode: "Số hóa"', () => {
  let page: Page;
  let consoleErrors: string[];
  const dir = mkdtempSync(join(tmpdir(), 'vanthu-e2e-scan-'));
  let photo: string;
  let greyPdf: string;
  let paper: string;
  let cfg: string;
  const pki = loadPki();

  beforeAll(async () => {
    cfg = saneTestConfig(dir);
    photo = letter(dir, 'thu-moi.jpg', 300);
    const grey = letter(dir, 'grey.png', 300, ['-colorspace', 'Gray']);
    greyPdf = join(dir, 'grey.pdf');
    execFileSync('img2pdf', [grey, '-o', greyPdf]);
    // A paper document scanned at 300 dpi: print in the middle, paper-white where the agency's number,
    // date and seal go (the screen's starting places: nothing on this page tells them).
    paper = join(dir, 'ban-giay.jpg');
    magick(['-size', '2480x3508', 'xc:white', '-fill', '#1a1a40', '-draw', 'rectangle 300,1500 2100,1540', '-draw', 'rectangle 300,1620 1800,1660',
      '-depth', '8', '-density', '300', '-units', 'PixelsPerInch', '-quality', '90', paper]);
  });

  withWorkstationPage({ env: () => ({ SANE_CONFIG_DIR: cfg }), page: { viewport: { width: 1366, height: 900 } } }, async (s) => {
    ({ page, consoleErrors } = s);
    await page.getByRole('heading', { name: 'Việc hôm nay' }).waitFor();
    await page.keyboard.press('Alt+Q');
    await page.getByRole('heading', { name: 'Số hóa văn bản giấy' }).waitFor();
  });

  it('scans a page, imports a photo, arranges them and makes a conforming PDF recorded as digitised here', async () => {
    // `scanimage -L` probes every backend: seconds on a loaded machine.
    await expect.poll(async () => page.locator('select[name="device"] option').count(), { timeout: 30_000 }).toBeGreaterThan(0);
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

  it('Đ10.1 "Vào sổ": the PDF made here becomes an incoming entry with the file attached and its provenance in Ghi chú', async () => {
    const result = page.locator('.scan-result');
    await result.getByRole('button', { name: 'Vào sổ', exact: true }).click();
    const form = page.locator('.scan-register');
    await form.locator('select[name="book"] option').first().waitFor({ state: 'attached' });
    await form.locator('[name="Subject"]').fill('Thư mời họp giao ban tháng 3');
    await form.locator('[name="OrganName"]').fill('Sở Nội vụ');
    await screenshot(page, 'scan-register');
    await form.getByRole('button', { name: 'Vào sổ văn bản số hóa' }).click();
    const done = page.locator('.scan-registered');
    await done.waitFor({ timeout: 60_000 });
    expect(await done.textContent()).toContain('Sổ ghi nhận văn bản do cơ quan số hóa.');
    const id = Number(await done.getAttribute('data-doc-id'));
    const got = await rpc<{ detail: { Description: string; attachments: Array<{ name: string }> } }>(page, 'register.get', { id });
    expect(got.detail.Description).toMatch(/^Văn bản số hóa tại cơ quan \((quét từ bản giấy|nhập từ tệp ảnh) lúc .*\), đạt tiêu chuẩn Điều 10\.2\.$/);
    expect(got.detail.attachments).toHaveLength(1);
    await done.getByRole('button', { name: 'Mở văn bản trong sổ' }).click();
    await expect.poll(async () => (await page.locator('[data-screen-panel="document"]').textContent()) ?? '').toContain('Thư mời họp giao ban tháng 3');
    await page.keyboard.press('Alt+Q');
    await page.getByRole('heading', { name: 'Số hóa văn bản giấy' }).waitFor();
  }, 120_000);

  it('Đ14.4, Đ17.4.c "Ký phát hành": a paper document digitised here is issued with the agency signature alone, and verifies', async () => {
    // The agency token logged in on its screen, then back to "Số hóa" with a fresh page.
    await page.keyboard.press('Alt+T');
    const card = page.locator(`[data-token-label="${pki.tokens.agency}"]`);
    await card.locator('input[name="pin"]').fill(pki.userPin);
    await card.getByRole('button', { name: 'Đăng nhập' }).click();
    await card.getByText('Đăng nhập token thành công.').waitFor();
    await page.keyboard.press('Alt+Q');
    while (await page.locator('.scan-pages li').count()) await page.locator('.scan-pages li').first().getByRole('button', { name: 'Bỏ trang' }).click();
    await page.locator('#scan-import').setInputFiles(paper);
    await expect.poll(() => pagesOrError(page), { timeout: 30_000 }).toBe(1);
    await page.locator('input[name="ocr"]').uncheck();
    await page.getByRole('button', { name: 'Tạo tệp PDF và kiểm tra' }).click();
    await page.locator('.scan-result [data-conforms="true"]').waitFor({ timeout: 120_000 });
    await page.locator('.scan-result').getByRole('button', { name: 'Ký phát hành' }).click();
    const form = page.locator('.scan-sign-issue');
    await form.getByText(`Ký bằng token: ${pki.tokens.agency}`).waitFor();
    for (const k of ['number', 'day', 'month', 'seal']) await form.locator(`.overlay-${k}`).waitFor({ timeout: 30_000 });
    // Cấp số from the sổ đi: the number the series gives is shown before signing.
    expect(await form.locator('select[name="book"]').inputValue()).toBe('di');
    await form.locator('[data-next-number]').waitFor();
    // A scan's page 1 tells neither (no text layer here): the clerk types them for the sổ đi entry.
    await form.locator('input[name="typeName"]').fill('Quyết định');
    await form.locator('input[name="subject"]').fill('Về việc ban hành Quy chế công tác văn thư');
    await form.getByRole('button', { name: 'Ký số và phát hành' }).click();
    await expect.poll(() => signedOrError(form), { timeout: 120_000 }).toBe('signed');
    const signed = form.locator('.scan-signed');
    // Four agency signatures over paper-white space of the scan: the verifier finds nothing changed.
    expect(await signed.locator('[data-overall]').getAttribute('data-overall'), (await signed.textContent()) ?? '').toBe('TOTAL_PASSED');
    const text = (await signed.textContent()) ?? '';
    expect(text).toContain('Ký như văn bản do cơ quan tự số hóa');
    expect(text).toMatch(/Đã vào sổ: 0?1\/QĐ-UBND\./);
    await screenshot(page, 'scan-issued');
  }, 240_000);

  it('Đ17.4.c "Sao y": the same digitised PDF signed as an electronic copy (sign.copy) without a leader signature, and it verifies', async () => {
    await page.locator('.scan-result').getByRole('button', { name: 'Sao y', exact: true }).click();
    const form = page.locator('.scan-sign-copy');
    await form.getByText(`Ký bằng token: ${pki.tokens.agency}`).waitFor();
    expect(await form.locator('select[name="form"]').inputValue()).toBe('SAO Y');
    expect(await form.locator('select[name="book"]').inputValue()).toBe('');
    await form.getByRole('button', { name: 'Ký số bản sao' }).click();
    await expect.poll(() => signedOrError(form), { timeout: 120_000 }).toBe('signed');
    const signed = form.locator('.scan-signed');
    expect(await signed.locator('[data-overall]').getAttribute('data-overall'), (await signed.textContent()) ?? '').toBe('TOTAL_PASSED');
    expect(consoleErrors).toEqual([]);
  }, 240_000);
});
