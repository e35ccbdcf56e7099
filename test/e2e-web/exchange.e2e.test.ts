import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { demoSettings } from '../../src-main/core/config';
import { writeSecret } from '../../src-main/core/exchange/secrets';
import type { Hub } from '../../src-main/hub/server';
import { AGENCY_A, AGENCY_B } from '../exchange/samples';
import { SECRETS, TLS, tempDir, testHub } from '../exchange/helpers';
import { issuedDocument, workstation } from '../exchange/workstation';
import { screenshot, withWorkstationPage } from './harness';

/** Browser mode against the reference hub: a document sent by another agency arrives on "Liên thông". */
describe('browser mode: "Liên thông"', () => {
  let hub: Hub;
  let page: Page;
  let consoleErrors: string[];
  let settingsFile: string;

  beforeAll(async () => {
    hub = await testHub();
    const dataDir = tempDir('vanthu-e2e-exchange-');
    writeFileSync(join(dataDir, 'exchange.json'), JSON.stringify({ endpoint: hub.url, systemid: AGENCY_B.OrganId, organId: AGENCY_B.OrganId, organName: AGENCY_B.OrganName, tls: { ca: TLS.ca }, pollMs: 3_600_000 }));
    writeSecret(dataDir, 'exchange-hmac', Buffer.from(SECRETS[AGENCY_B.OrganId]!));
    settingsFile = join(dataDir, 'settings.json');
    writeFileSync(settingsFile, JSON.stringify({ ...demoSettings({ ...process.env, VANTHU_DATA_DIR: dataDir }), dataDir }));
    const a = workstation(hub, AGENCY_A);
    a.engine.queueDocument(await issuedDocument(a, [AGENCY_B], { subject: 'Về việc thử liên thông trên trình duyệt' }), [AGENCY_B]);
    await a.engine.syncOnce();
    a.close();
  });

  afterAll(async () => {
    await hub?.close();
  });

  withWorkstationPage({ env: () => ({ VANTHU_CONFIG: settingsFile }), page: { viewport: { width: 1366, height: 768 } } }, (s) => {
    ({ page, consoleErrors } = s);
  });

  it('syncs on request, shows the arrival and the indicator, verifies the attachment', async () => {
    await page.getByRole('navigation', { name: 'Điều hướng chính' }).getByText('Liên thông', { exact: true }).first().click();
    await page.getByText('Trao đổi văn bản qua trục liên thông').waitFor();
    await page.getByRole('button', { name: 'Đồng bộ ngay' }).click();
    const row = page.getByRole('row', { name: /Về việc thử liên thông trên trình duyệt/ });
    await row.waitFor({ timeout: 30_000 });
    await expect.poll(() => page.getByTestId('sync-indicator').innerText(), { timeout: 30_000 }).toMatch(/^Đồng bộ thành công gần nhất: \d{4}-\d\d-\d\dT/);
    await row.getByRole('button', { name: 'Kiểm tra chữ ký' }).click();
    await page.getByText(/\.signed\.pdf: /).waitFor();
    await screenshot(page, 'exchange');
    expect(hub.store.pending(AGENCY_B.OrganId, 'edoc')).toHaveLength(0);
    expect(consoleErrors).toEqual([]);
  });
});
