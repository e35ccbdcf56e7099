// The built CLI's entry (copied to out/cli/run.cjs by tools/build-cli.mjs): compiles cli.cjs as a
// classic script with a V8 code cache, then runs main(). Most of a cold start is V8 compiling the
// bundled packages (pkijs, zod, …); the cache holds the bytecode a previous run of the same command
// group compiled, so the next run deserialises it instead.
//
// One cache per command group (cache/<group>.v8), written after a run that had none or whose cache V8
// refused (another Node version or flags: `cachedDataRejected`). V8 checks only the source's length,
// so each cache starts with a stamp of the bundle it was made from (size, mtime, Node version): a
// cache from another build is never handed to V8. Writes go to a temp file renamed into place
// (parallel runs), and a folder that cannot be written only means no cache.
'use strict';
const { closeSync, fstatSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { join } = require('node:path');
const vm = require('node:vm');

const dir = __dirname;
const argv = process.argv.slice(2);
const group = /^[a-z][a-z0-9-]*$/.test(argv[0] ?? '') ? argv[0] : 'help';

// The group's own bundle (tools/build-cli.mjs), else the one with every group (help, an unknown name).
// One descriptor for the stamp and the text: a rebuild in between cannot pair one file's stamp with another's text.
let bundle = join(dir, `cli-${group}.cjs`);
// One cache per bundle: every name without a bundle of its own (help, a typo) shares cli.cjs's, so a
// mistyped command leaves no cache file behind.
let cacheName = group;
let fd;
try {
  fd = openSync(bundle);
} catch {
  bundle = join(dir, 'cli.cjs');
  cacheName = 'all';
  fd = openSync(bundle);
}
const cacheFile = join(dir, 'cache', `${cacheName}.v8`);
const st = fstatSync(fd);
const stamp = Buffer.from(`vanthu-cli ${st.size} ${st.mtimeMs} ${process.version}\n`);
const text = readFileSync(fd, 'latin1');
closeSync(fd);
const cached = readCache();
// Latin-1: the build leaves cli.cjs all ASCII (tools/build-cli.mjs), so this is the same text, decoded
// without UTF-8's cost.
const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${text}\n})`, {
  filename: bundle,
  ...(cached ? { cachedData: cached } : {}),
  // pdf.js stays an ES module outside the bundle: its import() goes through Node's own loader.
  importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
});
const bundled = { exports: {} };
script.runInThisContext()(bundled.exports, createRequire(bundle), bundled, bundle, dir);

process.env.VANTHU_REGISTER_WORKER ??= join(dir, 'register-worker.mjs');
// The same entry as the sources' src-main/cli/run.ts.
bundled.exports.main(argv).then((code) => {
  process.exitCode = code;
  if (!cached || script.cachedDataRejected) writeCache(script.createCachedData());
});

function readCache() {
  let file;
  try {
    file = readFileSync(cacheFile);
  } catch {
    return undefined;
  }
  return file.subarray(0, stamp.length).equals(stamp) ? file.subarray(stamp.length) : undefined;
}

function writeCache(data) {
  const temp = `${cacheFile}.${process.pid}.tmp`;
  try {
    mkdirSync(join(dir, 'cache'), { recursive: true });
    writeFileSync(temp, Buffer.concat([stamp, data]));
    renameSync(temp, cacheFile);
  } catch {
    // A read-only install runs without a cache: slower, never wrong.
    rmSync(temp, { force: true });
  }
}
