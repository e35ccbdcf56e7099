#!/usr/bin/env node
// The `vanthu` command. Runs the built CLI (out/cli, tools/build-cli.sh) while no source file it was
// built from is newer than the build (built.mjs), else the TypeScript sources through tsx: an edited
// checkout never runs stale code, and VANTHU_FROM_SOURCE=1 forces the sources.
import { join } from 'node:path';
import { builtIsFresh } from './built.mjs';

const root = join(import.meta.dirname, '..', '..');
const out = join(root, 'out', 'cli');

if (process.env.VANTHU_FROM_SOURCE !== '1' && builtIsFresh(root, out)) {
  await import(join(out, 'run.mjs'));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./run.ts');
}
