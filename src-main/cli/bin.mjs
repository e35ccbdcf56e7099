#!/usr/bin/env node
// The `vanthu` command. Runs the built CLI (out/cli, tools/build-cli.sh) when it is newer than every
// source file, else the TypeScript sources through tsx: an edited checkout never runs stale code, and
// VANTHU_FROM_SOURCE=1 forces the sources.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('../..', import.meta.url));
const built = join(root, 'out', 'cli', 'run.mjs');

function newestSource(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return newest;
}

if (process.env.VANTHU_FROM_SOURCE !== '1' && existsSync(built) && statSync(built).mtimeMs > newestSource(join(root, 'src-main'))) {
  process.env.VANTHU_REGISTER_WORKER ??= join(root, 'out', 'cli', 'register-worker.mjs');
  await import(built);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./run.ts');
}
