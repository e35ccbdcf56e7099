// Whether the built CLI may run: out/cli/build.json (tools/build-cli.mjs) lists the files the build read
// and when it started; the build is used only while every one of them still exists and none is newer.
'use strict';
const { readFileSync, statSync } = require('node:fs');
const { join } = require('node:path');

/** @param {string} root the checkout @param {string} out the build folder @returns {boolean} */
function builtIsFresh(root, out) {
  try {
    const { startedAt, inputs } = JSON.parse(readFileSync(join(out, 'build.json'), 'utf8'));
    // Plain concatenation, not path.join: the manifest's paths are relative with '/' (which every
    // platform's stat takes), and normalising a few hundred of them cost ~3 ms of each command's start.
    const base = `${root}/`;
    return inputs.length > 0 && inputs.every((f) => statSync(base + f).mtimeMs < startedAt);
  } catch {
    return false; // no build, an unreadable manifest, or an input gone
  }
}

module.exports = { builtIsFresh };
