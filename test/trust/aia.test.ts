/**
 * Issue 10 item 2, AIA "CA Issuers": a chain the signature and the configured stores cannot complete is
 * completed from the issuer a loopback server publishes at the certificate's AIA address, at signing
 * (before the PIN) and at verifying, then from the on-disk cache with the server gone. A private
 * root → intermediate → leaf made here with openssl; the shared test PKI is not touched.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPrivateKey } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as pkijs from 'pkijs';
import { certificatesOf, clearAiaMemory } from '../../src-main/core/trust/aia';
import { buildCrl, cryptoKey } from '../../src-main/core/trust/demo-responder';
import { IncrementalSigner } from '../../src-main/core/pdf/sign/incremental-signer';
import { embedValidationData } from '../../src-main/core/pdf/sign/validation-data';
import { dssCertificates } from '../../src-main/core/verify/dss';
import { PdfFile } from '../../src-main/core/pdf/parse/document';
import { clearRevocationCache } from '../../src-main/core/verify/revocation';
import { forgetDownHosts } from '../../src-main/core/trust/fetch';
import { chainToAnchor, chainToAnchorOnline } from '../../src-main/core/pdf/sign/chain-check';
import { verifyPdf, type VerifyOptions } from '../../src-main/core/verify/index';
import { makeBasePdf } from '../fixtures-gen/base-pdf';
import { addSignature } from '../fixtures-gen/pades';
import { freePort } from '../fixtures-gen/revocation-server';

const dir = mkdtempSync(join(tmpdir(), 'vanthu-aia-'));
const trustDir = join(dir, 'trust');
let port = 0;
let server: Server;
/** What the AIA address answers: the intermediate as DER by default; nothing (503) while not `up`. */
let served: Buffer = Buffer.alloc(0);
let up = true;
let hits = 0;
let leafDer: Buffer;
let crl: Buffer;
let intermediateDer: Buffer;
let signed: Buffer;

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

beforeAll(async () => {
  port = await freePort();
  mkdirSync(trustDir);
  writeFileSync(join(dir, 'ext.cnf'), [
    '[ca]', 'basicConstraints = critical, CA:true', 'keyUsage = critical, keyCertSign, cRLSign', 'subjectKeyIdentifier = hash', 'authorityKeyIdentifier = keyid',
    '[leaf]', 'basicConstraints = critical, CA:false', 'keyUsage = critical, digitalSignature, nonRepudiation', 'subjectKeyIdentifier = hash', 'authorityKeyIdentifier = keyid',
    `authorityInfoAccess = caIssuers;URI:http://127.0.0.1:${port}/aia/intermediate.cer`, `crlDistributionPoints = URI:http://127.0.0.1:${port}/aia/intermediate.crl`, '',
  ].join('\n'));
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'root.key', '-out', join(trustDir, 'root.pem'), '-days', '30', '-subj', '/C=VN/O=AIA Test/CN=AIA Test Root', '-addext', 'basicConstraints=critical,CA:true', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'int.key', '-out', 'int.csr', '-subj', '/C=VN/O=AIA Test/CN=AIA Test Intermediate');
  openssl('x509', '-req', '-in', 'int.csr', '-CA', join(trustDir, 'root.pem'), '-CAkey', 'root.key', '-CAcreateserial', '-out', 'int.pem', '-days', '30', '-extfile', 'ext.cnf', '-extensions', 'ca');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/C=VN/O=AIA Test/CN=Nguyễn Thị AIA', '-utf8');
  openssl('x509', '-req', '-in', 'leaf.csr', '-CA', 'int.pem', '-CAkey', 'int.key', '-CAcreateserial', '-out', 'leaf.pem', '-days', '30', '-extfile', 'ext.cnf', '-extensions', 'leaf');
  openssl('x509', '-in', 'int.pem', '-outform', 'DER', '-out', 'int.der');
  openssl('x509', '-in', 'leaf.pem', '-outform', 'DER', '-out', 'leaf.der');
  intermediateDer = readFileSync(join(dir, 'int.der'));
  leafDer = readFileSync(join(dir, 'leaf.der'));
  crl = await buildCrl(pkijs.Certificate.fromBER(intermediateDer), await cryptoKey(createPrivateKey(readFileSync(join(dir, 'int.key')))), new Map(), new Date());
  // The signature carries the leaf alone: nothing in the file completes its chain.
  signed = addSignature(await makeBasePdf(), {
    signer: { key: createPrivateKey(readFileSync(join(dir, 'leaf.key'))), cert: leafDer, chain: [], certPath: join(dir, 'leaf.pem'), keyPath: join(dir, 'leaf.key') },
  });
  server = createServer((req, res) => {
    hits += 1;
    if (!up) { res.writeHead(503); res.end(); return; }
    if (req.url === '/aia/intermediate.crl') { res.writeHead(200); res.end(crl); return; }
    if (req.url !== '/aia/intermediate.cer') { res.writeHead(404); res.end(); return; }
    res.writeHead(200, { 'Content-Type': 'application/pkix-cert' });
    res.end(served);
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
});
afterAll(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));
beforeEach(() => { clearAiaMemory(); forgetDownHosts(); served = intermediateDer; up = true; hits = 0; });

