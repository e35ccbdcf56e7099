import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyPdf, type VerifyOptions } from '../../src-main/core/verify/index';
import { clearRevocationCache } from '../../src-main/core/verify/revocation';
import { chainRevocation } from '../../src-main/core/verify/chain-revocation';
import { RevocationCache } from '../../src-main/core/trust/revocation-cache';
import { loadPki } from '../helpers/pki';
import { makeBasePdf } from '../fixtures-gen/base-pdf';
import { addSignature } from '../fixtures-gen/pades';
import { identity } from '../fixtures-gen/test-certs';
import { makeCrl } from '../fixtures-gen/crl';
import { addDss } from '../fixtures-gen/lt';
import { freePort, serialOf } from '../fixtures-gen/revocation-server';

// Issue 10, verifier side: revocation of intermediates and the TSA, a cache kept by issuer within
// validity windows and used offline, stale entries reported as stale, and an absent network paid once.
const pki = loadPki();
const ISSUING_CA_SERIAL = '1000';
const hourAgo = () => new Date(Date.now() - 3600_000);
let base: Buffer;
let crlServer: Server;
let crlUrl = '';
let served = makeCrl({ hours: 1 });
let deadUrl = '';

beforeAll(async () => {
  base = await makeBasePdf();
  const port = await freePort();
  crlServer = createServer((_, res) => { res.writeHead(200); res.end(served); });
  await new Promise<void>((r) => crlServer.listen(port, '127.0.0.1', r));
  crlUrl = `http://127.0.0.1:${port}/crl`;
  deadUrl = `http://127.0.0.1:${await freePort()}/nothing`;
});
afterAll(() => new Promise<void>((r) => crlServer.close(() => r())));
beforeEach(() => { clearRevocationCache(); served = makeCrl({ hours: 1 }); });

const offline = (extra: Partial<VerifyOptions> = {}): VerifyOptions => ({ trustDir: pki.trustDir, offline: true, ...extra });
const leaderSigned = () => addSignature(base, { signer: identity('rsa') });
const chainCerts = () => [identity('rsa').cert, ...identity('rsa').chain];

describe('revocation of the whole chain, from the DSS, offline', () => {
  it('signer and issuing CA good in the DSS: TOTAL_PASSED offline with an empty cache', async () => {
    const pdf = addDss(leaderSigned(), { certs: chainCerts(), crls: [makeCrl(), makeCrl({ ca: 'root' })] });
    const r = await verifyPdf(pdf, offline());
    expect(r.overall).toBe('TOTAL_PASSED');
    expect(r.signatures[0]!.revocation).toMatchObject({ status: 'good', source: 'dss' });
    expect(r.signatures[0]!.revocation!.detail).toMatch(/CA .*VANTHU Test Issuing CA: not revoked \(dss/);
  });
  it('Đ3.2 an intermediate CA revoked before the signing: TOTAL_FAILED / REVOKED, naming the CA', async () => {
    const rootCrl = makeCrl({ ca: 'root', revoked: [{ serialHex: ISSUING_CA_SERIAL, at: new Date(Date.now() - 86400_000) }] });
    const r = await verifyPdf(addDss(leaderSigned(), { certs: chainCerts(), crls: [makeCrl(), rootCrl] }), offline());
    expect(r.signatures[0]).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'REVOKED' });
    expect(r.signatures[0]!.reasons.join()).toMatch(/CA certificate .*Issuing CA.* was revoked/);
  });
  it('the TSA revoked before its timestamp: TOTAL_FAILED; revoked after it: accepted', async () => {
    const tsa = identity('tsa');
    // The test TSA certificate is issued when first asked for: revoke it between its issue and the timestamp.
    await new Promise((r) => setTimeout(r, 2100));
    const signedAt = new Date();
    const pdf = addSignature(base, { signer: identity('rsa'), tsa: { id: tsa, time: signedAt } });
    const revokedBefore = makeCrl({ revoked: [{ serialHex: serialOf(tsa.certPath), at: new Date(signedAt.getTime() - 1000) }] });
    const bad = await verifyPdf(addDss(pdf, { certs: chainCerts(), crls: [revokedBefore, makeCrl({ ca: 'root' })] }), offline());
    expect(bad.signatures[0]).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'REVOKED' });
    expect(bad.signatures[0]!.reasons.join()).toMatch(/TSA certificate was revoked/);
    const revokedAfter = makeCrl({ revoked: [{ serialHex: serialOf(tsa.certPath), at: new Date(signedAt.getTime() + 60_000) }] });
    const ok = await verifyPdf(addDss(pdf, { certs: chainCerts(), crls: [revokedAfter, makeCrl({ ca: 'root' })] }), offline());
    expect(ok.overall).toBe('TOTAL_PASSED');
  });
});

