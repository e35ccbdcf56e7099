import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

/** The few page globals these helpers touch (the test project has no DOM types). */
interface PageGlobals {
  sessionStorage: { getItem(k: string): string | null };
  document: { documentElement: { scrollWidth: number; clientWidth: number } };
  axe?: { run(ctx: unknown, opts: unknown): Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> }> }> };
}

/**
 * A contract call from inside the page, over the same authenticated bridge the screens use: tests
 * set up register data through the one API instead of reaching into the database.
 */
export async function rpc<T = unknown>(page: Page, method: string, input: unknown): Promise<T> {
  const env = await page.evaluate(
    async ([m, body]) => {
      const res = await fetch(`/rpc/${m}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-vanthu-secret': (globalThis as unknown as PageGlobals).sessionStorage.getItem('vanthu.secret') ?? '' }, body: JSON.stringify(body) });
      return (await res.json()) as { ok: boolean; value?: unknown; error?: { code: string; message: string } };
    },
    [method, input] as const,
  );
  if (!env.ok) throw new Error(`${method}: ${env.error?.code} ${env.error?.message}`);
  return env.value as T;
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation { id: string; impact: string | null; help: string; nodes: string[] }

/**
 * axe-core run in the page (WCAG 2.x A and AA rules). The script goes in through the DevTools
 * protocol, which the page's CSP does not govern; the page itself is never loosened for the test.
 */
export async function axeScan(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const g = globalThis as unknown as PageGlobals;
    const r = await g.axe!.run(g.document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => JSON.stringify(n.target)) }));
  });
}

/** Only what the issue forbids: serious and critical findings. */
export function serious(violations: AxeViolation[]): AxeViolation[] {
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** The page fits 1366 px without a horizontal scroll bar. */
export async function hasHorizontalScroll(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const root = (globalThis as unknown as PageGlobals).document.documentElement;
    return root.scrollWidth > root.clientWidth;
  });
}

/** A calendar day shifted by whole days (YYYY-MM-DD in, YYYY-MM-DD out). */
export function addDaysIso(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Logs a token in on "Thiết bị ký số", as the clerk does before signing. */
export async function loginToken(page: Page, label: string, pin: string): Promise<void> {
  await page.getByRole('button', { name: 'Thiết bị ký số' }).click();
  const card = page.locator(`[data-token-label="${label}"]`);
  await card.locator('input[name="pin"]').fill(pin);
  await card.getByRole('button', { name: 'Đăng nhập' }).click();
  await card.getByText('Đăng nhập token thành công.').waitFor();
}
