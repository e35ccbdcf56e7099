import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPki } from '../helpers/pki';

function tool(name: string): void {
  const r = spawnSync('which', [name]);
  if (r.status !== 0) throw new Error(`${name} is not installed: run bash native/install-system-packages.sh`);
}

let nssDir: string | null = null;

/** A private copy of the test NSS db with the agency key imported (pdfsig as an independent signer). */
function signingDb(): string {
  if (nssDir) return nssDir;
  tool('pk12util');
  const pki = loadPki();
  const dir = mkdtempSync(join(tmpdir(), 'vanthu-nss-'));
  cpSync(pki.nssDb.replace(/^sql:/, ''), dir, { recursive: true });
  execFileSync('pk12util', ['-i', join(pki.p12, 'agency.p12'), '-d', `sql:${dir}`, '-W', pki.p12Password], { stdio: 'pipe' });
  nssDir = dir;
  return dir;
}

/** Signs with `pdfsig -add-signature` (adbe.pkcs7.detached, BER CMS from NSS). */
export function signWithPdfsig(pdf: Buffer): Buffer {
  tool('pdfsig');
  const dir = mkdtempSync(join(tmpdir(), 'vanthu-pdfsig-'));
  writeFileSync(join(dir, 'in.pdf'), pdf);
  execFileSync('pdfsig', ['-nssdir', `sql:${signingDb()}`, '-add-signature', '-nick', 'agency', join(dir, 'in.pdf'), join(dir, 'out.pdf')], { stdio: 'pipe' });
  return readFileSync(join(dir, 'out.pdf'));
}

/** pdfsig's verdict lines per signature (it exits 0 whatever the verdict, so parse its text). */
export function pdfsigVerdicts(pdf: Buffer): Array<{ signature: string; certificate: string }> {
  tool('pdfsig');
  const pki = loadPki();
  const dir = mkdtempSync(join(tmpdir(), 'vanthu-pdfsig-'));
  writeFileSync(join(dir, 'f.pdf'), pdf);
  const out = spawnSync('pdfsig', ['-nssdir', pki.nssDb, '-no-ocsp', join(dir, 'f.pdf')], { encoding: 'utf8' }).stdout;
  const sigs = out.split(/Signature #\d+:/).slice(1);
  return sigs.map((s) => ({
    signature: /Signature Validation: (.*)/.exec(s)?.[1]?.trim() ?? '',
    certificate: /Certificate Validation: (.*)/.exec(s)?.[1]?.trim() ?? '',
  }));
}
