/**
 * Issue 10, the demo profile: its own loopback OCSP/CRL source for the test CA, judged by openssl
 * (`openssl ocsp`, `openssl crl`), and the workstation wiring that makes a demo leader signature verify
 * "Hợp lệ" with a real revocation answer and lets the leader check pass without accepting "unknown".
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import axios from 'axios';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDemoResponder, type DemoResponder } from '../../src-main/core/trust/demo-responder';
import { demoCaFiles, demoSettings } from '../../src-main/core/config';
import { withDemoRevocation } from '../../src-main/core/services/demo-revocation';
import { createBackend, type Backend } from '../../src-main/core/backend';
import { memoryLogger } from '../../src-main/core/log';
import { chainRevocation } from '../../src-main/core/verify/chain-revocation';
import { clearRevocationCache } from '../../src-main/core/verify/revocation';
import type { Envelope } from '../../src-main/contract/api';
import type { VerificationReportDto } from '../../src-main/contract/verify';
import type { SignInspectionDto } from '../../src-main/contract/sign';
import { loadPki, certPath } from '../helpers/pki';
import { serialOf } from '../fixtures-gen/revocation-server';
import { leaderSignedSample } from '../e2e-web/harness';

const pki = loadPki();
const work = mkdtempSync(join(tmpdir(), 'vanthu-demo-responder-'));
const caFile = join(work, 'ca.pem');
let responder: DemoResponder;
let revokedResponder: DemoResponder;

beforeAll(async () => {
  writeFileSync(caFile, readFileSync(certPath(pki, 'root-ca')).toString() + readFileSync(certPath(pki, 'issuing-ca')).toString());
  responder = await startDemoResponder(demoCaFiles());
  // A private copy of the CA database with leader2 revoked an hour ago: the shared PKI is untouched.
  const index = join(work, 'index.txt');
  const stamp = new Date(Date.now() - 3600_000).toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z';
  const serial = serialOf(certPath(pki, 'leader2'));
  writeFileSync(index, readFileSync(demoCaFiles().index, 'utf8').split('\n')
    .map((l) => { const f = l.split('\t'); if (f[3]?.toUpperCase() === serial) { f[0] = 'R'; f[2] = stamp; } return f.join('\t'); }).join('\n'));
  revokedResponder = await startDemoResponder({ ...demoCaFiles(), index });
});
afterAll(async () => {
  await responder?.stop();
  await revokedResponder?.stop();
});
beforeEach(() => clearRevocationCache());

// Asynchronous: the responder answers from this same process.
async function opensslOcsp(cert: string, url: string, issuer = 'issuing-ca'): Promise<string> {
  // For another issuer's certificate openssl rightly refuses our responder's authority: read the status only.
  const check = issuer === 'issuing-ca' ? ['-CAfile', caFile] : ['-noverify'];
  const { stdout } = await promisify(execFile)('openssl', ['ocsp', '-issuer', certPath(pki, issuer), '-cert', certPath(pki, cert), '-url', url, ...check], { encoding: 'utf8' });
  return stdout;
}

describe('demo revocation source', () => {
  it('answers OCSP that openssl verifies: good for the token leader (not in the CA index) and leader2, revoked when the index says so', async () => {
    expect(await opensslOcsp('leader', responder.ocspUrl)).toMatch(/leader\.crt: good/);
    expect(await opensslOcsp('leader2', responder.ocspUrl)).toMatch(/leader2\.crt: good/);
    expect(await opensslOcsp('leader2', revokedResponder.ocspUrl)).toMatch(/leader2\.crt: revoked/);
    // A certificate of another issuer (the issuing CA, issued by the root) is not this CA's to answer for.
    expect(await opensslOcsp('issuing-ca', responder.ocspUrl, 'root-ca')).toMatch(/issuing-ca\.crt: unknown/);
  });

  it('serves a CRL signed by the issuing CA that openssl verifies, listing the revoked serial', async () => {
    const crl = join(work, 'demo.crl');
    writeFileSync(crl, Buffer.from((await axios.get<ArrayBuffer>(revokedResponder.crlUrl, { responseType: 'arraybuffer', proxy: false })).data));
    const text = execFileSync('openssl', ['crl', '-inform', 'DER', '-in', crl, '-CAfile', caFile, '-noout', '-text'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(text).toContain(`Serial Number: ${serialOf(certPath(pki, 'leader2'))}`);
    expect(text).toMatch(/Next Update/);
    execFileSync('openssl', ['crl', '-inform', 'DER', '-in', crl, '-CAfile', caFile, '-noout', '-verify'], { stdio: 'pipe' });
  });

  it('the verifier\'s revocation path gets good from OCSP and revoked from the CRL alone', async () => {
    const chain = [readFileSync(certPath(pki, 'issuing-ca', 'der'))];
    const base = { chain, trustDir: pki.trustDir, signingTime: new Date(), networkTimeoutMs: 2000 };
    const good = await chainRevocation({ ...base, certificate: readFileSync(certPath(pki, 'leader', 'der')), ocspUrlOverride: responder.ocspUrl, crlUrlOverride: responder.crlUrl });
    expect(good).toMatchObject({ status: 'good', summary: { source: 'ocsp' } });
    const dead = `${responder.ocspUrl.replace(/\/ocsp$/, '')}/none`;
    const revoked = await chainRevocation({ ...base, certificate: readFileSync(certPath(pki, 'leader2', 'der')), ocspUrlOverride: dead, crlUrlOverride: revokedResponder.crlUrl });
    expect(revoked).toMatchObject({ status: 'revoked', summary: { source: 'crl' } });
  });
});

describe('demo workstation with its revocation source', () => {
  let backend: Backend;
  let stop: (() => Promise<void>) | undefined;
  const call = async <T>(method: string, input: unknown): Promise<T> => {
    const env = (await backend.dispatch(method, input, { transport: 'test' })) as Envelope<T>;
    if (!env.ok) throw new Error(`${method}: ${env.error.code} ${env.error.message}`);
    return env.value;
  };
  beforeAll(async () => {
    const log = memoryLogger();
    const wired = await withDemoRevocation(demoSettings({ ...process.env, VANTHU_DATA_DIR: mkdtempSync(join(work, 'data-')) }), log, process.env);
    stop = () => wired.responder!.stop();
    expect(wired.settings.ocspUrlOverride).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/ocsp$/);
    backend = await createBackend(wired.settings, log, { host: 'browser', checkOutputs: true });
  });
  afterAll(async () => {
    await backend?.close();
    await stop?.();
  });

  it('Đ3.2 the demo workstation verifies a leader signature "Hợp lệ" with revocation good, and inspect accepts the leader without accepting unknown', async () => {
    const { signed } = await leaderSignedSample();
    const { fileId } = await call<{ fileId: string }>('file.put', { name: 'du-thao.pdf', base64: signed.toString('base64') });
    const report = await call<VerificationReportDto>('verify.file', { fileId });
    expect(report.summaryVi).toMatch(/^Hợp lệ/);
    expect(report.signatures[0]).toMatchObject({ indication: 'TOTAL_PASSED', revocation: { status: 'good' } });
    const inspected = await call<SignInspectionDto>('sign.inspect', { fileId, acceptUnknownRevocation: false });
    expect(inspected.leader).toMatchObject({ present: true, verified: true, revocationUnknown: false });
  });

  it('an agency profile keeps its own settings: no demo source is started', async () => {
    const agency = { ...demoSettings({ ...process.env, VANTHU_DATA_DIR: mkdtempSync(join(work, 'agency-')) }), demo: false };
    const wired = await withDemoRevocation(agency, memoryLogger(), process.env);
    expect(wired.responder).toBeNull();
    expect(wired.settings).toBe(agency);
  });
});
