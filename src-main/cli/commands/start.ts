import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { loadSettings, repoRoot } from '../../core/config';
import { stderrLogger } from '../../core/log';
import { startBrowserMode } from '../../bridge/browser-mode';
import { EXIT, parseArgs, type CliCommand } from '../io';

/**
 * `vanthu start [--browser] [--no-open]`: Electron where its binary exists, else browser mode.
 * The Electron package downloads its binary on first require(), which fails on machines without a
 * network, so presence is read from its path.txt and dist folder instead of requiring it.
 */
export function electronBinary(): string | null {
  const pkg = join(repoRoot, 'node_modules/electron');
  const pathTxt = join(pkg, 'path.txt');
  if (!existsSync(pathTxt)) return null;
  const bin = join(pkg, 'dist', readFileSync(pathTxt, 'utf8').trim());
  return existsSync(bin) ? bin : null;
}

/**
 * Opens the address without putting the secret on a command line (other local users can read argv):
 * the browser gets a private launcher file that redirects to the address.
 */
function openInBrowser(url: string): void {
  const dir = mkdtempSync(join(tmpdir(), 'vanthu-open-'));
  const launcher = join(dir, 'open.html');
  const escaped = url.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  writeFileSync(launcher, `<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${escaped}">`, { mode: 0o600 });
  for (const browser of ['xdg-open', 'chromium']) {
    if (spawnSync('which', [browser]).status === 0) {
      spawn(browser, [launcher], { stdio: 'ignore', detached: true }).unref();
      // The page has read the secret once it has loaded; the launcher need not outlive that.
      setTimeout(() => rmSync(dir, { recursive: true, force: true }), 30_000).unref();
      return;
    }
  }
  rmSync(dir, { recursive: true, force: true });
}

const start: CliCommand = async (args, io) => {
  const { flags } = parseArgs(args, ['browser', 'no-open']);
  const log = stderrLogger(io.env.VANTHU_LOG_LEVEL === 'debug' ? 'debug' : 'info');
  const electron = flags.has('browser') ? null : electronBinary();
  if (electron) {
    const built = spawnSync('bash', [join(repoRoot, 'tools/bundle-electron.sh')], { stdio: 'inherit' });
    if (built.status !== 0) return EXIT.SOFTWARE;
    const child = spawn(electron, [join(repoRoot, 'out/electron/main.cjs')], { stdio: 'inherit' });
    return await new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? 0)));
  }
  io.out('Không tìm thấy Electron: chạy ở chế độ trình duyệt (chỉ trên máy này, 127.0.0.1).');
  const settings = loadSettings(io.env);
  const running = await startBrowserMode(settings, log);
  io.out(`Mở địa chỉ sau trong trình duyệt (chứa khóa phiên dùng một lần, không chia sẻ):`);
  io.out(running.url);
  // Machine-readable line for scripts and tests.
  io.out(`VANTHU_READY ${JSON.stringify({ url: running.url, port: running.port })}`);
  if (!flags.has('no-open') && io.env.DISPLAY) openInBrowser(running.url);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await running.stop();
  return EXIT.OK;
};

export default start;
