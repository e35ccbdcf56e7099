import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { dayForTheFile, screenshot, withWorkstationPage } from './harness';
import { addDaysIso, axeScan, hasHorizontalScroll, rpc, serious } from './ui-helpers';

const today = await dayForTheFile();

interface Doc { document: { id: number; code: string | null } }

describe('browser mode: the shell and "Hôm nay"', () => {
  let page: Page;
  let consoleErrors: string[];

  withWorkstationPage({ page: { viewport: { width: 1366, height: 768 } } }, (s) => {
    ({ page, consoleErrors } = s);
  });

  it('opens on "Hôm nay", marked as the current page of the navigation', async () => {
    await page.getByRole('heading', { name: 'Việc hôm nay' }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Điều hướng chính' });
    expect(await nav.locator('[aria-current="page"]').textContent()).toContain('Hôm nay');
    await page.getByText('Không có việc nào cần xử lý gấp hôm nay.').waitFor();
  });

  it('lists urgent first, then due today and overdue, each naming its document; counts match the register', async () => {
    const { books } = await rpc<{ books: Array<{ id: string; direction: string; kind: string }> }>(page, 'register.books', {});
    const den = books.find((b) => b.direction === 'den' && b.kind === 'normal')!.id;
    const base = { book: den, TypeName: 'Công văn', OrganName: 'Sở Tài chính', IssuedDate: addDaysIso(today, -10), ArrivalDate: addDaysIso(today, -3) };
    await rpc<Doc>(page, 'register.add', { record: { ...base, CodeNumber: '7', CodeNotation: 'STC-NS', Subject: 'Về việc quyết toán quý ba', DueDate: today } });
    await rpc<Doc>(page, 'register.add', { record: { ...base, CodeNumber: '8', CodeNotation: 'STC-QLG', Subject: 'Về giá đất năm sau', DueDate: addDaysIso(today, -1) } });
    const urgent = await rpc<Doc>(page, 'register.add', { record: { ...base, CodeNumber: '9', CodeNotation: 'STC-HCSN', Subject: 'Về phòng chống bão khẩn cấp', Priority: 3 } });
    await page.keyboard.press('Alt+D');
    await page.keyboard.press('Alt+H');
    const groups = page.locator('[data-group]');
    await expect.poll(async () => groups.evaluateAll((els) => els.map((e) => e.getAttribute('data-group')))).toEqual(['urgent', 'due_today', 'overdue']);
    expect(await page.locator('[data-group="urgent"]').textContent()).toContain('9/STC-HCSN');
    expect(await page.locator('[data-group="urgent"]').textContent()).toContain('Về phòng chống bão khẩn cấp');
    expect(await page.locator('[data-group="due_today"]').textContent()).toContain('7/STC-NS');
    expect(await page.locator('[data-group="overdue"]').textContent()).toContain('8/STC-QLG');
    const { alerts } = await rpc<{ alerts: unknown[] }>(page, 'register.alerts', {});
    await expect.poll(async () => page.locator('[data-screen="today"] .ant-badge').textContent()).toBe(String(alerts.length));
    expect(await page.locator('[data-screen="incoming"] .ant-badge').textContent()).toBe(String(alerts.length));
    expect(await hasHorizontalScroll(page)).toBe(false);
    await screenshot(page, 'today');
    expect(urgent.document.code).toBe('9/STC-HCSN');
  });

  it('opens a document from its alert, and the alert follows the document through its steps', async () => {
    await page.getByRole('button', { name: 'Mở văn bản 9/STC-HCSN' }).click();
    await page.getByRole('heading', { name: 'Văn bản 9/STC-HCSN' }).waitFor();
    expect(await page.locator('.state-tag').textContent()).toBe('Đã vào sổ');
    await page.getByRole('button', { name: 'Trình', exact: true }).click();
    await expect.poll(async () => page.locator('.state-tag').textContent()).toBe('Đã trình');
    await screenshot(page, 'document');
    // Thu hồi asks for its reason first; the step is refused without one.
    await page.getByRole('button', { name: 'Thu hồi', exact: true }).click();
    await page.getByLabel('Lý do').fill('Cơ quan ban hành đã thu hồi văn bản');
    await page.getByRole('button', { name: 'Xác nhận: Thu hồi' }).click();
    await expect.poll(async () => page.locator('.state-tag').textContent()).toBe('Đã thu hồi');
    await page.keyboard.press('Alt+H');
    await expect.poll(async () => page.locator('[data-group="urgent"]').count()).toBe(0);
    expect(await page.locator('.today-screen').textContent()).not.toContain('9/STC-HCSN');
  });

  it('a reason is asked for before a document is returned, at the field', async () => {
    await page.getByRole('button', { name: 'Mở văn bản 7/STC-NS' }).click();
    await page.getByRole('heading', { name: 'Văn bản 7/STC-NS' }).waitFor();
    await page.getByRole('button', { name: 'Trả lại', exact: true }).click();
    await page.getByRole('button', { name: 'Xác nhận: Trả lại' }).click();
    await page.getByText('Vui lòng nhập Lý do.').waitFor();
    expect(await page.locator('.state-tag').textContent()).toBe('Đã vào sổ');
  });

  it('has no serious accessibility findings and ran without console errors', async () => {
    for (const screen of ['today', 'document']) {
      if (screen === 'today') await page.keyboard.press('Alt+H');
      expect(serious(await axeScan(page)), screen).toEqual([]);
    }
    expect(consoleErrors).toEqual([]);
  });
});
