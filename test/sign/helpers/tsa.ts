import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestPki } from '../../helpers/pki';
import { requireTool } from './oracles';

export interface TestTsa { url: string; dir: string; requests: number; stop: () => Promise<void> }

/**
 * An RFC 3161 TSA for tests: `openssl ts -reply` behind a tiny HTTP server on 127.0.0.1, with a TSA
 * certificate (critical id-kp-timeStamping) issued by the test issuing CA into a private temp dir.
 */
export async function startTestTsa(pki: TestPki): Promise<TestTsa> {
  requireTool('openssl');
  const dir = mkdtempSync(join(tmpdir(), 'vanthu-tsa-'));
  const issuingCrt = join(pki.certs, 'issuing-ca.crt');
  const issuingKey = join(pki.keys, 'issuing-ca.key');
  writeFileSync(join(dir, 'ext.cnf'), 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=critical,timeStamping\n');
  execFileSync('openssl', ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'tsa.key'), '-out', join(dir, 'tsa.csr'), '-subj', '/C=VN/O=VANTHU Test/CN=VANTHU Test TSA'], { stdio: 'pipe' });
  execFileSync('openssl', ['x509', '-req', '-in', join(dir, 'tsa.csr'), '-CA', issuingCrt, '-CAkey', issuingKey, '-CAserial', join(dir, 'ca.srl'), '-CAcreateserial', '-days', '30', '-sha256', '-extfile', join(dir, 'ext.cnf'), '-out', join(dir, 'tsa.crt')], { stdio: 'pipe' });
  writeFileSync(join(dir, 'serial'), '01\n');
  writeFileSync(join(dir, 'tsa.cnf'), [
    '[ tsa ]', 'default_tsa = tsa_config1', '[ tsa_config1 ]',
    `dir = ${dir}`, 'serial = $dir/serial', 'crypto_device = builtin',
    'signer_cert = $dir/tsa.crt', `certs = ${issuingCrt}`, 'signer_key = $dir/tsa.key', 'signer_digest = sha256',
    'default_policy = 1.2.3.4.1', 'digests = sha256', 'accuracy = secs:1', 'ordering = yes', 'tsa_name = no',
    'ess_cert_id_chain = no', 'ess_cert_id_alg = sha256', '',
  ].join('\n'));

  const state = { requests: 0 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      state.requests++;
      const n = state.requests;
      try {
        writeFileSync(join(dir, `q${n}.tsq`), Buffer.concat(chunks));
        execFileSync('openssl', ['ts', '-reply', '-config', join(dir, 'tsa.cnf'), '-queryfile', join(dir, `q${n}.tsq`), '-out', join(dir, `r${n}.tsr`)], { stdio: 'pipe' });
        const body = readFileSync(join(dir, `r${n}.tsr`));
        res.writeHead(200, { 'content-type': 'application/timestamp-reply', 'content-length': body.length });
        res.end(body);
      } catch (e) {
        res.writeHead(500);
        res.end(String(e));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}/tsa`,
    dir,
    get requests() { return state.requests; },
    stop: () => new Promise<void>((resolve) => server.close(() => { rmSync(dir, { recursive: true, force: true }); resolve(); })),
  };
}
