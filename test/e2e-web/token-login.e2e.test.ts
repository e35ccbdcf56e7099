import { existsSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { loadPki } from '../helpers/pki';
import { screenshot, withWorkstationPage, type Workstation } from './harness';

describe('browser mode: token login through the UI', () => {
  let ws: Workstation;
  let page: Page;
  const pki = loadPki();
  let consoleErrors: string[] = [];

  withWorkstationPage({  }, (s) => {
    ({ page, consoleErrors, ws } = s);
  });

  it('shows the detected SoftHSM tokens in Vietnamese', async () => {
    // The workstation opens on "Hôm nay"; the token screen is one click (or Alt+T) away.
    await page.getByRole('button', { name: 'Thiết bị ký số' }).click();
    await page.getByRole('heading', { name: 'Thiết bị ký số (USB token)' }).waitFor();
    const card = page.locator(`[data-token-label="${pki.tokens.agency}"]`);
    await card.waitFor();
    expect(await card.textContent()).toContain('Chưa đăng nhập');
    // The PIN tries are stated beside the PIN field before any try (issue 11), tied to it for screen readers.
    const tries = card.locator('[data-pin-state]');
    expect(await tries.textContent()).toBe('Số lần thử PIN: token chưa ghi nhận lần nhập sai nào.');
    expect(await card.locator('input[name="pin"]').getAttribute('aria-describedby')).toBe(await tries.getAttribute('id'));
    // The secret left the address bar once read.
    expect(page.url()).not.toContain('secret=');
  });

  it('refuses a wrong PIN with a Vietnamese message and keeps no PIN in the form', async () => {
    const card = page.locator(`[data-token-label="${pki.tokens.agency}"]`);
    await card.locator('input[name="pin"]').fill('000000');
    await card.getByRole('button', { name: 'Đăng nhập' }).click();
    await expect.poll(async () => (await card.getByRole('alert').textContent()) ?? '').toContain('PIN');
    expect(await card.locator('input[name="pin"]').inputValue()).toBe('');
    // The token's own "few tries left" flag shows at once, without "Làm mới".
    await expect.poll(async () => card.locator('[data-pin-state]').getAttribute('data-pin-state')).toBe('token.countLow');
  });

  it('logs in to the agency token and sees its certificate', async () => {
    const card = page.locator(`[data-token-label="${pki.tokens.agency}"]`);
    await card.locator('input[name="pin"]').fill(pki.userPin);
    await card.getByRole('button', { name: 'Đăng nhập' }).click();
    await card.getByText('Đăng nhập token thành công.').waitFor();
    await card.getByText('Đã đăng nhập', { exact: true }).waitFor();
    await card.locator('[data-cert-cn="UBND tỉnh Thử Nghiệm"]').first().waitFor();
    const shot = await screenshot(page, 'token-login');
    expect(existsSync(shot) && statSync(shot).size > 10_000).toBe(true);
    expect(consoleErrors).toEqual([]);
  });

  it('never writes the PIN to the workstation log', () => {
    expect(ws.output()).not.toContain(pki.userPin);
  });
});
