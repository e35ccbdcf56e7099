import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { DOC_TYPES } from '../../src-main/contract/doc-types';
import { dayForTheFile, screenshot, withWorkstationPage } from './harness';
import { addDaysIso, axeScan, hasHorizontalScroll, serious } from './ui-helpers';

const today = await dayForTheFile();

/** dd/MM/yyyy, the only way dates are typed and shown. */
const vn = (iso: string) => iso.split('-').reverse().join('/');

describe('browser mode: register forms guard the register', () => {
  let page: Page;
  let consoleErrors: string[];

  async function typeDate(form: Locator, labelText: string, iso: string) {
    const input = form.getByLabel(labelText, { exact: true });
    await input.click();
    await input.press('Control+A');
    await input.pressSequentially(vn(iso));
    await input.press('Tab');
  }
  const focusedLabel = () => page.evaluate(() => {
    const d = (globalThis as unknown as { document: { activeElement: { id: string } | null; querySelector(s: string): { textContent: string } | null } }).document;
    const id = d.activeElement?.id ?? '';
    return d.querySelector(`label[for="${id}"]`)?.textContent ?? id;
  });

  withWorkstationPage({ page: { viewport: { width: 1366, height: 768 } } }, async (s) => {
    ({ page, consoleErrors } = s);
    await page.getByRole('heading', { name: 'Việc hôm nay' }).waitFor();
    await page.keyboard.press('Alt+D');
    await page.getByRole('heading', { name: 'Sổ đăng ký văn bản đến' }).waitFor();
  });

  it('offers "Loại văn bản" from the NĐ 30 list, not free text', async () => {
    const form = page.getByRole('form', { name: 'Đăng ký văn bản' }).first();
    await form.getByLabel('Loại văn bản').click();
    await form.getByLabel('Loại văn bản').fill('Tờ');
    await page.locator('.ant-select-item-option[title="Tờ trình"]').waitFor();
    await form.getByLabel('Loại văn bản').fill('Loại tự đặt');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
    await form.getByRole('button', { name: 'Đăng ký' }).click();
    await form.getByText('Vui lòng nhập Loại văn bản.').waitFor();
    expect(DOC_TYPES.map((d) => d.name)).toContain('Tờ trình');
  });

  it('Đ10.1 refuses a Ngày đến in the future, names the field at the field and focuses it', async () => {
    const form = page.getByRole('form', { name: 'Đăng ký văn bản' }).first();
    await form.getByLabel('Loại văn bản').fill('Công văn');
    await page.keyboard.press('Enter');
    await form.getByLabel('Cơ quan ban hành').fill('Sở Nội vụ');
    await form.getByLabel('Trích yếu nội dung').fill('Về việc tuyển dụng công chức');
    await typeDate(form, 'Ngày đến', addDaysIso(today, 2));
    await form.getByRole('button', { name: 'Đăng ký' }).click();
    await form.getByText('Ngày đến không được sau ngày hôm nay.').waitFor();
    await expect.poll(focusedLabel).toBe('Ngày đến');
    await screenshot(page, 'register-form-error');
  });

  it('refuses a Hạn giải quyết before the Ngày ban hành, naming both', async () => {
    const form = page.getByRole('form', { name: 'Đăng ký văn bản' }).first();
    await typeDate(form, 'Ngày đến', today);
    await typeDate(form, 'Ngày ban hành', addDaysIso(today, -5));
    await typeDate(form, 'Hạn giải quyết', addDaysIso(today, -8));
    await form.getByRole('button', { name: 'Đăng ký' }).click();
    await form.getByText('Hạn giải quyết không được trước Ngày ban hành.').waitFor();
    await expect.poll(focusedLabel).toBe('Hạn giải quyết');
    await typeDate(form, 'Hạn giải quyết', addDaysIso(today, 10));
    await form.getByRole('button', { name: 'Đăng ký' }).click();
    await form.getByText('Đã đăng ký: số 01.').waitFor();
    // Dates read dd/MM/yyyy in the list, whatever the browser's locale.
    expect(await page.locator('.register-table tbody tr').first().textContent()).toContain(vn(addDaysIso(today, 10)));
    // A row opens: its number leads to the document's page.
    await page.getByRole('button', { name: 'mở văn bản Về việc tuyển dụng công chức' }).click();
    await page.getByRole('heading', { name: 'Văn bản Về việc tuyển dụng công chức' }).waitFor();
    expect(await page.locator('.state-tag').textContent()).toBe('Đã vào sổ');
  });

  it('Đ13.1 accepts Nơi nhận on a văn bản đi as a list of agencies', async () => {
    await page.keyboard.press('Alt+I');
    await page.getByRole('heading', { name: 'Sổ đăng ký văn bản đi' }).waitFor();
    const form = page.locator('[data-screen-panel="outgoing"]').getByRole('form', { name: 'Đăng ký văn bản' });
    await form.getByLabel('Loại văn bản').fill('Công văn');
    await page.keyboard.press('Enter');
    await form.getByLabel('Ký hiệu').fill('UBND-VX');
    await form.getByLabel('Trích yếu nội dung').fill('Về việc chuẩn bị Tết Nguyên đán');
    const to = form.getByLabel('Nơi nhận');
    await to.fill('Sở Y tế');
    await page.keyboard.press('Enter');
    await to.fill('Sở Giáo dục và Đào tạo');
    await page.keyboard.press('Enter');
    await form.getByRole('button', { name: 'Đăng ký' }).click();
    await form.getByText(/Đã đăng ký/).waitFor();
    expect(await form.locator('.ant-alert-error').count()).toBe(0);
    expect(await hasHorizontalScroll(page)).toBe(false);
    await screenshot(page, 'register-outgoing');
  });

  it('has no serious accessibility findings on either register and ran without console errors', async () => {
    expect(serious(await axeScan(page))).toEqual([]);
    await page.keyboard.press('Alt+D');
    expect(serious(await axeScan(page))).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
