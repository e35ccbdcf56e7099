import { existsSync, readFileSync } from 'node:fs';
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
  if (!flags.has('no-open') && io.env.DISPLAY) {
    for (const browser of ['xdg-open', 'chromium']) {
      const r = spawnSync('which', [browser]);
      if (r.status === 0) {
        spawn(browser, [running.url], { stdio: 'ignore', detached: true }).unref();
        break;
      }
    }
  }
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await running.stop();
  return EXIT.OK;
};

export default start;
