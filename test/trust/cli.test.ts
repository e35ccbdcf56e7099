import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src-main/cli/main';
import type { CliIo } from '../../src-main/cli/io';
import { loadSettings } from '../../src-main/core/config';
import { trustStatus, type TrustStatus } from '../../src-main/core/verify/trust-status';
import { clearRevocationCache } from '../../src-main/core/verify/revocation';
import { makeBasePdf } from '../fixtures-gen/base-pdf';
import { addSignature } from '../fixtures-gen/pades';
import { identity } from '../fixtures-gen/test-certs';
import { makeCrl } from '../fixtures-gen/crl';
import { freePort } from '../fixtures-gen/revocation-server';

// `vanthu trust status|refresh`, and an offline `vanthu verify` answered from what refresh fetched.
const home = mkdtempSync(join(tmpdir(), 'vanthu-trust-home-'));
const env = { ...process.env, XDG_DATA_HOME: home, VANTHU_CONFIG: '' };
let server: Server;
let base = '';
const io = () => {
  const t = { lines: [] as string[], errs: [] as string[] };
  const face: CliIo = { out: (l) => t.lines.push(l), err: (l) => t.errs.push(l), env, readPin: () => Promise.reject(new Error('no PIN here')) };
  return { ...t, face, text: () => t.lines.join('\n') };
};

beforeAll(async () => {
  const crls: Record<string, Buffer> = { '/issuing.crl': makeCrl({ hours: 1 }), '/root.crl': makeCrl({ ca: 'root' }) };
  const port = await freePort();
  server = createServer((req, res) => { const b = crls[req.url ?? '']; res.writeHead(b ? 200 : 404); res.end(b ?? ''); });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  base = `http://127.0.0.1:${port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('vanthu trust', () => {
  it('status lists the anchors and intermediates, and an empty revocation cache', async () => {
    const t = io();
    expect(await main(['trust', 'status', '--json'], t.face)).toBe(0);
    const s = JSON.parse(t.text()) as TrustStatus;
    expect(s.anchors.map((a) => a.subject).join()).toMatch(/VANTHU Test Root/);
    expect(s.intermediates.map((a) => a.subject).join()).toMatch(/VANTHU Test Issuing CA/);
    expect(s.revocation).toEqual([]);
  });
  it('refresh fetches the CRLs of the configured CAs; status shows their age; verify --offline is then answered from them', async () => {
    const t = io();
    expect(await main(['trust', 'refresh', '--crl-url', `${base}/issuing.crl,${base}/root.crl`], t.face)).toBe(0);
    expect(t.text()).toMatch(/Đã tải: .*Issuing CA/);
    const s = io();
    expect(await main(['trust', 'status'], s.face)).toBe(0);
    expect(s.text()).toMatch(/CRL .*Issuing CA.* giờ tuổi, còn hiệu lực/);
    const dir = mkdtempSync(join(tmpdir(), 'vanthu-trust-'));
    writeFileSync(join(dir, 'signed.pdf'), addSignature(await makeBasePdf(), { signer: identity('rsa') }));
    clearRevocationCache();
    const v = io();
    expect(await main(['verify', join(dir, 'signed.pdf'), '--offline', '--json'], v.face)).toBe(0);
    expect(JSON.parse(v.text()).signatures[0].revocation).toMatchObject({ status: 'good', source: 'cache' });
  });
  it('a cached CRL past its nextUpdate is listed as stale', () => {
    const later = trustStatus(loadSettings(env), new Date(Date.now() + 3 * 3600_000));
    expect(later.revocation.find((r) => /Issuing CA/.test(r.subject))!.state).toBe('stale');
  });
  it('refresh also fetches the settings\' CRL mirror (crlUrlOverride) without being told', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'vanthu-trust-mirror-'));
    const file = join(dataDir, 'settings.json');
    writeFileSync(file, JSON.stringify({ ...loadSettings(env), dataDir, demo: false, crlUrlOverride: `${base}/issuing.crl` }));
    const t = io();
    const mirrorEnv = { ...env, VANTHU_CONFIG: file };
    expect(await main(['trust', 'refresh', '--json'], { ...t.face, env: mirrorEnv })).toBe(0);
    expect(JSON.parse(t.text())).toEqual(expect.arrayContaining([expect.objectContaining({ url: `${base}/issuing.crl`, ok: true, issuer: expect.stringMatching(/Issuing CA/) })]));
  });
  it('an unreachable CRL address: exit 2 with the reason; bad usage: 64', async () => {
    const t = io();
    expect(await main(['trust', 'refresh', '--crl-url', `${base}/missing.crl`, '--json'], t.face)).toBe(2);
    expect(JSON.parse(t.text()).find((r: { url: string }) => r.url.endsWith('/missing.crl')).ok).toBe(false);
    expect(await main(['trust', 'bogus'], io().face)).toBe(64);
  });
});
