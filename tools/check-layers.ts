/**
 * Layer rules of docs/architecture.md, checked on import specifiers:
 *  - `electron` only in src-main/electron and src-main/preload;
 *  - src-main/contract imports nothing but zod and other contract files;
 *  - src-renderer imports no Node built-in, no native module and nothing from src-main but contract;
 *  - src-main/preload imports nothing but electron;
 *  - inside src-main/core, a unit imports only units of its own rank or lower (CORE_RANKS), never a
 *    folder outside core but the contract, and no two units import each other, directly or round a loop.
 * Usage: node --import tsx tools/check-layers.ts [root]; exit 1 and a line per violation.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative, resolve, sep } from 'node:path';
import { checkCoreOrder } from './core-order';

export interface Violation { file: string; specifier: string; rule: string }

const IMPORT_RE = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;(])import\s*\(\s*['"]([^'"]+)['"]\s*\)|(?:^|[\s;])import\s*['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)/gm;
const NODE_ONLY = new Set([...builtinModules, 'better-sqlite3', 'pkcs11js', 'ws', 'axios', 'tsx']);

function* walk(dir: string): Generator<string> {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const e of entries) {
    if (e === 'node_modules') continue;
    const p = join(dir, e);
    if (statSync(p).isDirectory()) yield* walk(p);
    else if (/\.(ts|tsx|mts|cts|js|mjs|cjs)$/.test(e)) yield p;
  }
}

function specifiers(source: string): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(IMPORT_RE)) {
    const s = m[1] ?? m[2] ?? m[3] ?? m[4];
    if (s) out.push(s);
  }
  return out;
}

const isNodeOnly = (s: string) => s.startsWith('node:') || NODE_ONLY.has(s.split('/')[0]!);
const isElectron = (s: string) => s === 'electron' || s.startsWith('electron/');

export function checkLayers(root: string): Violation[] {
  const v: Violation[] = [];
  const main = join(root, 'src-main');
  const coreImports: Array<{ file: string; specifier: string }> = [];
  for (const file of walk(main)) {
    const rel = relative(main, file).split(sep);
    const layer = rel[0];
    const src = readFileSync(file, 'utf8');
    for (const s of specifiers(src)) {
      const at = relative(root, file);
      if (layer === 'core') coreImports.push({ file, specifier: s });
      if (isElectron(s) && layer !== 'electron' && layer !== 'preload') v.push({ file: at, specifier: s, rule: 'electron is imported only in src-main/electron and src-main/preload' });
      if (layer === 'contract' && !(s === 'zod' || s.startsWith('./') || (s.startsWith('../') && resolve(file, '..', s).startsWith(join(main, 'contract')))))
        v.push({ file: at, specifier: s, rule: 'contract imports only zod and contract files' });
      if (layer === 'preload' && !isElectron(s)) v.push({ file: at, specifier: s, rule: 'preload imports only electron' });
    }
  }
  v.push(...checkCoreOrder(root, coreImports));
  const renderer = join(root, 'src-renderer');
  for (const file of walk(renderer)) {
    if (file.endsWith('vite.config.ts')) continue; // build configuration, runs in Node
    const at = relative(root, file);
    for (const s of specifiers(readFileSync(file, 'utf8'))) {
      if (isNodeOnly(s) || isElectron(s)) v.push({ file: at, specifier: s, rule: 'renderer imports no Node or native module' });
      if (s.includes('src-main/') && !s.includes('src-main/contract')) v.push({ file: at, specifier: s, rule: 'renderer reaches src-main only through contract' });
      if (s.startsWith('@') && s.split('/')[0] === '@core') v.push({ file: at, specifier: s, rule: 'renderer reaches src-main only through contract' });
    }
  }
  const seen = new Set<string>();
  return v.filter((x) => {
    const key = `${x.file}\0${x.specifier}\0${x.rule}`;
    return !seen.has(key) && (seen.add(key), true);
  });
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const root = resolve(process.argv[2] ?? join(import.meta.dirname, '..'));
  const violations = checkLayers(root);
  for (const x of violations) console.error(`${x.file}: imports '${x.specifier}' — ${x.rule}`);
  process.exitCode = violations.length ? 1 : 0;
}
