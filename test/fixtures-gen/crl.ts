import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPki } from '../helpers/pki';

/**
 * A DER CRL from the test issuing CA listing `entries` made-up revoked serials (none of them a real
 * certificate's), signed by `openssl ca` over a private copy of the CA database.
 */
export function largeCrl(entries: number): Buffer {
  const pki = loadPki();
  const src = pki.caDirs.issuing;
  const dir = mkdtempSync(join(tmpdir(), 'vanthu-crl-'));
  const rows: string[] = [];
  for (let i = 0; i < entries; i++) rows.push(`R\t351231000000Z\t250101000000Z\t7F${i.toString(16).toUpperCase().padStart(10, '0')}\tunknown\t/CN=revoked ${i}`);
  writeFileSync(join(dir, 'index.txt'), `${rows.join('\n')}\n`);
  copyFileSync(join(src, 'index.txt.attr'), join(dir, 'index.txt.attr'));
  writeFileSync(join(dir, 'crlnumber'), '3000\n');
  writeFileSync(join(dir, 'ca.cnf'), readFileSync(join(src, 'ca.cnf'), 'utf8').replace(/^dir = .*$/m, `dir = ${dir}`));
  execFileSync('openssl', ['ca', '-batch', '-config', join(dir, 'ca.cnf'), '-gencrl', '-out', join(dir, 'crl.pem')], { stdio: 'pipe' });
  return execFileSync('openssl', ['crl', '-in', join(dir, 'crl.pem'), '-outform', 'DER']);
}
