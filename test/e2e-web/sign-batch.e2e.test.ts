import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { loadPki } from '../helpers/pki';
import { makeSampleDocument } from '../../src-main/core/pdf/sign/index';
import { verifyPdf } from '../../src-main/core/verify/index';
import { screenshot, withWorkstationPage, type Workstation } from './harness';
import { loginToken } from './ui-helpers';

/** The clerk batch-signs two attachments on the sign screen: progress from events, a result per file. */
describe('browser mode: batch signing through the sign screen', () => {
  const pki = loadPki();
  let ws: Workstation;
  let page: Page;
  let dir: string;
  let inputs: Array<{ path: string; bytes: Buffer }>;
  let consoleErrors: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vanthu-e2e-batch-'));
    inputs = await Promise.all(['phu-luc-a.pdf', 'phu-luc-b.pdf'].map(async (name, i) => {
      const bytes = Buffer.from(await makeSampleDocument({ signerName: `Người Ký ${i}`, notation: `${i + 1}/KH-UBND` }));
      const path = join(dir, name);
      writeFileSync(path, bytes);
      return { path, bytes };
    }));
  });

  withWorkstationPage({ page: { viewport: { width: 1280, height: 1000 }, acceptDownloads: true } }, (s) => {
    ({ page, consoleErrors, ws } = s);
  });

  it('signs two attachments in one batch; progress reaches 2/2 through the events', async () => {
    await loginToken(page, pki.tokens.agency, pki.userPin);

    await page.getByRole('button', { name: 'Ký số văn bản' }).click();
    const batch = page.locator('.batch-sign');
    await batch.getByRole('heading', { name: 'Ký hàng loạt' }).waitFor();
    // SoftHSM keys ask no second PIN: the field stays hidden.
    expect(await page.locator('input[name="contextPin"]').count()).toBe(0);
    await batch.locator('input[name="batchFiles"]').setInputFiles(inputs.map((i) => i.path));
    await batch.getByText('Đã chọn 2 tệp.').waitFor();
    await batch.locator('input[name="batchRef"]').fill('15/KH-UBND');

    // Every progress line the screen shows, recorded in the page: the call's own answer jumps to 2/2,
    // so a 1/2 can only come from a sign.progress event.
    // (A script string: this file is type-checked without the DOM library.)
    await page.evaluate(`(() => {
      const seen = [];
      window.progressSeen = seen;
      new MutationObserver(() => {
        const s = document.querySelector('.batch-progress [role="status"]')?.textContent;
        if (s && seen.at(-1) !== s) seen.push(s);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    })()`);
    await batch.getByRole('button', { name: 'Ký tất cả' }).click();
    await batch.locator('.batch-progress[data-done="2"][data-total="2"]').waitFor({ timeout: 60_000 });
    await batch.locator('.batch-item[data-status="signed"] a').nth(1).waitFor({ timeout: 60_000 });
    const seen = (await page.evaluate('window.progressSeen')) as string[];
    expect(seen).toContain('Đã xử lý 1/2 tệp');
    expect(seen.at(-1)).toBe('Đã xử lý 2/2 tệp');

    const items = batch.locator('.batch-item');
    expect(await items.count()).toBe(2);
    for (const [i, name] of ['phu-luc-a', 'phu-luc-b'].entries()) {
      const text = (await items.nth(i).textContent()) ?? '';
      expect(text).toContain(`${name}.pdf`);
      expect(text).toContain('Đã ký');
      expect(text).toContain(`Tải tệp đã ký: ${name}-da-ky.pdf`);
    }
    expect(await batch.getByRole('button', { name: 'Ký lại các tệp chưa xong' }).count()).toBe(0);
    await screenshot(page, 'sign-batch');

    const [download] = await Promise.all([page.waitForEvent('download'), items.nth(1).getByRole('link').click()]);
    expect(download.suggestedFilename()).toBe('phu-luc-b-da-ky.pdf');
    const saved = join(dir, download.suggestedFilename());
    await download.saveAs(saved);
    const out = readFileSync(saved);
    expect(out.subarray(0, inputs[1]!.bytes.length).equals(inputs[1]!.bytes)).toBe(true);
    const report = await verifyPdf(out, { trustDir: pki.trustDir, revocation: 'skip' });
    expect(report.signatures).toHaveLength(1);
    expect(report.signatures[0]!.cryptoIndication).toBe('TOTAL_PASSED');
    expect(consoleErrors).toEqual([]);
  });

  it('signing the same batch again reports both files as signed before', async () => {
    const batch = page.locator('.batch-sign');
    await batch.getByRole('button', { name: 'Ký tất cả' }).click();
    await batch.locator('.batch-item[data-status="skipped"]').nth(1).waitFor({ timeout: 60_000 });
    expect(await batch.locator('.batch-item[data-status="skipped"]').count()).toBe(2);
    expect(await batch.locator('.batch-item').first().textContent()).toContain('Đã ký trước đó');
    expect(consoleErrors).toEqual([]);
  });

  it('Đ17.5 never writes the PIN to the workstation log', () => {
    expect(ws.output()).not.toContain(pki.userPin);
  });
});
