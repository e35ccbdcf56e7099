import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** What native/provision-test-pki.sh made (see its header for each certificate's role). */
export interface TestPki {
  dir: string;
  module: string;
  softhsm2Conf: string;
  userPin: string;
  soPin: string;
  p12Password: string;
  tokens: { agency: string; leader: string };
  keyIds: {
    leader: string; leaderEc: string; rogueLeader: string;
    agency: string; agencyExpired: string; agencyFuture: string;
  };
  certs: string;
  keys: string;
  p12: string;
  trustDir: string;
  nssDb: string;
  ocspUrl: string;
  crlUrl: string;
  caDirs: { issuing: string; root: string };
}

export const repoRoot = resolve(import.meta.dirname, '../..');

export function loadPki(): TestPki {
  const dir = process.env.VANTHU_TEST_PKI ?? join(repoRoot, '.tmp/pki');
  const pki = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as TestPki;
  // Every process that loads SoftHSM must see the private configuration, never the machine's.
  process.env.SOFTHSM2_CONF = pki.softhsm2Conf;
  return pki;
}

export function certPath(pki: TestPki, name: string, ext: 'crt' | 'der' = 'crt'): string {
  return join(pki.certs, `${name}.${ext}`);
}

/**
 * A private copy of the token store for tests that change tokens (delete, re-init, lock):
 * returns a SOFTHSM2_CONF path pointing at the copy.
 */
export function cloneTokens(pki: TestPki): string {
  const dir = mkdtempSync(join(tmpdir(), 'vanthu-hsm-'));
  cpSync(join(pki.dir, 'tokens'), join(dir, 'tokens'), { recursive: true });
  const conf = join(dir, 'softhsm2.conf');
  writeFileSync(conf, `directories.tokendir = ${dir}/tokens\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`);
  return conf;
}
