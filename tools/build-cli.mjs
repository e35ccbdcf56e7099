// Builds the fast CLI into OUTDIR (default out/cli; it must sit two levels below the root like
// src-main/core, so core/paths.ts finds resources/ from either):
//   cli-<group>.cjs     one command group: src-main/cli/main.ts with that group alone in its command table,
//                       and what it reaches (the loader picks it by the command's first word); the
//                       read-only groups leave the signing stack's packages outside (SIGNING_STACK);
//   cli.cjs             src-main/cli/main.ts and every npm package it reaches in one CommonJS file. A
//                       command group's modules (and the packages only they use) are evaluated when the
//                       group is named: esbuild turns each `import()` of a bundled module into a lazy init.
//                       CommonJS because only a classic script can take a V8 code cache on Node 20 (no
//                       module compile cache there; the ESM loader lexes and compiles every start).
//   run.cjs             the loader (tools/cli-loader.cjs): compiles cli.cjs with its code cache.
//   register-worker.mjs the register worker thread (ESM: a Worker is started from a file), and
//   exchange-worker.mjs the exchange's extension it loads from beside itself.
//   build.json          when the build started and the source files it read: bin.cjs uses this build
//                       only while none of them is newer, so an edited checkout never runs stale code.
// Native modules and pdf.js stay outside (they load files beside themselves).
import { copyFileSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import ts from 'typescript';

const root = resolve(import.meta.dirname, '..');
const out = resolve(root, process.argv[2] ?? 'out/cli');
// Built beside and renamed into place: a CLI started during a build never sees half a folder.
const partial = `${out}.partial-${process.pid}`;
const startedAt = Date.now();
const EXTERNAL = ['better-sqlite3', 'pkcs11js', 'pdfjs-dist', 'tsx', 'electron'];
// Packages imported at the top of a module every command loads, used by few commands, and costly to
// initialise: axios (the revocation fetcher's HTTP client) reaches for fetch's globals as it loads, and
// that loads Node's undici, a large part of `vanthu verify --offline`, which never fetches; pkijs
// defines some 300 classes as it loads (≈ 3 ms), and a verification needs it only for revocation data,
// timestamps and names written in other string types.
const LAZY_PACKAGES = ['axios', 'pkijs'];
// The packages of the signing, printing and scanning stacks, and the HTTP client, stay outside the
// bundles of the groups that only read (verify, token, trust): half of what the backend reaches, 2 MB
// of `vanthu verify`'s 4 MB bundle, read and checked against the code cache at every start (≈ 5 ms)
// though never evaluated. Should such a group ever reach one (trust refresh fetches over HTTP), it
// loads from node_modules as a package does from the sources: correct, only outside the code cache.
// jpeg-js stays inside: the verifier's reading of scanned pages imports it (verify/scan-page.ts), so
// outside it was compiled afresh at every start (≈ 3 ms).
const SIGNING_STACK = ['@cantoo/pdf-lib', '@cantoo/fontkit', 'fontkit', 'brotli', 'culori', 'html-entities', 'node-html-better-parser', 'axios'];
const READ_ONLY_GROUPS = new Set(['verify', 'token', 'trust']);

rmSync(partial, { recursive: true, force: true });
mkdirSync(partial, { recursive: true });
try {
  const common = { bundle: true, platform: 'node', target: 'node20', external: EXTERNAL, absWorkingDir: root, logLevel: 'warning', metafile: true };
  const cliBuild = (file, plugins, external = EXTERNAL) => build({
    ...common,
    external,
    entryPoints: ['src-main/cli/main.ts'],
    plugins: [onFirstUse(LAZY_PACKAGES), ...plugins],
    outfile: join(partial, file),
    format: 'cjs',
    // Core modules use import.meta.dirname/url (ESM in a checkout); here they are the bundle's own folder and URL.
    // A production build: the dispatcher skips its output-schema check (contract/dispatch.ts), which the
    // tests run from the sources keep.
    define: { 'import.meta.dirname': '__dirname', 'import.meta.url': '__vanthuModuleUrl', 'process.env.NODE_ENV': '"production"' },
    banner: { js: "'use strict'; const __vanthuModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
    // Smaller is faster to read; names are kept so a crash's stack still says where.
    minifyWhitespace: true, minifySyntax: true, legalComments: 'none', charset: 'ascii',
  }).then((result) => { asciiOnly(join(partial, file)); return result; });
  // Every command group in a bundle of its own (cli-<group>.cjs: the other groups' command modules stay
  // out, though the backend still reaches every domain, lazily), and cli.cjs with all of them for help
  // and unknown names.
  const cli = await cliBuild('cli.cjs', []);
  const groups = [];
  for (const { group, module } of commandGroups()) {
    groups.push(await cliBuild(`cli-${group}.cjs`, [onlyCommand(group, module)], READ_ONLY_GROUPS.has(group) ? [...EXTERNAL, ...SIGNING_STACK] : EXTERNAL));
  }
  const workerBuild = (entry, file) => build({
    ...common,
    entryPoints: [entry],
    outfile: join(partial, file),
    format: 'esm',
    // `require` for the CommonJS code inside the ESM bundle.
    banner: { js: "import { createRequire as __vanthuRequire } from 'node:module'; const require = __vanthuRequire(import.meta.url);" },
  });
  const worker = await workerBuild('src-main/core/register/worker-host.ts', 'register-worker.mjs');
  // The exchange's part of the register worker, found beside it (core/services/exchange-remote.ts).
  const exchangeWorker = await workerBuild('src-main/core/services/exchange-worker.ts', 'exchange-worker.mjs');
  copyFileSync(join(root, 'tools/cli-loader.cjs'), join(partial, 'run.cjs'));
  const inputs = [...new Set([cli, ...groups, worker, exchangeWorker].flatMap((b) => Object.keys(b.metafile.inputs)))]
    // Our sources only: packages are covered by the lock below (a symlinked node_modules shows up under
    // another path), and the stand-ins onFirstUse makes are no file.
    .filter((f) => f.startsWith('src-main/'))
    .sort();
  // npm rewrites node_modules/.package-lock.json on every install: one file stands for every bundled package.
  inputs.push('node_modules/.package-lock.json', 'tools/build-cli.mjs', 'tools/cli-loader.cjs');
  writeFileSync(join(partial, 'build.json'), JSON.stringify({ startedAt, inputs }));
  rmSync(out, { recursive: true, force: true });
  renameSync(partial, out);
} catch (e) {
  rmSync(partial, { recursive: true, force: true });
  throw e;
}

/** The command groups of src-main/cli/commands/index.ts and the module of each (its static table of loaders). */
function commandGroups() {
  const table = readFileSync(join(root, 'src-main/cli/commands/index.ts'), 'utf8');
  const groups = [...table.matchAll(/^\s+'?([a-z][a-z0-9-]*)'?: \(\) => import\('(\.\/[a-z0-9-]+)'\),$/gm)].map((m) => ({ group: m[1], module: m[2] }));
  if (groups.length === 0) throw new Error('no command group found in src-main/cli/commands/index.ts');
  return groups;
}

/** The command table with `group` alone: its bundle holds that group's code and nothing of the others. */
function onlyCommand(group, module) {
  return {
    name: 'only-command',
    setup(b) {
      b.onResolve({ filter: /^\.\/commands$/ }, (args) => (args.importer.endsWith(join('src-main', 'cli', 'main.ts')) ? { path: group, namespace: 'only-command' } : undefined));
      b.onLoad({ filter: /.*/, namespace: 'only-command' }, () => ({
        resolveDir: join(root, 'src-main/cli/commands'),
        contents: `export const COMMANDS = { ${JSON.stringify(group)}: () => import(${JSON.stringify(module)}) };`,
        loader: 'ts',
      }));
    },
  };
}

/**
 * Each named package's default export becomes a stand-in that loads the package on first use (a
 * property read or a call), as esbuild already does for our own modules behind import(). A named
 * import of such a package has no stand-in and fails the build, so nothing is half-deferred.
 */
function onFirstUse(packages) {
  const filter = new RegExp(`^(?:${packages.join('|')})$`);
  return {
    name: 'on-first-use',
    setup(b) {
      // The stand-in's own require of the package (pluginData set below) resolves normally.
      b.onResolve({ filter }, (args) => (args.pluginData === 'real' ? undefined : { path: args.path, namespace: 'on-first-use' }));
      b.onLoad({ filter: /.*/, namespace: 'on-first-use' }, (args) => ({
        resolveDir: root,
        pluginData: 'real',
        contents: `let real;
const load = () => (real ??= require(${JSON.stringify(args.path)}));
export default new Proxy(function () {}, { get: (_, key) => load()[key], apply: (_, self, args) => Reflect.apply(load(), self, args) });`,
      }));
    },
  };
}

/**
 * The loader reads cli.cjs as Latin-1 (a tenth of the time UTF-8 decoding of 7 MB takes), which is the
 * same text only while every byte is ASCII. esbuild escapes strings, templates and identifiers and
 * minifying drops the comments; it leaves non-ASCII in regular expression literals, where \uXXXX stands
 * for the same UTF-16 code unit (with or without the u flag), and in tagged templates, where it would
 * not (String.raw sees the escape). So the file is parsed, every non-ASCII code unit must sit in a
 * regular expression literal, and only those are escaped; anything else fails the build.
 */
function asciiOnly(file) {
  const text = readFileSync(file, 'utf8');
  const regexps = [];
  const visit = (node) => {
    if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) regexps.push([node.getStart(source), node.end]);
    else ts.forEachChild(node, visit);
  };
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  visit(source);
  const inRegexp = (at) => regexps.some(([from, to]) => at >= from && at < to);
  const out = text.replace(/[^\x00-\x7f]/g, (c, at) => {
    if (!inRegexp(at)) throw new Error(`${file}: non-ASCII outside a regular expression at offset ${at}: …${text.slice(at - 40, at + 10)}…`);
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
  writeFileSync(file, out);
}
