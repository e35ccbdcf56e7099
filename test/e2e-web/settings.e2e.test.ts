import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshot, withWorkstationPage } from './harness';
import { axeScan, hasHorizontalScroll, rpc, serious } from './ui-helpers';

describe('browser mode: "Cài đặt"', () => {
  let page: Page;
  let consoleErrors: string[];

  withWorkstationPage({ page: { viewport: { width: 1366, height: 768 } } }, async (s) => {
    ({ page, consoleErrors } = s);
    await page.getByRole('heading', { name: 'Việc hôm nay' }).waitFor();
    await page.keyboard.press('Alt+C');
    await page.getByRole('heading', { name: 'Cài đặt', level: 2 }).waitFor();
  });

  it('shows the installation profile, the registers and the detected token driver', async () => {
    // The first load waits for the backend's services to start (a loaded machine takes seconds).
    await expect.poll(async () => page.getByLabel('Tên cơ quan', { exact: true }).inputValue(), { timeout: 30_000 }).toContain('UBND tỉnh Thử Nghiệm');
    await page.locator('.plain-table tbody tr').first().waitFor();
    expect(await page.getByLabel('Mã định danh cơ quan (OrganId)').inputValue()).toBe('000.00.00.H99');
    expect(await page.locator('.settings-screen').textContent()).toContain('Sổ đăng ký văn bản đến');
    const { detectedDrivers } = await rpc<{ detectedDrivers: Array<{ path: string }> }>(page, 'settings.get', {});
    expect(await page.locator('.settings-screen').textContent()).toContain(`Tìm thấy ${detectedDrivers.length} trình điều khiển`);
    expect(await page.getByLabel('Trình điều khiển token (PKCS#11)').inputValue()).toBe('/usr/lib/softhsm/libsofthsm2.so');
    expect(await hasHorizontalScroll(page)).toBe(false);
  });

  it('names the field and focuses it when the place name is missing or the OrganId is malformed', async () => {
    await page.getByRole('button', { name: 'Lưu cài đặt' }).click();
    await page.getByText('Vui lòng nhập Địa danh ghi trên văn bản.').waitFor();
    await expect.poll(async () => page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document.activeElement?.id)).toBe('agency_placeName');
    await page.getByLabel('Địa danh ghi trên văn bản').fill('Ninh Bình');
    await page.getByLabel('Mã định danh cơ quan (OrganId)').fill('H99');
    await page.getByRole('button', { name: 'Lưu cài đặt' }).click();
    await page.getByText('Mã định danh cơ quan (OrganId) không hợp lệ.').waitFor();
    await expect.poll(async () => page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document.activeElement?.id)).toBe('agency_organId');
    const { savedAt } = await rpc<{ savedAt: string | null }>(page, 'settings.get', {});
    expect(savedAt).toBeNull();
  });

  it('saves, and the saved profile comes back through the contract', async () => {
    await page.getByLabel('Mã định danh cơ quan (OrganId)').fill('000.00.00.H99');
    await page.getByLabel('Tên cơ quan chủ quản').fill('Bộ Nội vụ');
    await page.getByLabel('Đường kính thật của con dấu (mm)').fill('40');
    await page.getByRole('button', { name: 'Lưu cài đặt' }).click();
    await page.getByText(/Đã lưu cài đặt lúc \d{2}:\d{2}:\d{2} \d{2}\/\d{2}\/\d{4}|Đã lưu cài đặt lúc \d{2}\/\d{2}\/\d{4}/).waitFor();
    const { settings } = await rpc<{ settings: { agency: { placeName: string; parentName: string }; seal: { mm: number } } }>(page, 'settings.get', {});
    expect(settings.agency).toMatchObject({ placeName: 'Ninh Bình', parentName: 'Bộ Nội vụ' });
    expect(settings.seal.mm).toBe(40);
    await screenshot(page, 'settings');
  });

  it('has no serious accessibility findings and ran without console errors', async () => {
    expect(serious(await axeScan(page))).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
