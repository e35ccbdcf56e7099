import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { repoRoot } from '../helpers/pki';

export const CHROMIUM = '/usr/bin/chromium';
export const screenshotDir = join(repoRoot, '.tmp/screenshots');

export interface Workstation {
  url: string;
  port: number;
  child: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

/** Starts the real `vanthu start --browser` in a child process with a fresh profile folder. */
export async function startWorkstation(env: NodeJS.ProcessEnv = {}): Promise<Workstation> {
  const dataDir = mkdtempSync(join(tmpdir(), 'vanthu-e2e-'));
  const child = spawn(process.execPath, [join(repoRoot, 'src-main/cli/bin.mjs'), 'start', '--browser', '--no-open'], {
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

/** Debian's Chromium, never a downloaded browser (flags from setup.md §3.4). */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error('Chromium is missing: run `bash native/install-system-packages.sh`');
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
