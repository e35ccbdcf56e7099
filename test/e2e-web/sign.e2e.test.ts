import { mkdtempSync, readFileSync, statSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { loadPki } from '../helpers/pki';
import { verifyPdf } from '../../src-main/core/verify/index';
import { demoSettings } from '../../src-main/core/config';
import { DEAD_URL } from '../fixtures-gen/revocation-server';
import { leaderSignedSample, screenshot, startAiaOcspResponder, withWorkstationPage, type Workstation } from './harness';
import { loginToken } from './ui-helpers';
import { yearInVietnam } from '../../src-main/contract/time';

/** The clerk issues a leader-signed document: number, date and seal placed on page 1, signed on the token. */
describe('browser mode: issuing a document through the sign screen', () => {
  const pki = loadPki();
  let ws: Workstation;
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
  });

  afterAll(async () => {
    ocsp?.stop();
  });

  withWorkstationPage({ page: { viewport: { width: 1280, height: 1000 }, acceptDownloads: true } }, (s) => {
    ({ page, consoleErrors, ws } = s);
  });

  it('says the agency token must be logged in first and points to the token screen', async () => {
    await page.getByRole('button', { name: 'Ký số văn bản' }).click();
    const warn = page.locator('[data-need-login]');
    await warn.waitFor();
    expect(await warn.textContent()).toContain('Thiết bị ký số');
  });

  it('Đ15 after login, shows page 1 with the number the sổ đi will give (before signing), the date and the seal over the leader signature', async () => {
    await loginToken(page, pki.tokens.agency, pki.userPin);

    await page.getByRole('button', { name: 'Ký số văn bản' }).click();
    await page.getByText(`Ký bằng token: ${pki.tokens.agency}`).waitFor();
    await page.locator('input[name="pdf"]').setInputFiles(inputPath);
    await page.locator('[data-leader-verified="true"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-leader-verified]').textContent()).toContain('Trần Thị Bình');
    for (const k of ['number', 'day', 'month']) await page.locator(`.overlay-${k}`).waitFor();
    await page.locator('.overlay-seal').waitFor();
    // The sổ is the one whose ký hiệu page 1 prints; its next number is shown before anything is signed.
    await page.locator('[data-next-number="01/QĐ-UBND"]').waitFor();
    expect(await page.locator('.next-number').textContent()).toContain('Số sẽ cấp: 01/QĐ-UBND');
    expect(await page.locator('.overlay-number').textContent()).toBe('01');
    expect(await page.locator('#sign-type').locator('xpath=ancestor::div[contains(@class,"ant-select")][1]').textContent()).toContain('Quyết định');
    expect(await page.locator('textarea[name="subject"]').inputValue()).toBe('Về việc ban hành Quy chế công tác văn thư điện tử');
    await page.locator('#sign-recipients').fill('Sở Nội vụ');
    await page.keyboard.press('Enter');
    // Ngày ban hành is a dd/MM/yyyy picker in Vietnamese, whatever the browser's own date format.
    const dateBox = page.locator('#sign-date');
    await dateBox.click();
    // The sample prints this year (Vietnam time); an issue dated in another year is refused.
    await dateBox.fill(`07/02/${yearInVietnam()}`);
    await dateBox.press('Enter');
    expect(await dateBox.inputValue()).toBe(`07/02/${yearInVietnam()}`);
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
    expect(await result.getAttribute('data-registered')).toBe('01/QĐ-UBND');
    expect(await result.textContent()).toContain('Đã cấp số 01/QĐ-UBND và vào sổ văn bản đi');
    // The number was taken: the next one is shown for the next document.
    await page.locator('[data-next-number="02/QĐ-UBND"]').waitFor();
    expect(await result.locator('.verdict').getAttribute('data-overall')).toBe('TOTAL_PASSED');
    await screenshot(page, 'sign-issued');

    const [download] = await Promise.all([page.waitForEvent('download'), result.getByRole('link', { name: /Tải tệp đã ký/ }).click()]);
    expect(download.suggestedFilename()).toBe('to-trinh-so-01-da-ky.pdf');
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

  it('Đ15 the issued document is in Văn bản đi with its file: "Xem trong sổ văn bản đi" opens its entry', async () => {
    await page.locator('.sign-result').getByRole('button', { name: 'Xem trong sổ văn bản đi' }).click();
    const doc = page.locator('[data-screen-panel="document"]');
    await doc.getByText('01/QĐ-UBND').first().waitFor({ timeout: 30_000 });
    await doc.getByText('to-trinh-so-01-da-ky.pdf').first().waitFor();
    await screenshot(page, 'sign-issued-entry');
    await page.getByRole('button', { name: 'Ký số văn bản' }).click();
    await page.locator('.sign-result').waitFor();
  });

  it('Đ25 a copy is refused for a file never issued here; the issued file\'s copy takes the copies sổ\'s number: text signature, no overlays', async () => {
    await page.getByLabel('Ký bản sao điện tử').check();
    expect(await page.locator('.overlay-seal').count()).toBe(0);
    expect(await page.locator('input[name="copyAgency"]').inputValue()).toBe('UBND tỉnh Thử Nghiệm (bản trình diễn)');
    await page.locator('select[name="copyForm"]').selectOption('SAO LỤC');
    const submit = page.getByRole('button', { name: 'Ký số', exact: true });
    await submit.click();
    await page.locator('.sign-form [role="alert"]').filter({ hasText: 'đã phát hành' }).waitFor({ timeout: 60_000 });

    await page.locator('input[name="pdf"]').setInputFiles(join(dir, 'to-trinh-so-01-da-ky.pdf'));
    await submit.click();
    const result = page.locator('.sign-result[data-registered="01/SL-UBND"]');
    await result.waitFor({ timeout: 60_000 });
    expect(await result.getAttribute('data-result-file')).toBe('to-trinh-so-01-da-ky-ban-sao.pdf');
    expect(await result.textContent()).toContain('Đã cấp số 01/SL-UBND');
    expect(consoleErrors).toEqual([]);
  });

  it('never writes the PIN to the workstation log', () => {
    expect(ws.output()).not.toContain(pki.userPin);
  });
});

