/**
 * Whole-process start-up of the built CLI (tools/build-cli.sh), as a clerk or a script runs it, through
 * bin.cjs (its freshness check included):
 *   - `vanthu verify --offline` on a 10 MB two-signature PDF beside `pdfsig -no-ocsp` on the same file
 *     (target ≤ 2× pdfsig);
 *   - `vanthu register search` on a register of VANTHU_BENCH_CLI_DOCS documents (default 1,000,000;
 *     built once and kept in .tmp/bench: generating a million takes ~20 minutes on a busy 2-core
 *     machine; a later schema version is migrated by the untimed first run) — target ≤ 150 ms;
 *   - `vanthu token list` on the SoftHSM module — target ≤ 150 ms;
 * with a bare `node -e 0` as the floor every process pays, and the same verify from the TypeScript
 * sources (tsx) to show what the build saves. Each command runs once untimed first: it must work, and
 * that run writes the command's V8 code cache (tools/cli-loader.cjs), as any first use on a workstation.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { builtIsFresh } from '../src-main/cli/built.cjs';
import { dirname, join } from 'node:path';
import { openRegister } from '../src-main/core/register';
import { loadPki, repoRoot } from '../test/helpers/pki';
import { AGENCY, generator, loadDocuments } from './register.bench';
import { twoSignaturePdfFile } from './fixtures';
import { figure, median, sample } from './stats';

const BIN = join(repoRoot, 'src-main/cli/bin.cjs');
const SOFTHSM = '/usr/lib/softhsm/libsofthsm2.so';

/** A register of `docs` incoming documents, made once per size and seed and reused by later runs. */
export function cachedRegister(docs: number, seed: number): string {
  const folder = join(repoRoot, '.tmp', 'bench', `cli-register-${docs}-${seed}`);
  const file = join(folder, 'register.db');
  if (existsSync(file)) return file;
  // Built beside, then renamed whole: an interrupted build is never taken for a finished one.
  const partial = `${folder}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  const reg = openRegister(join(partial, 'register.db'), { agency: AGENCY, clock: () => new Date('2026-12-31T10:00:00+07:00'), actor: 'bench' });
  loadDocuments(reg, generator(seed), docs, 'den');
  reg.db.pragma('wal_checkpoint(TRUNCATE)');
  reg.dispose();
  renameSync(partial, folder);
  return file;
}

function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, ...env } });
  return r;
}

export default async function bench(): Promise<void> {
  execFileSync('bash', [join(repoRoot, 'tools/build-cli.sh')], { stdio: 'inherit' });
  const pki = loadPki();
  const { file, dir } = await twoSignaturePdfFile(10);
  const docs = Number(process.env.VANTHU_BENCH_CLI_DOCS ?? 1_000_000);
  const db = cachedRegister(docs, Number(process.env.VANTHU_BENCH_SEED ?? 20260310));
  const env = { SOFTHSM2_CONF: pki.softhsm2Conf, VANTHU_DATA_DIR: join(dir, 'data') };
  const verifyArgs = ['verify', file, '--trust', pki.trustDir, '--offline'];
  const searchArgs = ['register', 'search', 'kế hoạch phát triển', '--db', db];
  const tokenArgs = ['token', 'list', '--module', SOFTHSM, '--json'];
  // Each command must work before it is timed: a fast failure is no figure.
  for (const [args, ok] of [[verifyArgs, [0, 2]], [searchArgs, [0]], [tokenArgs, [0]]] as const) {
    const r = run([BIN, ...args], env);
    if (!(ok as readonly number[]).includes(r.status ?? -1)) throw new Error(`vanthu ${args.slice(0, 2).join(' ')} exited ${r.status}: ${r.stderr}`);
  }
  // A migration by that first search leaves its safety copy beside the bench's own register: not kept.
  for (const f of readdirSync(dirname(db))) if (/^register\.db\.v\d+-.*\.bak$/.test(f)) rmSync(join(dirname(db), f));
  // bin.cjs falls back to the sources when any of them is newer than the build: a source edited while
  // the bench runs would mix the two kinds of run in one figure.
  const built = () => {
    if (!builtIsFresh(repoRoot, join(repoRoot, 'out', 'cli'))) throw new Error('a source file changed after the CLI build: the built CLI was not what ran');
  };
  built();
  const runs = 9;
  figure('node -e 0 (process)', median(await sample(runs, () => run(['-e', '0']))), { note: 'floor of every process' });
  figure('pdfsig -no-ocsp (process)', median(await sample(runs, () => spawnSync('pdfsig', ['-nssdir', pki.nssDb, '-no-ocsp', file]))));
  figure('vanthu verify --offline (built)', median(await sample(runs, () => run([BIN, ...verifyArgs], env))), { floor: 'pdfsig -no-ocsp (process)', target: { maxRatio: 2 }, note: '10 MB, 2 signatures' });
  figure('vanthu verify --offline (sources, tsx)', median(await sample(3, () => run([BIN, ...verifyArgs], { ...env, VANTHU_FROM_SOURCE: '1' }))), { floor: 'pdfsig -no-ocsp (process)' });
  figure('vanthu register search (built)', median(await sample(runs, () => run([BIN, ...searchArgs], env))), { floor: 'node -e 0 (process)', target: { max: 150 }, note: `${docs.toLocaleString('en')} documents` });
  figure('vanthu token list (built)', median(await sample(runs, () => run([BIN, ...tokenArgs], env))), { floor: 'node -e 0 (process)', target: { max: 150 } });
  built();
  rmSync(dir, { recursive: true, force: true });
}
