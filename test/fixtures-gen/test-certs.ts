import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPki } from '../helpers/pki';

export interface TestIdentity { key: KeyObject; cert: Buffer; chain: Buffer[]; certPath: string; keyPath: string }

let dir: string | null = null;
const made = new Map<string, TestIdentity>();

const EXT = `[personal]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
authorityInfoAccess = OCSP;URI:http://127.0.0.1:18931/ocsp
crlDistributionPoints = URI:http://127.0.0.1:18931/crl/issuing-ca.crl
[tsa]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = critical,timeStamping
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
`;

/**
 * Extra identities issued by the test issuing CA inside a private temp dir (the shared PKI is never
 * modified): 'rsa' and 'ec' personal signers, 'tsa' (critical timeStamping EKU), and the existing
 * 'agency-expired' key/cert from the provisioned PKI.
 */
export function identity(kind: 'rsa' | 'ec' | 'tsa' | 'agency-expired' | 'agency' | 'leader2'): TestIdentity {
  const hit = made.get(kind);
  if (hit) return hit;
  const pki = loadPki();
  const chain = [readFileSync(join(pki.certs, 'issuing-ca.der')), readFileSync(join(pki.certs, 'root-ca.crt'))].map(toDer);
  let keyPath: string, certPath: string;
  if (kind === 'agency-expired' || kind === 'agency' || kind === 'leader2') {
    keyPath = join(pki.keys, `${kind}.key`);
    certPath = join(pki.certs, `${kind}.crt`);
  } else {
    dir ??= mkdtempSync(join(tmpdir(), 'vanthu-verify-certs-'));
    writeFileSync(join(dir, 'ext.cnf'), EXT);
    keyPath = join(dir, `${kind}.key`);
    certPath = join(dir, `${kind}.crt`);
    const gen = kind === 'ec' ? ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'] : ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'];
    execFileSync('openssl', ['genpkey', ...gen, '-out', keyPath], { stdio: 'pipe' });
    const subj = kind === 'tsa' ? '/C=VN/O=VANTHU Test PKI/CN=VANTHU Test TSA' : `/C=VN/O=UBND tỉnh Thử Nghiệm/title=Chánh Văn phòng/CN=Phạm Thị ${kind === 'ec' ? 'Dung' : 'Hoa'}`;
    const csr = join(dir, `${kind}.csr`);
    execFileSync('openssl', ['req', '-new', '-key', keyPath, '-subj', subj, '-utf8', '-out', csr], { stdio: 'pipe' });
    execFileSync('openssl', ['x509', '-req', '-in', csr, '-CA', join(pki.certs, 'issuing-ca.crt'), '-CAkey', join(pki.keys, 'issuing-ca.key'),
      '-set_serial', `0x${Date.now().toString(16)}${Math.floor(Math.random() * 1e6).toString(16)}`, '-days', '400', '-sha256',
      '-extfile', join(dir, 'ext.cnf'), '-extensions', kind === 'tsa' ? 'tsa' : 'personal', '-out', certPath], { stdio: 'pipe' });
  }
  const id: TestIdentity = { key: createPrivateKey(readFileSync(keyPath)), cert: toDer(readFileSync(certPath)), chain, certPath, keyPath };
  made.set(kind, id);
  return id;
}

function toDer(b: Buffer): Buffer {
  const t = b.toString('latin1');
  const m = /-----BEGIN CERTIFICATE-----([^-]+)-----END CERTIFICATE-----/.exec(t);
  return m ? Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64') : b;
}
