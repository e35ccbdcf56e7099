/**
 * `npm run conformance`: prints the conformance map of docs/conformance.md with, for each article, the
 * tests that show it and whether they passed. A test shows an article when its title starts with the
 * article's reference ("Đ17.4.c refuses …"; several references may lead, separated by commas).
 *
 * By default it runs the suites with those titles (vitest, name filter on "Đ"); with --last it reads the
 * reports of the last `npm test` (.tmp/vitest-node.json, .tmp/vitest-e2e.json) instead.
 * Exit 1 when a mapped test failed or an "In" row has no test.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface Row { ref: string; behaviour: string; scope: string }
export interface TestResult { title: string; file: string; status: string }

const ROOT = resolve(import.meta.dirname, '..');
const REF_RE = /^Đ\d+(?:\.\d+)*(?:\.[a-d](?:–[a-d])?)?(?: ¶\d)?/;

/** The rows of the map: a Markdown table whose first cell is an article reference. */
export function readRows(markdown: string): Row[] {
  const rows: Row[] = [];
  for (const line of markdown.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 5 || !REF_RE.test(cells[1] ?? '')) continue;
    rows.push({ ref: cells[1]!, behaviour: cells[2]!, scope: cells[3]! });
  }
  return rows;
}

/** The article references a test title starts with ("Đ9.3, Đ10.1 registers …" → both). */
export function refsOf(title: string): string[] {
  const refs: string[] = [];
  let rest = title;
  for (;;) {
    const m = REF_RE.exec(rest);
    if (!m) return refs;
    refs.push(m[0]);
    rest = rest.slice(m[0].length).replace(/^,\s*/, '');
  }
}

function resultsFrom(file: string): TestResult[] {
  if (!existsSync(file)) return [];
  const report = JSON.parse(readFileSync(file, 'utf8')) as { testResults: Array<{ name: string; assertionResults: Array<{ title: string; status: string }> }> };
  return report.testResults.flatMap((f) => f.assertionResults.map((a) => ({ title: a.title, file: f.name.replace(`${ROOT}/`, ''), status: a.status })));
}

function runSuites(): TestResult[] {
  const out: TestResult[] = [];
  const runs: Array<[string, string[]]> = [
    ['.tmp/vitest-conformance-node.json', []],
    ['.tmp/vitest-conformance-e2e.json', ['--config', 'test/e2e-web/vitest.config.ts']],
  ];
  for (const [report, extra] of runs) {
    spawnSync('npx', ['vitest', 'run', ...extra, '--testNamePattern', 'Đ\\d', '--passWithNoTests', '--reporter=json', `--outputFile.json=${report}`], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    out.push(...resultsFrom(join(ROOT, report)));
  }
  return out;
}

export function conformanceTable(rows: Row[], results: TestResult[]): { lines: string[]; problems: number } {
  const byRef = new Map<string, TestResult[]>();
  for (const r of results) for (const ref of refsOf(r.title)) (byRef.get(ref) ?? byRef.set(ref, []).get(ref)!).push(r);
  const lines: string[] = [];
  let problems = 0;
  for (const row of rows) {
    const tests = (byRef.get(row.ref) ?? []).filter((t) => t.status !== 'skipped' && t.status !== 'pending');
    const failed = tests.filter((t) => t.status !== 'passed');
    const inScope = /^In\b/.test(row.scope);
    const status = failed.length ? `FAILED ${failed.length}/${tests.length}` : tests.length ? `passed ${tests.length}` : inScope ? 'NO TEST' : '—';
    if (failed.length || (inScope && !tests.length)) problems++;
    lines.push(`${row.ref.padEnd(12)} ${status.padEnd(14)} ${row.scope.split(' ')[0]!.padEnd(8)} ${row.behaviour}`);
    for (const t of tests) lines.push(`${''.padEnd(14)}${t.status === 'passed' ? '✓' : '✗'} ${t.file} › ${t.title}`);
  }
  return { lines, problems };
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const rows = readRows(readFileSync(join(ROOT, 'docs/conformance.md'), 'utf8'));
  const results = process.argv.includes('--last')
    ? [...resultsFrom(join(ROOT, '.tmp/vitest-node.json')), ...resultsFrom(join(ROOT, '.tmp/vitest-e2e.json'))]
    : runSuites();
  const { lines, problems } = conformanceTable(rows, results);
  console.log(lines.join('\n'));
  console.log(`\n${rows.length} articles mapped; ${problems} with a failed test or an "In" row without a test.`);
  process.exitCode = problems ? 1 : 0;
}