/**
 * Điều 3.2 on the screen: agency settings (not the demo profile, whatever its revocation source) whose
 * OCSP and CRL addresses answer nothing, so the leader's revocation status is unknown. The screen shows
 * why and issues only after the clerk's explicit confirmation.
 */
describe('browser mode: issuing when the leader\'s revocation status is unknown', () => {
  const pki = loadPki();
  let page: Page;
  let consoleErrors: string[] = [];
  let inputPath: string;
  let config: string;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vanthu-e2e-unknown-'));
    inputPath = join(dir, 'cong-van.pdf');
    writeFileSync(inputPath, (await leaderSignedSample()).signed);
    const dead = DEAD_URL;
    config = join(dir, 'agency.json');
    writeFileSync(config, JSON.stringify({ ...demoSettings({ ...process.env, VANTHU_DATA_DIR: join(dir, 'data'), VANTHU_TEST_PKI: pki.dir }), demo: false, ocspUrlOverride: dead, crlUrlOverride: dead }));
  });

  withWorkstationPage({ env: () => ({ VANTHU_CONFIG: config }), page: { viewport: { width: 1366, height: 768 } } }, (s) => {
    ({ page, consoleErrors } = s);
  });

  it('Đ3.2 shows the reason and asks for a confirmation before issuing; confirmed, the document is issued and numbered', async () => {
    await loginToken(page, pki.tokens.agency, pki.userPin);
    await page.getByRole('button', { name: 'Ký số văn bản' }).click();
    await page.locator('input[name="pdf"]').setInputFiles(inputPath);

    const warning = page.locator('[data-revocation-unknown="true"]');
    await warning.waitFor({ timeout: 60_000 });
    expect(await warning.getAttribute('data-leader-verified')).toBe('false');
    expect(await warning.textContent()).toContain('có bị thu hồi hay không');
    await page.locator('[data-next-number="01/QĐ-UBND"]').waitFor();
    const submit = page.getByRole('button', { name: 'Ký số', exact: true });
    expect(await submit.isDisabled()).toBe(true);
    await screenshot(page, 'sign-revocation-unknown');

    await warning.getByRole('checkbox').check();
    await page.locator('[data-revocation-unknown="true"][data-leader-verified="true"]').waitFor({ timeout: 60_000 });
    await submit.click();
    const result = page.locator('.sign-result[data-registered="01/QĐ-UBND"]');
    await result.waitFor({ timeout: 90_000 });
    expect(consoleErrors).toEqual([]);
  }, 240_000);
});
