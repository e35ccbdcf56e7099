/**
 * `npm run bench [-- <name>…]`: runs every bench/*.bench.ts (or the one named exactly, else those whose
 * file name starts with the name) twice, each time in a fresh Node process:
 *   quiet — nothing else started by the harness;
 *   load  — while one background process spins on one core (bench/load.ts), started before the run
 *           and killed after it: a clerk's PC is never idle, and targets are judged on this column.
 * A bench module default-exports an async function that measures and reports each number through
 * `figure()` (bench/stats.ts), naming its floor (another figure of the same run) and its target; the
 * harness prints one table per bench with both columns, the ratio to the floor in each condition, and
 * the verdict on the load column. Each column header carries the 1-minute load average when its run
 * started (other work on the machine makes "quiet" less quiet). Benches that only print still run
 * twice and print as before.
 * `--only=quiet` or `--only=load` runs one condition (while working on a bench).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startHog } from './load';
import { renderTable, takeFigures, type Condition, type Figure } from './stats';

const dir = import.meta.dirname;
const CONDITIONS = ['quiet', 'load'] as const;
type ConditionName = (typeof CONDITIONS)[number];
/** Lets the hog reach full speed (and the scheduler notice it) before the bench starts. */
const HOG_SETTLE_MS = 500;

if (process.env.VANTHU_BENCH_CHILD) await child(process.env.VANTHU_BENCH_CHILD);
else await main(process.argv.slice(2));

async function main(args: string[]): Promise<void> {
  const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length);
  if (only !== undefined && !CONDITIONS.includes(only as ConditionName)) throw new Error(`--only takes ${CONDITIONS.join(' or ')}`);
  const conditions = CONDITIONS.filter((c) => only === undefined || c === only);
  const wanted = args.filter((a) => !a.startsWith('--'));
  const all = readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).sort();
  // `token` names token.bench.ts alone, not token-delay.bench.ts too; a prefix matches otherwise.
  const pick = (w: string) => (all.includes(`${w}.bench.ts`) ? [`${w}.bench.ts`] : all.filter((f) => f.startsWith(w)));
  const files = wanted.length === 0 ? all : all.filter((f) => wanted.some((w) => pick(w).includes(f)));
  if (files.length === 0) throw new Error(`no bench matches ${wanted.join(', ')}`);
  console.log(`conditions: ${conditions.join(', ')} (load = one process spinning on one core of ${availableParallelism()}); targets judged on the last`);
  const tmp = mkdtempSync(join(tmpdir(), 'vanthu-bench-run-'));
  const tables: string[] = [];
  let failed = 0;
  try {
    for (const f of files) {
      const results: Condition[] = [];
      for (const c of conditions) {
        console.log(`\n=== ${f} — ${c} ===`);
        const out = join(tmp, `${f}.${c}.json`);
        // What else was running shows in the machine's load average: printed so "quiet" can be believed.
        const before = loadavg()[0]!;
        const t0 = performance.now();
        const code = await runCondition(f, c, out);
        console.log(`(${f} ${c}: ${((performance.now() - t0) / 1000).toFixed(1)} s, load average ${before.toFixed(1)} → ${loadavg()[0]!.toFixed(1)}${code === 0 ? '' : `, FAILED with exit code ${code}`})`);
        if (code !== 0) failed++;
        results.push({ label: c, loadAverage: before, figures: code === 0 ? (JSON.parse(readFileSync(out, 'utf8')) as Figure[]) : [] });
      }
      const table = `${f}\n${renderTable(results)}`;
      console.log(`\n${table}`);
      tables.push(table);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  console.log(`\n=== summary (${conditions.join(' / ')}) ===\n${tables.join('\n\n')}`);
  if (failed > 0) {
    console.log(`${failed} bench run(s) failed`);
    process.exitCode = 1;
  }
}

async function runCondition(file: string, condition: ConditionName, out: string): Promise<number> {
  const hog = condition === 'load' ? await startHog() : null;
  try {
    if (hog) await new Promise((r) => setTimeout(r, HOG_SETTLE_MS));
    const proc = spawn(process.execPath, [...process.execArgv, import.meta.filename], {
      stdio: 'inherit',
      // TMPDIR: the bench's scratch folders (an exchange run's hub store is over a gigabyte) go inside
      // the run's own folder, removed when the run ends, as are those of the processes it starts.
      env: { ...process.env, TMPDIR: dirname(out), VANTHU_BENCH_CHILD: file, VANTHU_BENCH_FIGURES: out, VANTHU_BENCH_CONDITION: condition },
    });
    return await new Promise<number>((resolve) => proc.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1))));
  } finally {
    await hog?.stop();
  }
}

async function child(file: string): Promise<void> {
  const mod = (await import(pathToFileURL(join(dir, file)).href)) as { default: () => Promise<void> };
  await mod.default();
  writeFileSync(process.env.VANTHU_BENCH_FIGURES!, JSON.stringify(takeFigures()));
  // A bench that leaves a timer or socket open (a poller, a server) must not stall the whole run.
  process.exit(0);
}
