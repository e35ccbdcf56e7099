import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPki, repoRoot, type TestPki } from '../helpers/pki';
import { twoSignaturePdf } from '../../bench/fixtures';

// Built into a folder two levels below the root, as out/cli is: core/paths.ts finds resources/ from there.
const OUT = join(repoRoot, '.tmp', `cli-build-${process.pid}`);

/** npm packages a chunk and the chunks it imports statically load before any code runs. */
function staticPackages(file: string, seen = new Set<string>(), found = new Set<string>()): Set<string> {
  if (seen.has(file)) return found;
  seen.add(file);
  const src = readFileSync(file, 'utf8');
  for (const m of src.matchAll(/(?:^|\n)(?:import|export)\s*(?:[^"';]*?from\s*)?["']([^"']+)["']/g)) {
    const spec = m[1]!;
    if (spec.startsWith('./')) staticPackages(join(dirname(file), spec), seen, found);
    else if (!spec.startsWith('node:')) found.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
  }
  return found;
}

describe('the built CLI (tools/build-cli.sh)', () => {
  let pki: TestPki;
  let work: string;
  const run = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    spawnSync(process.execPath, [join(OUT, 'run.mjs'), ...args], { encoding: 'utf8', env: { ...process.env, VANTHU_DATA_DIR: join(work, 'data'), VANTHU_REGISTER_WORKER: join(OUT, 'register-worker.mjs'), ...env } });

  beforeAll(() => {
    pki = loadPki();
    work = mkdtempSync(join(tmpdir(), 'vanthu-cli-build-'));
    execFileSync('bash', [join(repoRoot, 'tools/build-cli.sh'), OUT]);
  }, 120_000);
  afterAll(() => {
    rmSync(OUT, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  it('lists the SoftHSM tokens as the sources do', () => {
    const args = ['token', 'list', '--module', '/usr/lib/softhsm/libsofthsm2.so', '--json'];
    const built = run(args);
    const source = spawnSync(process.execPath, [join(repoRoot, 'src-main/cli/bin.mjs'), ...args], { encoding: 'utf8', env: { ...process.env, VANTHU_FROM_SOURCE: '1', VANTHU_DATA_DIR: join(work, 'data') } });
    expect(built.status, built.stderr).toBe(0);
    expect(JSON.parse(built.stdout)).toEqual(JSON.parse(source.stdout));
    expect(JSON.parse(built.stdout).tokens.map((t: { label: string }) => t.label)).toContain('VANTHU-AGENCY');
  });

  it('verifies a two-signature PDF and finds its resources from its own folder', async () => {
    const file = join(work, 'two.pdf');
    writeFileSync(file, await twoSignaturePdf(0));
    const r = run(['verify', file, '--trust', pki.trustDir, '--offline', '--json']);
    expect([0, 2]).toContain(r.status);
    const report = JSON.parse(r.stdout) as { signatures: unknown[] };
    expect(report.signatures).toHaveLength(2);
  });

  it('searches a register through the bundled register worker', () => {
    const db = join(work, 'register.db');
    const records = join(work, 'in.jsonl');
    writeFileSync(records, `${JSON.stringify({ book: 'den', TypeName: 'Công văn', CodeNumber: '12', CodeNotation: 'UBND-VP', OrganName: 'Sở Nội vụ', IssuedDate: '2026-12-01', ArrivalDate: '2026-12-02', Subject: 'Về việc tăng cường chuyển đổi số' })}\n`);
    const imported = run(['register', 'import', records, '--db', db]);
    expect(imported.status, imported.stderr).toBe(0);
    const found = run(['register', 'search', 'chuyen doi so', '--db', db, '--json']);
    expect(found.status, found.stderr).toBe(0);
    expect(found.stdout).toContain('chuyển đổi số');
  });

  it('loads a command group only when it is named: verify never loads the signer, SQLite or PKCS#11', () => {
    const entry = readFileSync(join(OUT, 'run.mjs'), 'utf8');
    const chunk = /verify: \(\) => import\("\.\/([^"]+)"\)/.exec(entry)?.[1];
    expect(chunk).toBeDefined();
    const atStart = staticPackages(join(OUT, 'run.mjs'));
    const forVerify = staticPackages(join(OUT, chunk!));
    for (const heavy of ['@cantoo/pdf-lib', 'pdfjs-dist', 'better-sqlite3', 'pkcs11js']) {
      expect(atStart.has(heavy), heavy).toBe(false);
      expect(forVerify.has(heavy), heavy).toBe(false);
    }
    // …while the chunk is the command itself, calling the contract.
    expect(readFileSync(join(OUT, chunk!), 'utf8')).toContain('verify.file');
  });
});
