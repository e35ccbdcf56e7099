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
[nokeyid]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation
subjectKeyIdentifier = none
[tsa]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = critical,timeStamping
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
`;

export type IdentityKind = 'rsa' | 'ec' | 'ed25519' | 'ed448' | 'rsa-no-ski' | 'tsa' | 'agency-expired' | 'agency' | 'leader2';

const KEYGEN: Partial<Record<IdentityKind, string[]>> = {
  ec: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'],
  ed25519: ['-algorithm', 'ED25519'],
  ed448: ['-algorithm', 'ED448'],
};
const GIVEN_NAME: Partial<Record<IdentityKind, string>> = { ec: 'Dung', ed25519: 'Giang', ed448: 'Khánh', 'rsa-no-ski': 'Lan' };

/**
 * Extra identities issued by the test issuing CA inside a private temp dir (the shared PKI is never
 * modified): personal signers with RSA, EC P-256, Ed25519 and Ed448 keys, an RSA one whose certificate
 * has no subjectKeyIdentifier, 'tsa' (critical timeStamping EKU), and the provisioned agency/leader2
 * and 'agency-expired' keys.
 */
export function identity(kind: IdentityKind): TestIdentity {
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
    const gen = KEYGEN[kind] ?? ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'];
    execFileSync('openssl', ['genpkey', ...gen, '-out', keyPath], { stdio: 'pipe' });
    const subj = kind === 'tsa' ? '/C=VN/O=VANTHU Test PKI/CN=VANTHU Test TSA' : `/C=VN/O=UBND tỉnh Thử Nghiệm/title=Chánh Văn phòng/CN=Phạm Thị ${GIVEN_NAME[kind] ?? 'Hoa'}`;
    const csr = join(dir, `${kind}.csr`);
    execFileSync('openssl', ['req', '-new', '-key', keyPath, '-subj', subj, '-utf8', '-out', csr], { stdio: 'pipe' });
    execFileSync('openssl', ['x509', '-req', '-in', csr, '-CA', join(pki.certs, 'issuing-ca.crt'), '-CAkey', join(pki.keys, 'issuing-ca.key'),
      '-set_serial', `0x${Date.now().toString(16)}${Math.floor(Math.random() * 1e6).toString(16)}`, '-days', '400', '-sha256',
      '-extfile', join(dir, 'ext.cnf'), '-extensions', kind === 'tsa' ? 'tsa' : kind === 'rsa-no-ski' ? 'nokeyid' : 'personal', '-out', certPath], { stdio: 'pipe' });
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
