import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtIsFresh } from '../../src-main/cli/built.cjs';
import { loadPki, repoRoot, type TestPki } from '../helpers/pki';
import { twoSignaturePdf } from '../../bench/fixtures';
import { makeBasePdf } from '../fixtures-gen/base-pdf';
import { addSignature } from '../fixtures-gen/pades';
import { identity } from '../fixtures-gen/test-certs';

// Built into a folder two levels below the root, as out/cli is: core/paths.ts finds resources/ from there.
const OUT = join(repoRoot, '.tmp', `cli-build-${process.pid}`);

/**
 * The bundled modules a run of the built CLI evaluated, by esbuild's name for each (its source path):
 * V8's coverage counts each module's lazy init function, which runs once when the module is first needed.
 */
function evaluatedModules(coverageDir: string): Set<string> {
  const seen = new Set<string>();
  for (const f of readdirSync(coverageDir)) {
    const { result } = JSON.parse(readFileSync(join(coverageDir, f), 'utf8')) as { result: Array<{ url: string; functions: Array<{ functionName: string; ranges: Array<{ count: number }> }> }> };
    // A package the build left outside the bundle is a script of its own, loaded from node_modules.
    for (const script of result) {
      const outside = /(?:^|\/)(node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(script.url)?.[1];
      if (outside) seen.add(`${outside}/ (outside the bundle)`);
    }
    for (const script of result.filter((s) => /\/cli(-[a-z0-9-]+)?\.cjs$/.test(s.url))) {
      for (const fn of script.functions) {
        // A symlinked node_modules is named by its real path ("../elsewhere/node_modules/…").
        const name = /(?:^|\/)((?:src-main|node_modules)\/.*)$/.exec(fn.functionName)?.[1];
        if (name && fn.ranges[0]!.count > 0) seen.add(name);
      }
    }
  }
  return seen;
}

describe('the built CLI (tools/build-cli.sh)', () => {
  let pki: TestPki;
  let work: string;
  let twoSigned: string;
  const run = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    spawnSync(process.execPath, [join(OUT, 'run.cjs'), ...args], { encoding: 'utf8', env: { ...process.env, VANTHU_DATA_DIR: join(work, 'data'), ...env } });
  const fromSources = (args: string[]) =>
    spawnSync(process.execPath, [join(repoRoot, 'src-main/cli/bin.cjs'), ...args], { encoding: 'utf8', env: { ...process.env, VANTHU_FROM_SOURCE: '1', VANTHU_DATA_DIR: join(work, 'data') } });
  const verifyArgs = () => ['verify', twoSigned, '--trust', pki.trustDir, '--offline', '--json'];
  /** The report without the clock readings it carries (when it was made, when revocation was looked at). */
  const verdict = (stdout: string) => JSON.parse(stdout, (k, v: unknown) => (k === 'validationTime' || k === 'checkedAt' ? null : v)) as unknown;
  /** What `args` evaluated, run under V8 coverage. */
  const evaluated = (args: string[]) => {
    const dir = mkdtempSync(join(work, 'coverage-'));
    const r = run(args, { NODE_V8_COVERAGE: dir });
    expect(r.status, r.stderr).not.toBe(70);
    return evaluatedModules(dir);
  };

  beforeAll(async () => {
    pki = loadPki();
    work = mkdtempSync(join(tmpdir(), 'vanthu-cli-build-'));
    twoSigned = join(work, 'two.pdf');
    writeFileSync(twoSigned, await twoSignaturePdf(0));
    execFileSync('bash', [join(repoRoot, 'tools/build-cli.sh'), OUT]);
  }, 120_000);
  afterAll(() => {
    rmSync(OUT, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  it('lists the SoftHSM tokens as the sources do', () => {
    const args = ['token', 'list', '--module', '/usr/lib/softhsm/libsofthsm2.so', '--json'];
    const built = run(args);
    expect(built.status, built.stderr).toBe(0);
    expect(JSON.parse(built.stdout)).toEqual(JSON.parse(fromSources(args).stdout));
    expect(JSON.parse(built.stdout).tokens.map((t: { label: string }) => t.label)).toContain('VANTHU-AGENCY');
  });

  it('verifies a two-signature PDF as the sources do, finding its resources from its own folder', () => {
    const r = run(verifyArgs());
    expect([0, 2]).toContain(r.status);
    const report = JSON.parse(r.stdout) as { signatures: Array<{ fieldName: string; summaryVi: string }> };
    expect(report.signatures).toHaveLength(2);
    const source = JSON.parse(fromSources(verifyArgs()).stdout) as typeof report;
    expect(report.signatures.map((s) => [s.fieldName, s.summaryVi])).toEqual(source.signatures.map((s) => [s.fieldName, s.summaryVi]));
  });

  it('imports into a register and finds it again, through the read-only search once the file is current', () => {
    const db = join(work, 'register.db');
    const records = join(work, 'in.jsonl');
    writeFileSync(records, `${JSON.stringify({ book: 'den', TypeName: 'Công văn', CodeNumber: '12', CodeNotation: 'UBND-VP', OrganName: 'Sở Nội vụ', IssuedDate: '2026-12-01', ArrivalDate: '2026-12-02', Subject: 'Về việc tăng cường chuyển đổi số' })}\n`);
    const imported = run(['register', 'import', records, '--db', db]);
    expect(imported.status, imported.stderr).toBe(0);
    const args = ['register', 'search', 'chuyen doi so', '--db', db, '--json'];
    const found = run(args);
    expect(found.status, found.stderr).toBe(0);
    expect(found.stdout).toContain('chuyển đổi số');
    expect(JSON.parse(found.stdout)).toEqual(JSON.parse(fromSources(args).stdout));
    // Searching is a read: it neither opens the register's other parts nor the printing stack.
    const used = evaluated(args);
    expect(used).toContain('src-main/cli/register-search.ts');
    for (const m of used) expect(m, m).not.toMatch(/^src-main\/core\/(register\/open|register\/printing|print\/)|@cantoo\/(pdf-lib|fontkit)/);
  });

  it('verify evaluates neither the signer, SQLite, PKCS#11, pdf.js, the HTTP client nor pkijs', () => {
    const used = evaluated(verifyArgs());
    expect(used).toContain('src-main/cli/commands/verify.ts');
    expect(used).toContain('node_modules/asn1js/build/index.js');
    // pkcs11-api.ts loads pkcs11js, connection.ts better-sqlite3, pdfjs.ts pdf.js; the signer and pdf-lib
    // are left out; axios and pkijs are deferred by the build (verify --offline never fetches, and a file
    // without revocation data or timestamps needs no pkijs).
    for (const m of used) expect(m, m).not.toMatch(/^src-main\/core\/(token\/pkcs11-api|db\/connection|register\/|pdf\/sign\/(?!read-input)|pdf\/layout\/pdfjs)|@cantoo\/pdf-lib|node_modules\/(axios|pkijs)\//);
  });

  it('loads the deferred pkijs when a signature needs it (a timestamp), and judges as the sources do', async () => {
    const stamped = join(work, 'stamped.pdf');
    writeFileSync(stamped, addSignature(await makeBasePdf(), { signer: identity('rsa'), tsa: { id: identity('tsa'), time: new Date(Date.now() - 60_000) } }));
    const args = ['verify', stamped, '--trust', pki.trustDir, '--offline', '--json'];
    const built = run(args);
    expect([0, 2], built.stderr).toContain(built.status);
    expect(verdict(built.stdout)).toEqual(verdict(fromSources(args).stdout));
    expect((JSON.parse(built.stdout) as { signatures: Array<{ timestamp?: unknown }> }).signatures[0]!.timestamp).toBeTruthy();
    expect(evaluated(args)).toContain('node_modules/pkijs/build/index.js');
  });

  it('fetches over HTTP through the client the build defers (trust refresh of a CRL on loopback)', async () => {
    const crl = readFileSync(join(pki.certs, 'issuing-ca.crl'));
    const server = createServer((_, res) => res.end(crl));
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/issuing-ca.crl`;
      const r = await new Promise<{ status: number | null; stdout: string }>((ok) => {
        const child = spawn(process.execPath, [join(OUT, 'run.cjs'), 'trust', 'refresh', '--crl-url', url, '--json'], { env: { ...process.env, VANTHU_DATA_DIR: join(work, 'data') } });
        let stdout = '';
        child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
        child.on('close', (status) => ok({ status, stdout }));
      });
      expect(r.status).toBe(0);
      expect(JSON.parse(r.stdout)).toContainEqual(expect.objectContaining({ url, ok: true, issuer: expect.stringContaining('VANTHU Test Issuing CA') }));
    } finally {
      server.close();
    }
  });

  it('runs correctly whatever its code cache holds: none, another build\'s, or bytes V8 refuses', () => {
    const cache = join(OUT, 'cache', 'verify.v8');
    const expected = verdict(run(verifyArgs()).stdout);
    const stamp = readFileSync(cache).subarray(0, readFileSync(cache).indexOf(10) + 1).toString();
    expect(stamp).toMatch(/^vanthu-cli \d+ [\d.]+ v\d+\.\d+\.\d+\n$/);
    for (const planted of [Buffer.from('vanthu-cli 1 2 v0.0.0\nnot a cache'), Buffer.concat([Buffer.from(stamp), Buffer.alloc(4096, 7)])]) {
      writeFileSync(cache, planted);
      const r = run(verifyArgs());
      expect(verdict(r.stdout)).toEqual(expected);
      // …and a usable cache for this build took its place.
      expect(readFileSync(cache).subarray(0, stamp.length).toString()).toBe(stamp);
      expect(readFileSync(cache).length).toBeGreaterThan(100_000);
    }
    rmSync(join(OUT, 'cache'), { recursive: true });
    expect(verdict(run(verifyArgs()).stdout)).toEqual(expected);
    // A mistyped command runs the bundle of every group and shares its cache: no file per typo.
    expect(run(['verfy', 'x.pdf']).status).not.toBe(0);
    expect(readdirSync(join(OUT, 'cache')).sort()).toEqual(['all.v8', 'verify.v8']);
  });

  it('is used only while no file it was built from is newer or gone (bin.cjs)', () => {
    const root = mkdtempSync(join(work, 'root-'));
    const out = join(root, 'out', 'cli');
    mkdirSync(out, { recursive: true });
    mkdirSync(join(root, 'src'));
    for (const f of ['a.ts', 'b.ts']) writeFileSync(join(root, 'src', f), '');
    const startedAt = Date.now() + 10_000;
    writeFileSync(join(out, 'build.json'), JSON.stringify({ startedAt, inputs: ['src/a.ts', 'src/b.ts'] }));
    expect(builtIsFresh(root, out)).toBe(true);
    utimesSync(join(root, 'src', 'b.ts'), new Date(startedAt + 1), new Date(startedAt + 1));
    expect(builtIsFresh(root, out)).toBe(false);
    rmSync(join(root, 'src', 'b.ts'));
    expect(builtIsFresh(root, out)).toBe(false);
    expect(builtIsFresh(root, join(root, 'nowhere'))).toBe(false);
    // The real build lists every source file it bundled and the installed packages' lock, all real files.
    const manifest = JSON.parse(readFileSync(join(OUT, 'build.json'), 'utf8')) as { inputs: string[] };
    expect(manifest.inputs).toEqual(expect.arrayContaining(['src-main/cli/main.ts', 'src-main/core/verify/index.ts', 'src-main/core/register/worker-host.ts', 'node_modules/.package-lock.json']));
    for (const f of manifest.inputs) expect(statSync(join(repoRoot, f)).isFile(), f).toBe(true);
  });
});
