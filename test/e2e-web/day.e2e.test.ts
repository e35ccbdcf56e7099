import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { dayForTheFile, leaderSignedSample, screenshot, startAiaOcspResponder, withWorkstationPage } from './harness';
import { loadPki } from '../helpers/pki';
import { addDaysIso, axeScan, hasHorizontalScroll, rpc, serious } from './ui-helpers';

const today = await dayForTheFile();

/** WCAG contrast ratio of two computed rgb() colours. */
function contrast(a: string, b: string): number {
  const lum = (c: string) => {
    const [r, g, bl] = (c.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map(Number).map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

const LABEL: Record<string, string> = { submit: 'Trình', assign: 'Giao xử lý', handover: 'Chuyển', complete: 'Hoàn thành', amend: 'Sửa thông tin' };

/** dd/MM/yyyy, as every screen and the printed register write a day. */
const dmy = (iso: string) => iso.split('-').reverse().join('/');

/**
 * One clerk's day in browser mode at 1366×768 (issue 11): an incoming signed PDF is verified, vào sổ,
 * trình, giao xử lý, chuyển and hoàn thành through the screens; the printed Sổ đến carries the
 * Đơn vị hoặc người nhận and the Ngày chuyển; a leader-signed draft gets its number from the sổ đi on
 * "Ký số văn bản", is issued and is found in Văn bản đi with its file. Every screen is photographed
 * into .tmp/screenshots/.
 */
describe('browser mode: a clerk\'s whole day', () => {
  let page: Page;
  let consoleErrors: string[];
  let ocsp: { stop(): void };
  let signedPath: string;
  const dir = mkdtempSync(join(tmpdir(), 'vanthu-e2e-day-'));

  beforeAll(async () => {
    const { signed } = await leaderSignedSample();
    signedPath = join(dir, 'cong-van-den.pdf');
    writeFileSync(signedPath, signed);
    ocsp = await startAiaOcspResponder();
  });

  afterAll(async () => {
    ocsp?.stop();
  });

  withWorkstationPage({ page: { viewport: { width: 1366, height: 768 }, acceptDownloads: true } }, async (s) => {
    ({ page, consoleErrors } = s);
    page.on('response', (r) => {
      if (r.status() === 404) consoleErrors.push(`404 ${new URL(r.url()).pathname}`);
    });
    await page.getByRole('heading', { name: 'Việc hôm nay' }).waitFor();
  });

  /** The document page's main button: the next step, then its form's confirmation. */
  async function step(action: string, fill?: () => Promise<void>): Promise<void> {
    const doc = page.locator('[data-screen-panel="document"]');
    await doc.locator(`.doc-buttons [data-action="${action}"]`).click();
    const form = doc.locator('.doc-form');
    if (await form.count()) {
      await fill?.();
      await form.getByRole('button', { name: /^Xác nhận/ }).click();
    }
    await doc.getByText(`Đã thực hiện: ${LABEL[action]}.`).waitFor();
  }

  it('verifies the incoming signed PDF on "Kiểm tra chữ ký"', async () => {
    await screenshot(page, 'day-01-today');
    await page.getByRole('button', { name: 'Kiểm tra chữ ký' }).click();
    await page.locator('[data-screen-panel="verify"] input[name="pdf"]').setInputFiles(signedPath);
    const verdict = page.locator('[data-screen-panel="verify"] .verdict');
    await verdict.waitFor({ timeout: 60_000 });
    expect(await verdict.getAttribute('data-overall')).toBe('TOTAL_PASSED');
    await screenshot(page, 'day-02-verify');
  });

  it('vào sổ: registers it on "Văn bản đến" with number 01 and opens its page', async () => {
    await page.getByRole('button', { name: 'Văn bản đến', exact: true }).click();
    const form = page.getByRole('form', { name: 'Đăng ký văn bản' });
    await form.getByLabel('Loại văn bản').fill('Công văn');
    await page.keyboard.press('Enter');
    await form.getByLabel('Số', { exact: true }).fill('215');
    await form.getByLabel('Ký hiệu').fill('UBND-VX');
    await form.getByLabel('Cơ quan ban hành').fill('UBND tỉnh Thử Nghiệm');
    await form.getByLabel('Trích yếu nội dung').fill('Về việc tổ chức Ngày hội Đại đoàn kết toàn dân tộc');
    await form.getByRole('button', { name: 'Đăng ký' }).click();
    await form.getByText('Đã đăng ký: số 01.').waitFor();
    expect(serious(await axeScan(page))).toEqual([]);
    await screenshot(page, 'day-03-incoming');
    await page.locator('[data-screen-panel="incoming"] .register-table tbody tr').first().getByRole('button').first().click();
    await page.getByRole('heading', { name: 'Văn bản 215/UBND-VX' }).waitFor();
  });

  it('attaches the PDF on the document page, which shows the verdict and the page', async () => {
    const doc = page.locator('[data-screen-panel="document"]');
    await doc.locator('input[name="pdf"]').setInputFiles(signedPath);
    const verdict = doc.locator('.verdict');
    await verdict.waitFor({ timeout: 60_000 });
    expect(await verdict.getAttribute('data-overall')).toBe('TOTAL_PASSED');
    await expect.poll(async () => doc.locator('.document-file canvas').evaluate((c) => (c as unknown as { width: number }).width)).toBeGreaterThan(300);
    expect(await doc.locator('.file-name').textContent()).toBe('cong-van-den.pdf');
    await expect.poll(async () => doc.locator('.document-file .pager').textContent()).toMatch(/Trang 1\/1/);
  });

  it('trình, giao xử lý (chủ trì, phối hợp, ý kiến, hạn), chuyển and hoàn thành, each step in the history', async () => {
    const doc = page.locator('[data-screen-panel="document"]');
    // Ctrl+Enter takes the page's main step (here: trình), as on every screen.
    expect(await doc.locator('.doc-buttons .ant-btn-primary').getAttribute('data-action')).toBe('submit');
    await page.keyboard.press('Control+Enter');
    await doc.getByText('Đã thực hiện: Trình.').waitFor();
    await screenshot(page, 'day-04-document');
    const due = addDaysIso(today, 7);
    await step('assign', async () => {
      const form = doc.locator('.doc-form');
      await form.getByLabel('Đơn vị chủ trì').fill('Phòng Văn hóa - Xã hội');
      await form.getByLabel('Đơn vị phối hợp').fill('Văn phòng');
      await page.keyboard.press('Enter');
      await form.getByLabel('Ý kiến chỉ đạo').fill('Chủ trì tham mưu kế hoạch, báo cáo trước hạn');
      await form.getByLabel('Hạn giải quyết').fill(dmy(due));
      // A typed valid day is taken as it is typed; leaving the field closes its calendar.
      await form.getByRole('heading', { name: 'Giao xử lý' }).click();
      await screenshot(page, 'day-05-assign');
    });
    await expect.poll(async () => doc.locator('.assignment-list').textContent()).toContain('Chủ trì: Phòng Văn hóa - Xã hội');
    expect(await doc.locator('.doc-meta').textContent()).toContain(dmy(due));
    await step('handover', async () => {
      const form = doc.locator('.doc-form');
      // The chủ trì is proposed; the clerk writes the person who signs for it.
      expect(await form.getByLabel('Đơn vị hoặc người nhận').inputValue()).toBe('Phòng Văn hóa - Xã hội');
      const handedOn = form.getByLabel('Ngày chuyển');
      expect(await handedOn.inputValue()).toBe(dmy(today));
      // The calendar's own today (its marked day, its "Hôm nay" button) is Vietnam's, not the browser's,
      // which the harness puts on another day.
      await handedOn.click();
      await handedOn.fill(dmy(addDaysIso(today, -1)));
      const calendar = page.locator('.ant-picker-dropdown:not(.ant-picker-dropdown-hidden)');
      expect(await calendar.locator('.ant-picker-cell-today').getAttribute('title')).toBe(today);
      await calendar.getByText('Hôm nay', { exact: true }).click();
      expect(await handedOn.inputValue()).toBe(dmy(today));
      await form.getByLabel('Đơn vị hoặc người nhận').fill('Bà Lê Thị Mai (Phòng VH-XH)');
    });
    await step('complete', async () => {
      await doc.locator('.doc-form').getByLabel('Số, ký hiệu văn bản trả lời (nếu có)').fill('41/VHXH');
    });
    await expect.poll(async () => doc.locator('.state-tag').textContent()).toBe('Hoàn thành');
    const history = (await doc.locator('.history-table tbody').textContent()) ?? '';
    for (const s of ['Đã vào sổ', 'Đã trình', 'Đã giao xử lý', 'Đang giải quyết', `Chuyển cho Bà Lê Thị Mai (Phòng VH-XH), ngày ${dmy(today)}`, 'Hoàn thành', '41/VHXH']) expect(history).toContain(s);
    // A wrong entry is corrected with a reason, never silently: the history shows the step and why.
    await step('amend', async () => {
      const form = doc.locator('.doc-form');
      await form.getByLabel('Trích yếu nội dung').fill('Về việc tổ chức Ngày hội Đại đoàn kết toàn dân tộc năm 2026');
      await form.getByLabel('Lý do').fill('Thiếu năm tổ chức trong trích yếu');
    });
    await expect.poll(async () => doc.locator('.history-table').textContent()).toContain('Thiếu năm tổ chức trong trích yếu');
    expect(await doc.locator('.history-table').textContent()).toContain('Sửa thông tin (Hoàn thành)');
    expect(await doc.locator('.doc-meta').textContent()).toContain('toàn dân tộc năm 2026');
    expect(await hasHorizontalScroll(page)).toBe(false);
    expect(serious(await axeScan(page))).toEqual([]);
    await screenshot(page, 'day-06-completed');
  });

  it('a step that needs a reason names the field: trả lại without a reason is refused at the field', async () => {
    const { document: d } = await rpc<{ document: { id: number } }>(page, 'register.add', {
      record: { book: 'den', TypeName: 'Công văn', CodeNumber: '9', CodeNotation: 'STC', OrganName: 'Sở Tài chính', Subject: 'Về việc gửi nhầm nơi nhận', IssuedDate: today },
    });
    const { detail } = await rpc<{ detail: { actions: string[] } }>(page, 'register.get', { id: d.id });
    expect(detail.actions).toEqual(expect.arrayContaining(['submit', 'return', 'amend', 'cancel']));
    await page.getByRole('button', { name: 'Văn bản đến', exact: true }).click();
    await page.locator(`[data-screen-panel="incoming"] .register-table tr[data-doc-id="${d.id}"] button`).first().click();
    const doc = page.locator('[data-screen-panel="document"]');
    await doc.getByRole('heading', { name: 'Văn bản 9/STC' }).waitFor();
    await doc.locator('.doc-buttons [data-action="return"]').click();
    await doc.locator('.doc-form').getByRole('button', { name: /^Xác nhận/ }).click();
    await doc.getByText('Vui lòng nhập Lý do.').waitFor();
    await doc.locator('.doc-form').getByLabel('Lý do').fill('Gửi nhầm nơi nhận');
    await doc.locator('.doc-form').getByRole('button', { name: /^Xác nhận/ }).click();
    await doc.getByText(/^Đã thực hiện: Trả lại/).waitFor();
    await expect.poll(async () => doc.locator('.history-table').textContent()).toContain('Gửi nhầm nơi nhận');
    expect(await doc.locator('.state-tag').textContent()).toBe('Đã trả lại');
    // The register's own refusal lands at its field too: a hạn before the Ngày ban hành.
    await doc.locator('.doc-buttons [data-action="amend"]').click();
    const form = doc.locator('.doc-form');
    await form.getByLabel('Hạn giải quyết').fill(dmy(addDaysIso(today, -1)));
    // Leaving the date box commits the typed date (its calendar, open above it, covers the form's heading).
    await form.getByLabel('Lý do').click();
    await form.getByLabel('Lý do').fill('Ghi hạn theo phiếu giải quyết');
    await form.getByRole('button', { name: /^Xác nhận/ }).click();
    const error = form.locator('.ant-form-item-has-error');
    await error.getByText(`Hạn giải quyết không được trước ngày ban hành.`).waitFor();
    expect(await error.locator('label').textContent()).toBe('Hạn giải quyết');
    await expect.poll(async () => page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document.activeElement?.id)).toMatch(/DueDate$/);
    await form.getByRole('button', { name: 'Đóng' }).click();
  });

  it('the printed Sổ đến shows Đơn vị hoặc người nhận and Ngày chuyển for the row that was chuyển', async () => {
    await page.getByRole('button', { name: 'Văn bản đến', exact: true }).click();
    const panel = page.locator('[data-screen-panel="incoming"]');
    await panel.locator('[data-print-kind="so-den"]').click();
    await panel.getByText(/Đã tạo bản in/).waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), panel.getByRole('link', { name: 'Tải tệp PDF' }).click()]);
    const file = join(dir, 'so-den.pdf');
    await download.saveAs(file);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    // Column titles wrap inside their cells: read them in raw order.
    const raw = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    for (const title of ['Đơn vị hoặc người nhận', 'Ngày chuyển', 'Ký nhận']) expect(raw).toContain(title);
    const row = text.split('\n').find((l) => l.includes('215/UBND-VX'))!;
    expect(row).toContain('Bà Lê Thị Mai');
    expect(row).toContain(dmy(today));
    await screenshot(page, 'day-07-print');
    // The Sổ theo dõi giải quyết names the chủ trì and phối hợp with the hạn.
    const link = panel.getByRole('link', { name: 'Tải tệp PDF' });
    const before = await link.getAttribute('href');
    await panel.locator('[data-print-kind="theo-doi"]').click();
    await expect.poll(async () => link.getAttribute('href')).not.toBe(before);
    const [follow] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const followFile = join(dir, 'theo-doi.pdf');
    await follow.saveAs(followFile);
    const followText = execFileSync('pdftotext', [followFile, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(followText).toContain('SỔ THEO DÕI GIẢI QUYẾT VĂN BẢN ĐẾN');
    expect(followText).toContain('Chủ trì: Phòng Văn hóa - Xã hội; Phối hợp: Văn phòng');
    expect(followText).toContain(dmy(addDaysIso(today, 7)));
  });

  it('a leader-signed draft gets its number from the register, is issued, and appears in Văn bản đi with its file', async () => {
    const pki = loadPki();
    await page.getByRole('button', { name: 'Thiết bị ký số' }).click();
    const card = page.locator(`[data-token-label="${pki.tokens.agency}"]`);
    await card.waitFor({ timeout: 60_000 }).catch(async (e: unknown) => {
      await screenshot(page, 'day-debug-token');
      throw e;
    });
    await card.locator('input[name="pin"]').fill(pki.userPin);
    await card.getByRole('button', { name: 'Đăng nhập' }).click();
    await card.getByText('Đăng nhập token thành công.').waitFor();
    // Cấp số on "Ký số văn bản": the sổ đi's next number is shown before signing, taken at signing.
    await page.getByRole('button', { name: 'Ký số văn bản' }).click();
    const sign = page.locator('[data-screen-panel="sign"]');
    await sign.getByText(`Ký bằng token: ${pki.tokens.agency}`).waitFor();
    await sign.locator('input[name="pdf"]').first().setInputFiles(signedPath);
    await sign.locator('[data-leader-verified="true"]').waitFor({ timeout: 60_000 });
    await sign.locator('[data-next-number="01/QĐ-UBND"]').waitFor({ timeout: 30_000 });
    for (const to of ['Sở Nội vụ', 'Sở Tư pháp']) {
      await sign.locator('#sign-recipients').fill(to);
      await page.keyboard.press('Enter');
    }
    await screenshot(page, 'day-09-sign');
    await sign.getByRole('button', { name: 'Ký số', exact: true }).click();
    const result = sign.locator('.sign-result');
    await result.waitFor({ timeout: 90_000 });
    expect(await result.getAttribute('data-registered')).toBe('01/QĐ-UBND');
    expect(await result.locator('.verdict').getAttribute('data-overall')).toBe('TOTAL_PASSED');
    // The same number is never given twice: the screen now offers 02.
    await sign.locator('[data-next-number="02/QĐ-UBND"]').waitFor();
    const { items } = await rpc<{ items: Array<{ id: number; code: string }> }>(page, 'register.list', { book: 'di-qd', year: Number(today.slice(0, 4)) });
    const issued = { registered: { docId: items.find((d) => d.code === '01/QĐ-UBND')!.id } };

    await page.getByRole('button', { name: 'Văn bản đi', exact: true }).click();
    const out = page.locator('[data-screen-panel="outgoing"]');
    await out.locator('select[name="book"]').selectOption('di-qd');
    const row = out.locator(`.register-table tr[data-doc-id="${issued.registered.docId}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('01/QĐ-UBND');
    expect(await row.textContent()).toContain('Đã phát hành');
    // Nơi ban hành / nơi nhận: an issued document's row names where it goes.
    expect(await row.textContent()).toContain('Sở Nội vụ; Sở Tư pháp');
    expect(serious(await axeScan(page))).toEqual([]);
    await screenshot(page, 'day-10-outgoing');
    await row.getByRole('button').first().click();
    const doc = page.locator('[data-screen-panel="document"]');
    await doc.getByRole('heading', { name: 'Văn bản 01/QĐ-UBND' }).waitFor();
    const verdict = doc.locator('.verdict');
    await verdict.waitFor({ timeout: 60_000 });
    expect(await verdict.getAttribute('data-overall')).toBe('TOTAL_PASSED');
    expect(await doc.locator('.doc-meta').textContent()).toContain('Sở Nội vụ; Sở Tư pháp');
    expect(serious(await axeScan(page))).toEqual([]);
    await screenshot(page, 'day-11-issued');
  });

  it('"Cài đặt" shows the working calendar the deadlines use; a busy button keeps AA contrast and focus is visible; no console errors all day', async () => {
    await page.getByRole('button', { name: 'Cài đặt' }).click();
    await page.getByRole('heading', { name: 'Cài đặt', level: 2 }).waitFor().catch(async (e: unknown) => {
      await screenshot(page, 'day-debug-settings');
      throw e;
    });
    await screenshot(page, 'day-08-settings');
    // The save button as it looks while saving (antd's loading state), and as the keyboard focuses it.
    const save = page.getByRole('button', { name: 'Lưu cài đặt' });
    const look = async () => save.evaluate((el) => {
      const cs = (globalThis as unknown as { getComputedStyle(e: unknown): Record<string, string> }).getComputedStyle(el);
      return { opacity: cs.opacity!, color: cs.color!, background: cs.backgroundColor!, outline: `${cs.outlineStyle} ${cs.outlineWidth}` };
    });
    await save.evaluate((el) => (el as unknown as { classList: { add(c: string): void } }).classList.add('ant-btn-loading'));
    // Past antd's fade: what stays on screen while the work runs.
    await page.waitForTimeout(600);
    const busy = await look();
    await save.evaluate((el) => (el as unknown as { classList: { remove(c: string): void } }).classList.remove('ant-btn-loading'));
    expect(busy.opacity).toBe('1');
    expect(contrast(busy.color, busy.background)).toBeGreaterThanOrEqual(4.5);
    await page.getByLabel('Dòng tiêu đề trên bản in sổ').focus();
    await page.keyboard.press('Tab');
    await expect.poll(async () => (await look()).outline).toMatch(/^solid [2-9]/);
    expect(consoleErrors).toEqual([]);
  });
});
