import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as netServer } from 'node:net';
import axios from 'axios';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPki } from '../helpers/pki';

/**
 * A URL where nothing answers (connection refused): port 1 is below the range Linux hands out for
 * listen(0), so no server a test starts later can come to answer there, as a freed port can.
 */
export const DEAD_URL = 'http://127.0.0.1:1/nothing';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = netServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    }).on('error', reject);
  });
}

export function serialOf(certPath: string): string {
  return execFileSync('openssl', ['x509', '-noout', '-serial', '-in', certPath], { encoding: 'utf8' }).trim().replace(/^serial=/, '').toUpperCase();
}

/**
 * A private copy of the issuing CA's database with some certificates revoked, an `openssl ocsp`
 * responder over it and a CRL served over HTTP. The shared PKI is never touched.
 */
export class RevocationServers {
  private ocsp: ChildProcess | null = null;
  private http: Server | null = null;
  ocspUrl = '';
  crlUrl = '';
  readonly dir = mkdtempSync(join(tmpdir(), 'vanthu-revocation-'));

  constructor(private readonly revokedSerials: string[], private readonly revokedAt: Date) {}

  async start(): Promise<void> {
    const pki = loadPki();
    const src = pki.caDirs.issuing;
    const stamp = this.revokedAt.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z';
    const index = readFileSync(join(src, 'index.txt'), 'utf8').split('\n').map((line) => {
      const f = line.split('\t');
      if (f.length >= 6 && this.revokedSerials.includes(f[3]!.toUpperCase())) { f[0] = 'R'; f[2] = stamp; }
      return f.join('\t');
    }).join('\n');
    writeFileSync(join(this.dir, 'index.txt'), index);
    copyFileSync(join(src, 'index.txt.attr'), join(this.dir, 'index.txt.attr'));
    writeFileSync(join(this.dir, 'crlnumber'), '2000\n');
    const cnf = readFileSync(join(src, 'ca.cnf'), 'utf8').replace(/^dir = .*$/m, `dir = ${this.dir}`);
    writeFileSync(join(this.dir, 'ca.cnf'), cnf);
    const crlPem = join(this.dir, 'crl.pem');
    execFileSync('openssl', ['ca', '-batch', '-config', join(this.dir, 'ca.cnf'), '-gencrl', '-out', crlPem], { stdio: 'pipe' });
    const crlDer = execFileSync('openssl', ['crl', '-in', crlPem, '-outform', 'DER']);
    const httpPort = await freePort();
    this.http = createServer((req, res) => {
      if (req.url === '/crl') { res.writeHead(200, { 'Content-Type': 'application/pkix-crl' }); res.end(crlDer); return; }
      res.writeHead(404); res.end();
    });
    await new Promise<void>((r) => this.http!.listen(httpPort, '127.0.0.1', r));
    this.crlUrl = `http://127.0.0.1:${httpPort}/crl`;
    const ocspPort = await freePort();
    this.ocsp = spawn('openssl', ['ocsp', '-index', join(this.dir, 'index.txt'), '-port', String(ocspPort), '-rsigner', join(pki.certs, 'ocsp.crt'),
      '-rkey', join(pki.keys, 'ocsp.key'), '-CA', join(pki.certs, 'issuing-ca.crt'), '-ndays', '1'], { stdio: 'ignore' });
    this.ocspUrl = `http://127.0.0.1:${ocspPort}`;
    // Wait until the responder answers a real request (a bare connect probe would occupy the
    // single-threaded responder until it times out).
    const probe = join(this.dir, 'probe.der');
    execFileSync('openssl', ['ocsp', '-issuer', join(pki.certs, 'issuing-ca.crt'), '-cert', join(pki.certs, 'agency.crt'), '-reqout', probe], { stdio: 'pipe' });
    const body = readFileSync(probe);
    for (let i = 0; i < 100; i++) {
      try {
        const r = await axios.post(this.ocspUrl, body, { headers: { 'Content-Type': 'application/ocsp-request' }, timeout: 1000, proxy: false, validateStatus: () => true });
        if (r.status === 200) return;
      } catch { /* not up yet */ }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('openssl ocsp responder did not start');
  }

  /** A DER OCSP response for `certPath` from the running responder (for DSS embedding). */
  ocspResponse(certPath: string): Buffer {
    const pki = loadPki();
    const out = join(this.dir, `resp-${Date.now()}.der`);
    execFileSync('openssl', ['ocsp', '-issuer', join(pki.certs, 'issuing-ca.crt'), '-cert', certPath, '-url', this.ocspUrl, '-respout', out, '-noverify'], { stdio: 'pipe' });
    return readFileSync(out);
  }

  stopOcsp(): void { if (this.ocsp?.pid) { this.ocsp.kill(); this.ocsp = null; } }

  async stop(): Promise<void> {
    this.stopOcsp();
    this.http?.closeAllConnections();
    await new Promise<void>((r) => (this.http ? this.http.close(() => r()) : r()));
  }
}
