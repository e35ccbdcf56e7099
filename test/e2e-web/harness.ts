import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { loadPki, repoRoot } from '../helpers/pki';
import { approvePdf, makeSampleDocument } from '../../src-main/core/pdf/sign/index';
import { p12Signer, issuingChain } from '../sign/helpers/software-signer';
import { SIGNATURE_PNG, tempDir } from '../sign/helpers/fixtures';
import { dateInVietnam, isoVietnam, timeInVietnam } from '../../src-main/contract/time';

export const CHROMIUM = '/usr/bin/chromium';
export const screenshotDir = join(repoRoot, '.tmp/screenshots');

export interface Workstation {
  url: string;
  port: number;
  child: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

/**
 * Starts the real `vanthu start --browser` in a child process with a fresh profile folder (or the one
 * `env` names); `bin` runs another entry of the same CLI (the first-screen bench runs the built one).
 */
export async function startWorkstation(env: NodeJS.ProcessEnv = {}, bin = join(repoRoot, 'src-main/cli/bin.cjs')): Promise<Workstation> {
  const dataDir = env.VANTHU_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'vanthu-e2e-'));
  const child = spawn(process.execPath, [bin, 'start', '--browser', '--no-open'], {
    cwd: repoRoot,
    env: { ...process.env, ...env, VANTHU_DATA_DIR: dataDir, DISPLAY: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const ready = await new Promise<{ url: string; port: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`workstation did not start:\n${out}`)), 120_000);
    const poll = setInterval(() => {
      const m = /VANTHU_READY (\{.*\})/.exec(out);
      if (m) {
        clearTimeout(timer);
        clearInterval(poll);
        resolve(JSON.parse(m[1]!) as { url: string; port: number });
      }
    }, 50);
    child.once('exit', (code) => {
      clearTimeout(timer);
      clearInterval(poll);
      reject(new Error(`workstation exited with ${code}:\n${out}`));
    });
  });
  return {
    ...ready,
    child,
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/**
 * Debian's Chromium, never a downloaded browser. The flags suit a container without a display or
 * network: no sandbox (no user namespaces), no GPU, nothing fetched in the background, a small /dev/shm.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error('Chromium is missing: run `bash native/install-system-packages.sh`');
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', '--lang=vi-VN'],
  });
}

/**
 * The browser's time zone: one whose calendar day is not Vietnam's for the next hour or more, so a
 * screen that takes the browser's own day for Vietnam's (dayjs(), new Date().getDate()) shows the wrong
 * day, and its test fails, whenever the suite runs. Before 18:00 in Vietnam UTC−12 is still on
 * yesterday (until 19:00); from 18:00 UTC+14 is already on tomorrow (from 17:00).
 */
function otherDayZone(): string {
  return Number(timeInVietnam(new Date()).slice(0, 2)) < 18 ? 'Etc/GMT+12' : 'Etc/GMT-14';
}

/**
 * Vietnam's date, for a test file that reads it once as it loads. Within five minutes of midnight in
 * Vietnam (the longest file takes under one) it first waits until midnight has passed: a file run
 * across it would write yesterday's date into forms that the workstation checks against today's.
 */
export async function dayForTheFile(): Promise<string> {
  const [h, m, sec] = isoVietnam(new Date()).slice(11, 19).split(':').map(Number) as [number, number, number];
  const left = 86_400 - (h * 3600 + m * 60 + sec);
  if (left < 300) await new Promise((resolve) => setTimeout(resolve, (left + 5) * 1000));
  return dateInVietnam();
}

/**
 * A Vietnamese page on the workstation's address, collecting console errors and uncaught exceptions
 * (the favicon request aside) so a test can assert the UI ran cleanly.
 */
export async function openPage(browser: Browser, url: string, opts: BrowserContextOptions = {}): Promise<{ page: Page; consoleErrors: string[] }> {
  const consoleErrors: string[] = [];
  const page = await browser.newPage({ locale: 'vi-VN', timezoneId: otherDayZone(), ...opts });
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().includes('favicon')) consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  await page.goto(url);
  return { page, consoleErrors };
}

export interface WorkstationPage {
  ws: Workstation;
  browser: Browser;
  page: Page;
  consoleErrors: string[];
}

/**
 * The set-up every browser test shares, as hooks of the describe block that calls it: the workstation
 * (`env` is asked when the hook runs, after the block's earlier hooks made its fixtures), Debian's
 * Chromium and one Vietnamese page on it; `ready` takes them (and may open the screen under test).
 * All closed after the block, after the block's own later after-hooks.
 */
export function withWorkstationPage(opts: { env?: () => NodeJS.ProcessEnv; page?: BrowserContextOptions }, ready: (s: WorkstationPage) => void | Promise<void>): void {
  const s: Partial<WorkstationPage> = {};
  beforeAll(async () => {
    s.ws = await startWorkstation(opts.env?.() ?? {});
    s.browser = await launchChromium();
    Object.assign(s, await openPage(s.browser, s.ws.url, opts.page));
    await ready(s as WorkstationPage);
  });
  afterAll(async () => {
    await s.browser?.close();
    await s.ws?.stop();
  });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** A Decree-30 sample approved by the P12 leader "Trần Thị Bình" (trusted chain): input for issuing. */
export async function leaderSignedSample(): Promise<{ unsigned: Buffer; signed: Buffer }> {
  const pki = loadPki();
  const unsigned = Buffer.from(await makeSampleDocument({ signerName: 'Trần Thị Bình', signerTitle: 'PHÓ CHỦ TỊCH' }));
  const out = join(tempDir('leader'), 'approved.pdf');
  await approvePdf(unsigned, out, p12Signer(pki, 'leader2'), { image: SIGNATURE_PNG, intermediates: issuingChain(pki) });
  return { unsigned, signed: readFileSync(out) };
}

/**
 * `openssl ocsp` over the issuing CA's database at the address the test certificates name in their
 * AIA (pki.ocspUrl), so the workstation's online revocation check answers "good" as in production.
 */
export async function startAiaOcspResponder(): Promise<{ stop(): void }> {
  const pki = loadPki();
  const { port } = new URL(pki.ocspUrl);
  const child = spawn('openssl', ['ocsp', '-index', join(pki.caDirs.issuing, 'index.txt'), '-port', port,
    '-rsigner', join(pki.certs, 'ocsp.crt'), '-rkey', join(pki.keys, 'ocsp.key'), '-CA', join(pki.certs, 'issuing-ca.crt'), '-ndays', '1'], { stdio: ['ignore', 'ignore', 'pipe'] });
  // Readiness from its own words: a probe connection would occupy the single-threaded responder.
  let err = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`openssl ocsp did not start: ${err}`)), 10_000);
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.includes('waiting for OCSP client connections')) { clearTimeout(timer); resolve(); }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`openssl ocsp exited with ${code} (port ${port} busy?): ${err}`)); });
  });
  return { stop: () => void child.kill() };
}
