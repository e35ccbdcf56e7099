import { request } from 'node:http';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridge, type BridgeHandle } from '../../src-main/bridge/bridge-host';
import { createDispatcher } from '../../src-main/contract/dispatch';
import { EventHub } from '../../src-main/core/events';
import { memoryLogger } from '../../src-main/core/log';

function get(port: number, path: string, host = `127.0.0.1:${port}`): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    // Raw path on purpose: no client-side normalisation of "..".
    const req = request({ host: '127.0.0.1', port, method: 'GET', path, headers: { host } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('renderer static files over the bridge', () => {
  let bridge: BridgeHandle;
  const root = mkdtempSync(join(tmpdir(), 'vanthu-static-'));
  const staticDir = join(root, 'renderer');

  beforeAll(async () => {
    mkdirSync(join(staticDir, 'assets'), { recursive: true });
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>x</title>');
    writeFileSync(join(staticDir, 'assets/app.js'), 'console.log(1)');
    writeFileSync(join(root, 'secret.txt'), 'outside the static folder');
    bridge = await startBridge({ dispatch: createDispatcher({}, {}), subscribe: (l) => new EventHub().subscribe(l), staticDir, log: memoryLogger() });
  });
  afterAll(() => bridge.close());

  it('serves index.html with a strict CSP and no framing', async () => {
    const r = await get(bridge.port, '/');
    expect(r.status).toBe(200);
    const csp = String(r.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(r.headers['x-frame-options']).toBe('DENY');
  });

  it('serves assets with their type', async () => {
    const r = await get(bridge.port, '/assets/app.js');
    expect(r.status).toBe(200);
    expect(String(r.headers['content-type'])).toContain('text/javascript');
  });

  it('refuses path traversal out of the renderer folder', async () => {
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/..%5csecret.txt', '/%00index.html']) {
      const r = await get(bridge.port, p);
      expect(r.status, p).toBe(404);
      expect(r.body).not.toContain('outside the static folder');
    }
  });

  it('checks Host on static files too (DNS rebinding)', async () => {
    expect((await get(bridge.port, '/', 'attacker.example')).status).toBe(421);
  });
});
