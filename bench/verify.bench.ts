/**
 * Verifying a 10 MB two-signature PDF offline (revocation skipped: no network in a bench), median of
 * runs, beside `pdfsig -no-ocsp` (digest + CMS + trust) on the same file in the same run. Target ratio
 * ≤ 1.0×. Our figure includes the modification analysis pdfsig does not do.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyPdf } from '../src-main/core/verify/index';
import { loadPki } from '../test/helpers/pki';
import { makeBasePdf } from '../test/fixtures-gen/base-pdf';
import { addSignature } from '../test/fixtures-gen/pades';
import { identity } from '../test/fixtures-gen/test-certs';
import { figure, median, sample } from './stats';

export default async function bench(): Promise<void> {
  if (spawnSync('which', ['pdfsig']).status !== 0) throw new Error('pdfsig is not installed: run bash native/install-system-packages.sh');
  execFileSync('bash', [join(import.meta.dirname, '../native/provision-test-pki.sh')], { stdio: 'ignore' });
  const pki = loadPki();
  const base = await makeBasePdf({ padBytes: 10 * 1024 * 1024 });
  const one = addSignature(base, { signer: identity('rsa'), widget: { page: 0, rect: [330, 470, 510, 550] } });
  const pdf = addSignature(one, { signer: identity('agency'), widget: { page: 0, rect: [300, 480, 360, 540] } });
  const dir = mkdtempSync(join(tmpdir(), 'vanthu-bench-verify-'));
  const file = join(dir, 'two-signatures.pdf');
  writeFileSync(file, pdf);
  const options = { trustDir: pki.trustDir, offline: true, revocation: 'skip' as const };
  const check = await verifyPdf(pdf, options);
  if (check.overall !== 'TOTAL_PASSED') throw new Error(`bench file does not verify: ${check.summaryVi}`);
  const runs = 15;
  const ours = await sample(runs, () => verifyPdf(pdf, options), 2);
  // pdfsig runs as a process: compare with our verifier as a process too (node + tsx start-up included).
  const pdfsig = await sample(runs, () => spawnSync('pdfsig', ['-nssdir', pki.nssDb, '-no-ocsp', file]), 1);
  const cli = await sample(5, () => spawnSync('node', ['--import', 'tsx', join(import.meta.dirname, '../src-main/cli/bin.cjs'), 'verify', file, '--trust', pki.trustDir, '--offline']), 1);
  const mb = (pdf.length / 1024 / 1024).toFixed(1);
  console.log(`file: ${mb} MB, 2 signatures, ${runs} runs`);
  const floor = 'pdfsig -no-ocsp (process)';
  figure(floor, median(pdfsig));
  figure('verifyPdf (in process, offline, with modification analysis)', median(ours), { floor, target: { maxRatio: 1.0 } });
  figure('vanthu verify --offline (process, incl. Node start-up)', median(cli), { floor });
  rmSync(dir, { recursive: true, force: true });
}