describe('the revocation cache', () => {
  it('a CRL fetched for one certificate is kept by issuer and answers for another of the same CA offline', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'vanthu-revcache-'));
    const online = { trustDir: pki.trustDir, ocspUrlOverride: deadUrl, crlUrlOverride: crlUrl, revocationCacheDir: cacheDir };
    const first = await verifyPdf(leaderSigned(), online);
    expect(first.signatures[0]!.revocation).toMatchObject({ status: 'good', source: 'crl' });
    clearRevocationCache();
    const other = addSignature(base, { signer: identity('ec'), alg: 'ecdsa' });
    const r = await verifyPdf(other, offline({ revocationCacheDir: cacheDir }));
    expect(r.signatures[0]!.revocation).toMatchObject({ status: 'good', source: 'cache' });
    const entries = new RevocationCache(cacheDir).list();
    expect(entries.some((e) => e.kind === 'crl' && /Issuing CA/.test(e.subject) && e.url === crlUrl)).toBe(true);
  });
  it('a stale cache entry is reported as stale, never used as fresh; a revocation it lists still counts', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'vanthu-revcache-'));
    await verifyPdf(leaderSigned(), { trustDir: pki.trustDir, ocspUrlOverride: deadUrl, crlUrlOverride: crlUrl, revocationCacheDir: cacheDir });
    clearRevocationCache();
    const later = new Date(Date.now() + 3 * 3600_000);
    const r = await verifyPdf(leaderSigned(), offline({ revocationCacheDir: cacheDir, now: later }));
    expect(r.signatures[0]).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER' });
    expect(r.signatures[0]!.revocation!.detail).toMatch(/stale cached CRL .*not used as fresh/);

    const revokedDir = mkdtempSync(join(tmpdir(), 'vanthu-revcache-'));
    served = makeCrl({ hours: 1, revoked: [{ serialHex: serialOf(identity('rsa').certPath), at: new Date(Date.now() - 86400_000) }] });
    clearRevocationCache();
    await verifyPdf(leaderSigned(), { trustDir: pki.trustDir, ocspUrlOverride: deadUrl, crlUrlOverride: crlUrl, revocationCacheDir: revokedDir });
    clearRevocationCache();
    const rv = await verifyPdf(leaderSigned(), offline({ revocationCacheDir: revokedDir, now: later }));
    expect(rv.signatures[0]).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'REVOKED' });
  });
  it('an unreachable host is tried once, then skipped while it is down', async () => {
    const opts = { trustDir: pki.trustDir, ocspUrlOverride: deadUrl, crlUrlOverride: deadUrl };
    const first = await verifyPdf(leaderSigned(), opts);
    expect(first.signatures[0]!.subIndication).toBe('TRY_LATER');
    const second = await verifyPdf(leaderSigned(), opts);
    expect(second.signatures[0]!.revocation!.detail).toMatch(/did not answer recently; not retried/);
  });
});

describe('chainRevocation: the full revocation path for the signer\'s leader check', () => {
  it('good, revoked, revoked after a proven signing time, unknown, no chain', async () => {
    const leader = identity('rsa');
    const dssGood = { ocsps: [], crls: [makeCrl(), makeCrl({ ca: 'root' })] };
    const base = { certificate: leader.cert, chain: leader.chain, trustDir: pki.trustDir, signingTime: hourAgo(), offline: true };
    expect((await chainRevocation({ ...base, embedded: dssGood })).status).toBe('good');
    const revokedCrl = makeCrl({ revoked: [{ serialHex: serialOf(leader.certPath), at: new Date(Date.now() - 86400_000) }] });
    const revoked = await chainRevocation({ ...base, embedded: { ocsps: [], crls: [revokedCrl, makeCrl({ ca: 'root' })] } });
    expect(revoked.status).toBe('revoked');
    const lateCrl = makeCrl({ revoked: [{ serialHex: serialOf(leader.certPath), at: new Date() }] });
    expect((await chainRevocation({ ...base, timeProven: true, embedded: { ocsps: [], crls: [lateCrl, makeCrl({ ca: 'root' })] } })).status).toBe('revoked-after-signing');
    const unknown = await chainRevocation(base);
    expect(unknown.status).toBe('unknown');
    expect(unknown.summary.detail).toMatch(/offline/);
    expect((await chainRevocation({ ...base, chain: [], trustAnchors: [] })).noChain).toBe(true);
  });
});
