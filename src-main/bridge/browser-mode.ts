import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { createBackend } from '../core/backend';
import { repoRoot, type Settings } from '../core/config';
import type { Logger } from '../core/log';
import { startBridge, type BridgeHandle } from './bridge-host';
import { MAX_FILE_REQUEST_BYTES } from '../contract/files';

export const rendererOutDir = join(repoRoot, 'out/renderer');

/** Newest modification time under a folder (sources of the renderer and the catalogue). */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds the renderer when its output is missing or older than its sources. */
export function ensureRendererBuilt(log: Logger): void {
  const index = join(rendererOutDir, 'index.html');
  const sources = Math.max(newestMtime(join(repoRoot, 'src-renderer')), newestMtime(join(repoRoot, 'resources/i18n')), newestMtime(join(repoRoot, 'src-main/contract')));
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  log.info('building renderer', { out: rendererOutDir });
  execFileSync(process.execPath, [join(repoRoot, 'node_modules/vite/bin/vite.js'), 'build', '--config', join(repoRoot, 'src-renderer/vite.config.ts'), '--logLevel', 'warn'], {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** Backend + bridge + built renderer on 127.0.0.1: the whole workstation without Electron. */
export async function startBrowserMode(settings: Settings, log: Logger): Promise<BridgeHandle & { stop(): Promise<void> }> {
  if (settings.softhsm2Conf) process.env.SOFTHSM2_CONF = settings.softhsm2Conf;
  ensureRendererBuilt(log);
  const backend = await createBackend(settings, log, { host: 'browser' });
  const bridge = await startBridge({ dispatch: backend.dispatch, subscribe: backend.subscribe, staticDir: rendererOutDir, log, maxBodyBytes: MAX_FILE_REQUEST_BYTES });
  return {
    ...bridge,
    async stop() {
      await bridge.close();
      await backend.close();
    },
  };
}
