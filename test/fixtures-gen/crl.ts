import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPki } from '../helpers/pki';

export interface CrlOptions {
  /** Which test CA issues (and signs) the CRL. */
  ca?: 'issuing' | 'root';
  /** Certificates to list as revoked: serial (hex, as `openssl x509 -serial` prints it) and time. */
  revoked?: Array<{ serialHex: string; at: Date }>;
  /** Made-up revoked serials to add (size tests); none of them a real certificate's. */
  filler?: number;
  /** Validity (nextUpdate − thisUpdate) in hours; default ten years. */
  hours?: number;
}

const stamp = (d: Date) => `${d.toISOString().replace(/[-:T]/g, '').slice(2, 14)}Z`;

/** A DER CRL from a test CA, signed by `openssl ca -gencrl` over a private copy of its database. */
export function makeCrl(opts: CrlOptions = {}): Buffer {
  const pki = loadPki();
  const src = opts.ca === 'root' ? pki.caDirs.root : pki.caDirs.issuing;
  const dir = mkdtempSync(join(tmpdir(), 'vanthu-crl-'));
  const rows: string[] = [];
  for (const r of opts.revoked ?? []) rows.push(`R\t351231000000Z\t${stamp(r.at)}\t${r.serialHex.toUpperCase()}\tunknown\t/CN=revoked`);
  for (let i = 0; i < (opts.filler ?? 0); i++) rows.push(`R\t351231000000Z\t250101000000Z\t7F${i.toString(16).toUpperCase().padStart(10, '0')}\tunknown\t/CN=revoked ${i}`);
  writeFileSync(join(dir, 'index.txt'), rows.length ? `${rows.join('\n')}\n` : '');
  copyFileSync(join(src, 'index.txt.attr'), join(dir, 'index.txt.attr'));
  writeFileSync(join(dir, 'crlnumber'), '3000\n');
  writeFileSync(join(dir, 'ca.cnf'), readFileSync(join(src, 'ca.cnf'), 'utf8').replace(/^dir = .*$/m, `dir = ${dir}`));
  const validity = opts.hours ? ['-crlhours', String(opts.hours)] : [];
  execFileSync('openssl', ['ca', '-batch', '-config', join(dir, 'ca.cnf'), '-gencrl', ...validity, '-out', join(dir, 'crl.pem')], { stdio: 'pipe' });
  return execFileSync('openssl', ['crl', '-in', join(dir, 'crl.pem'), '-outform', 'DER']);
}

/** A CRL of the issuing CA listing `entries` made-up revoked serials. */
export const largeCrl = (entries: number): Buffer => makeCrl({ filler: entries });