const verifyOpts = (cacheDir: string, extra: Partial<VerifyOptions> = {}): VerifyOptions => ({ trustDir, revocation: 'skip', revocationCacheDir: cacheDir, networkTimeoutMs: 1000, ...extra });

describe('AIA caIssuers', () => {
  it('verifying: the missing intermediate comes from the AIA address, then from the disk cache once the server no longer answers; offline it is not fetched', async () => {
    const cacheDir = mkdtempSync(join(dir, 'cache-'));
    const offline = await verifyPdf(signed, verifyOpts(cacheDir, { offline: true }));
    expect(offline.signatures[0]).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'NO_CERTIFICATE_CHAIN_FOUND' });
    expect(hits).toBe(0);
    const online = await verifyPdf(signed, verifyOpts(cacheDir));
    expect(online.signatures[0]).toMatchObject({ indication: 'TOTAL_PASSED' });
    expect(hits).toBe(1);
    up = false;
    clearAiaMemory();
    const cached = await verifyPdf(signed, verifyOpts(cacheDir));
    expect(cached.signatures[0]).toMatchObject({ indication: 'TOTAL_PASSED' });
    expect(hits).toBe(1);
  });

  it('signing: the chain to embed includes the fetched issuer; without network or cache it is refused before the PIN, naming the issuer', async () => {
    const cacheDir = mkdtempSync(join(dir, 'cache-'));
    const chain = await chainToAnchorOnline(leafDer, [], trustDir, { cacheDir, timeoutMs: 1000 });
    expect(chain.map((d) => d.toString('hex'))).toEqual([intermediateDer.toString('hex')]);
    up = false;
    clearAiaMemory();
    const empty = mkdtempSync(join(dir, 'cache-'));
    await expect(chainToAnchorOnline(leafDer, [], trustDir, { cacheDir: empty, timeoutMs: 1000 })).rejects.toMatchObject({
      code: 'SIGN_REFUSED', vi: expect.stringContaining('AIA Test Intermediate'),
    });
    // The cache filled above still serves, with no network asked.
    expect((await chainToAnchorOnline(leafDer, [], trustDir, { cacheDir, offline: true })).length).toBe(1);
    expect(() => chainToAnchor(leafDer, [], trustDir)).toThrow();
  });

  it('an AIA answer holding some other certificate completes nothing', async () => {
    served = leafDer; // a certificate, but not the leaf's issuer
    const cacheDir = mkdtempSync(join(dir, 'cache-'));
    await expect(chainToAnchorOnline(leafDer, [], trustDir, { cacheDir, timeoutMs: 1000 })).rejects.toMatchObject({ code: 'SIGN_REFUSED' });
    const r = await verifyPdf(signed, verifyOpts(cacheDir));
    expect(r.signatures[0]).toMatchObject({ subIndication: 'NO_CERTIFICATE_CHAIN_FOUND' });
  });

  it('B-LT: the DSS carries the intermediate fetched through AIA, so the file verifies offline with empty caches', async () => {
    const s = await IncrementalSigner.open(signed);
    const ltv = await embedValidationData(s, { trustDir, revocationCacheDir: mkdtempSync(join(dir, 'cache-')), networkTimeoutMs: 1000, offline: false, now: new Date(), pool: [] });
    expect(ltv).toBe(true);
    const bytes = Buffer.from(s.result());
    expect(dssCertificates(new PdfFile(bytes)).some((c) => c.der.equals(intermediateDer))).toBe(true);
    up = false;
    clearAiaMemory();
    clearRevocationCache();
    const r = await verifyPdf(bytes, { trustDir, offline: true });
    expect(r.signatures[0]).toMatchObject({ indication: 'TOTAL_PASSED', revocation: { status: 'good', source: 'dss' } });
  });

  it('reads DER, PEM and certs-only PKCS#7 answers, and nothing from junk', () => {
    const pem = readFileSync(join(dir, 'int.pem'));
    openssl('crl2pkcs7', '-nocrl', '-certfile', 'int.pem', '-outform', 'DER', '-out', 'int.p7c');
    const p7c = readFileSync(join(dir, 'int.p7c'));
    for (const body of [intermediateDer, pem, p7c]) expect(certificatesOf(body).map((d) => d.toString('hex'))).toEqual([intermediateDer.toString('hex')]);
    expect(certificatesOf(Buffer.from('<html>not found</html>'))).toEqual([]);
  });
});
