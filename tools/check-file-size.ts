/**
 * Keeps modules small (docs/architecture.md): a source file in src-main or src-renderer over MAX_LINES
 * lines must say why in its first three lines, as a comment containing "Long file: <reason>".
 * Usage: node --import tsx tools/check-file-size.ts [root]; exit 1 and a line per file over the limit.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

export const MAX_LINES = 400;
const REASON_RE = /Long file: \S/;

function* sources(dir: string): Generator<string> {
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) yield* sources(p);
    else if (/\.(ts|tsx|mts|cts)$/.test(e)) yield p;
  }
}

export function oversizedFiles(root: string): Array<{ file: string; lines: number }> {
  const out: Array<{ file: string; lines: number }> = [];
  for (const top of ['src-main', 'src-renderer']) {
    for (const file of sources(join(root, top))) {
      const lines = readFileSync(file, 'utf8').split('\n');
      const count = lines.at(-1) === '' ? lines.length - 1 : lines.length;
      if (count > MAX_LINES && !REASON_RE.test(lines.slice(0, 3).join('\n'))) out.push({ file: relative(root, file), lines: count });
    }
  }
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const found = oversizedFiles(resolve(process.argv[2] ?? join(import.meta.dirname, '..')));
  for (const f of found) console.error(`${f.file}: ${f.lines} lines (over ${MAX_LINES}) and no "Long file: <reason>" comment in its first three lines`);
  process.exitCode = found.length ? 1 : 0;
}
