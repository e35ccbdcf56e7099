import { execFileSync } from 'node:child_process';
import { createPrivateKey, sign as nodeSign, constants, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KeySigner, SignatureAlgorithm } from '../../../src-main/core/crypto/signer';
import { certPath, type TestPki } from '../../helpers/pki';

/** A KeySigner over a software key, for tests and benches that do not exercise the token. */
export function softwareSigner(key: KeyObject, certPem: string, chainDer: Buffer[], algorithm: SignatureAlgorithm): KeySigner {
  const certificate = Buffer.from(new X509Certificate(certPem).raw);
  return {
    certificate,
    chain: chainDer,
    algorithm,
    async sign(data: Buffer): Promise<Buffer> {
      if (algorithm === 'RSA_PSS_SHA256') {
        return nodeSign('sha256', data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
      }
      if (algorithm === 'ECDSA_SHA256') return nodeSign('sha256', data, { key, dsaEncoding: 'der' });
      return nodeSign('sha256', data, key);
    },
  };
}

export function issuingChain(pki: TestPki): Buffer[] {
  return [readFileSync(certPath(pki, 'issuing-ca', 'der'))];
}

/** Key and certificate out of one of the provisioned P12 files (agency, leader2, rogue-leader, wrong-ku). */
export function p12Signer(pki: TestPki, name: string, algorithm: SignatureAlgorithm = 'RSA_PKCS1_SHA256', chain?: Buffer[]): KeySigner {
  const p12 = join(pki.p12, `${name}.p12`);
  const pass = `pass:${pki.p12Password}`;
  const keyPem = execFileSync('openssl', ['pkcs12', '-in', p12, '-nocerts', '-nodes', '-passin', pass], { encoding: 'utf8' });
  const certPem = execFileSync('openssl', ['pkcs12', '-in', p12, '-clcerts', '-nokeys', '-passin', pass], { encoding: 'utf8' });
  return softwareSigner(createPrivateKey(keyPem), certPem, chain ?? issuingChain(pki), algorithm);
}

/** Key file in .tmp/pki/keys plus its certificate (agency-expired, agency-future…). */
export function pemSigner(pki: TestPki, name: string, algorithm: SignatureAlgorithm = 'RSA_PKCS1_SHA256', chain?: Buffer[]): KeySigner {
  const key = createPrivateKey(readFileSync(join(pki.keys, `${name}.key`)));
  return softwareSigner(key, readFileSync(certPath(pki, name), 'utf8'), chain ?? issuingChain(pki), algorithm);
}
