import { mkdtempSync, readFileSync, statSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { loadPki } from '../helpers/pki';
import { verifyPdf } from '../../src-main/core/verify/index';
import { launchChromium, openPage, leaderSignedSample, screenshot, startAiaOcspResponder, startWorkstation, type Workstation } from './harness';

/** The clerk issues a leader-signed document: number, date and seal placed on page 1, signed on the token. */
describe('browser mode: issuing a document through the sign screen', () => {
  const pki = loadPki();
  let ws: Workstation;
  let browser: Browser;
  let page: Page;
  let ocsp: { stop(): void };
  let fixture: { unsigned: Buffer; signed: Buffer };
  let inputPath: string;
  let dir: string;
  let consoleErrors: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vanthu-e2e-sign-'));
    fixture = await leaderSignedSample();
    inputPath = join(dir, 'to-trinh.pdf');
    writeFileSync(inputPath, fixture.signed);
    ocsp = await startAiaOcspResponder();
    ws = await startWorkstation();
    browser = await launchChromium();
    ({ page, consoleErrors } = await openPage(browser, ws.url, { viewport: { width: 1280, height: 1000 }, acceptDownloads: true }));
  });

  afterAll(async () => {
    await browser?.close();
    await ws?.stop();
    ocsp?.stop();
  });

  it('says the agency token must be logged in first and points to the token screen', async () => {
    await page.getByRole('button', { name: 'Ký số văn bản' }).click();
    const warn = page.locator('[data-need-login]');
    await warn.waitFor();
    expect(await warn.textContent()).toContain('Thiết bị ký số');
  });

  it('after login, shows page 1 with the proposed number, date and seal over the leader signature', async () => {
    await page.getByRole('button', { name: 'Thiết bị ký số' }).click();
    const card = page.locator(`[data-token-label="${pki.tokens.agency}"]`);
    await card.locator('input[name="pin"]').fill(pki.userPin);
    await card.getByRole('button', { name: 'Đăng nhập' }).click();
    await card.getByText('Đăng nhập token thành công.').waitFor();

    await page.getByRole('button', { name: 'Ký số văn bản' }).click();
    await page.getByText(`Ký bằng token: ${pki.tokens.agency}`).waitFor();
    await page.locator('input[name="pdf"]').setInputFiles(inputPath);
    await page.locator('[data-leader-verified="true"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-leader-verified]').textContent()).toContain('Trần Thị Bình');
    for (const k of ['number', 'day', 'month']) await page.locator(`.overlay-${k}`).waitFor();
    await page.locator('.overlay-seal').waitFor();
    await page.locator('input[name="number"]').fill('15');
    expect(await page.locator('.overlay-number').textContent()).toBe('15');
    await page.locator('input[name="date"]').fill('2026-02-07');
    expect(await page.locator('.overlay-day').textContent()).toBe('07');
    expect(await page.locator('.overlay-month').textContent()).toBe('02');
  });

  it('moves the seal by dragging and signs; the downloaded file carries the moved seal', async () => {
    const seal = page.locator('.overlay-seal');
    const before = (await seal.boundingBox())!;
    await page.mouse.move(before.x + before.width / 2, before.y + before.height / 2);
    await page.mouse.down();
    await page.mouse.move(before.x + before.width / 2 - 14, before.y + before.height / 2 + 7, { steps: 5 });
    await page.mouse.up();
    const after = (await seal.boundingBox())!;
    expect(after.x).toBeCloseTo(before.x - 14, 0);
    expect(after.y).toBeCloseTo(before.y + 7, 0);
    const sheet = (await page.locator('.pdf-page-sheet canvas').first().boundingBox())!;
    const scale = sheet.width / 595.28;

    await page.getByRole('button', { name: 'Ký số', exact: true }).click();
    const result = page.locator('.sign-result');
    await result.waitFor({ timeout: 60_000 });
    expect(await result.textContent()).toContain('Văn bản có 5 chữ ký số.');
    expect(await result.locator('.verdict').getAttribute('data-overall')).toBe('TOTAL_PASSED');
    await screenshot(page, 'sign-issued');

    const [download] = await Promise.all([page.waitForEvent('download'), result.getByRole('link').click()]);
    expect(download.suggestedFilename()).toBe('to-trinh-so-15-da-ky.pdf');
    const saved = join(dir, download.suggestedFilename());
    await download.saveAs(saved);
    const out = readFileSync(saved);
    // Original bytes untouched and a prefix of the result (incremental signing).
    expect(out.subarray(0, fixture.signed.length).equals(fixture.signed)).toBe(true);
    const report = await verifyPdf(out, { trustDir: pki.trustDir, revocation: 'skip' });
    expect(report.signatures).toHaveLength(5);
    expect(report.signatures.every((s) => s.cryptoIndication === 'TOTAL_PASSED')).toBe(true);
    // The seal widget sits where it was dropped: 14 px left, 7 px down, in points.
    const leader = report.signatures[0]!.widget!.rect;
    const sealSig = report.signatures.find((s) => s.fieldName.startsWith('DongDau'))!;
    const s = 36 * 72 / 25.4;
    expect(sealSig.widget!.rect.x).toBeCloseTo(leader.x + leader.width / 3 - s - 14 / scale, 0);
    expect(sealSig.widget!.rect.y).toBeCloseTo(leader.y + leader.height / 2 - s / 2 - 7 / scale, 0);
    const shot = await screenshot(page, 'sign-downloaded');
    expect(existsSync(shot) && statSync(shot).size > 10_000).toBe(true);
    expect(consoleErrors).toEqual([]);
  });

  it('signs an electronic copy of the same file: text signature, no overlays', async () => {
    await page.getByLabel('Ký bản sao điện tử').check();
    expect(await page.locator('.overlay-seal').count()).toBe(0);
    expect(await page.locator('input[name="copyAgency"]').inputValue()).toBe('UBND tỉnh Thử Nghiệm (bản trình diễn)');
    await page.locator('select[name="copyForm"]').selectOption('SAO LỤC');
    await page.getByRole('button', { name: 'Ký số', exact: true }).click();
    const result = page.locator('.sign-result[data-result-file="to-trinh-ban-sao.pdf"]');
    await result.waitFor({ timeout: 60_000 });
    expect(await result.textContent()).toContain('Văn bản có 2 chữ ký số.');
    expect(consoleErrors).toEqual([]);
  });

  it('never writes the PIN to the workstation log', () => {
    expect(ws.output()).not.toContain(pki.userPin);
  });
});
