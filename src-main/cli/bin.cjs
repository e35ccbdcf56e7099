#!/usr/bin/env node
// The `vanthu` command. Runs the built CLI (out/cli, tools/build-cli.sh) while no source file it was
// built from is newer than the build (built.cjs), else the TypeScript sources through tsx: an edited
// checkout never runs stale code, and VANTHU_FROM_SOURCE=1 forces the sources.
// CommonJS, as is the built CLI's loader: an ES-module entry costs every command Node's ESM loader and
// its module facades of the built-ins (about 12 ms of a 150 ms `vanthu register search`).
'use strict';
const { join } = require('node:path');
const { builtIsFresh } = require('./built.cjs');

const root = join(__dirname, '..', '..');
const out = join(root, 'out', 'cli');

if (process.env.VANTHU_FROM_SOURCE !== '1' && builtIsFresh(root, out)) {
  require(join(out, 'run.cjs'));
} else {
  import('tsx/esm/api')
    .then(({ register }) => {
      register();
      return import('./run.ts');
    })
    .catch((e) => {
      process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 70;
    });
}
