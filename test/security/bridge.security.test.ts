import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startBridge, type BridgeHandle } from '../../src-main/bridge/bridge-host';
import { createBackend, type Backend } from '../../src-main/core/backend';
import { demoSettings } from '../../src-main/core/config';
import { memoryLogger } from '../../src-main/core/log';
import { EventHub } from '../../src-main/core/events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface Reply { status: number; body: string; headers: Record<string, unknown> }

function raw(port: number, opts: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: opts.method ?? 'POST', path: opts.path, headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
    });
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

describe('loopback bridge', () => {
  let backend: Backend;
  let bridge: BridgeHandle;
  const log = memoryLogger();
  // The bridge forwards whatever its subscription delivers; a hub of the test's own stands in for the token watcher.
  const hub = new EventHub();
  const ok = () => ({ 'content-type': 'application/json', 'x-vanthu-secret': bridge.secret, host: `127.0.0.1:${bridge.port}` });

  beforeAll(async () => {
    const settings = demoSettings({ ...process.env, VANTHU_DATA_DIR: mkdtempSync(join(tmpdir(), 'vanthu-data-')) });
    backend = await createBackend(settings, log, { host: 'browser', checkOutputs: true });
    bridge = await startBridge({ dispatch: backend.dispatch, subscribe: (l) => hub.subscribe(l), log });
  });
  afterAll(async () => {
    await bridge.close();
    await backend.close();
  });

  it('binds loopback only and serves a call with the secret', async () => {
    expect(bridge.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const r = await raw(bridge.port, { path: '/rpc/app.info', headers: ok(), body: '{}' });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ ok: true, value: { name: 'vanthu', host: 'browser' } });
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses a missing or wrong secret', async () => {
    const { 'x-vanthu-secret': _s, ...noSecret } = ok();
    expect((await raw(bridge.port, { path: '/rpc/app.info', headers: noSecret, body: '{}' })).status).toBe(401);
    const wrong = { ...ok(), 'x-vanthu-secret': 'A'.repeat(bridge.secret.length) };
    expect((await raw(bridge.port, { path: '/rpc/app.info', headers: wrong, body: '{}' })).status).toBe(401);
    expect((await raw(bridge.port, { path: '/rpc/app.info', headers: { ...ok(), 'x-vanthu-secret': 'short' }, body: '{}' })).status).toBe(401);
  });

  it('refuses a foreign Origin even with the secret', async () => {
    const r = await raw(bridge.port, { path: '/rpc/app.info', headers: { ...ok(), origin: 'http://evil.example' }, body: '{}' });
    expect(r.status).toBe(403);
    const sameHostOtherPort = await raw(bridge.port, { path: '/rpc/app.info', headers: { ...ok(), origin: 'http://127.0.0.1:1' }, body: '{}' });
    expect(sameHostOtherPort.status).toBe(403);
  });

  it('refuses a non-loopback Host (DNS rebinding)', async () => {
    for (const host of ['evil.example', `localhost:${bridge.port}`, `evil.example:${bridge.port}`]) {
      const r = await raw(bridge.port, { path: '/rpc/app.info', headers: { ...ok(), host }, body: '{}' });
      expect(r.status, host).toBe(421);
    }
  });

  it('answers malformed input with a typed validation error', async () => {
    const extraKey = await raw(bridge.port, { path: '/rpc/app.info', headers: ok(), body: '{"evil":1}' });
    expect(JSON.parse(extraKey.body)).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
    const notJson = await raw(bridge.port, { path: '/rpc/app.info', headers: ok(), body: '{nope' });
    expect(JSON.parse(notJson.body)).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
    const wrongType = await raw(bridge.port, { path: '/rpc/token.certificates', headers: ok(), body: '{"token":42}' });
    expect(JSON.parse(wrongType.body)).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
    const unknown = await raw(bridge.port, { path: '/rpc/system.exec', headers: ok(), body: '{}' });
    expect(JSON.parse(unknown.body)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    const proto = await raw(bridge.port, { path: '/rpc/__proto__', headers: ok(), body: '{}' });
    expect(JSON.parse(proto.body)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
  });

  it('refuses oversized bodies and non-JSON content types', async () => {
    const big = await raw(bridge.port, { path: '/rpc/app.info', headers: ok(), body: 'x'.repeat(5 * 1024 * 1024) });
    expect(big.status).toBe(413);
    expect(JSON.parse(big.body)).toMatchObject({ ok: false, error: { code: 'PDF_TOO_LARGE', message: expect.stringContaining('Tệp quá lớn') } });
    expect((await raw(bridge.port, { path: '/rpc/app.info', headers: { ...ok(), 'content-type': 'text/plain' }, body: '{}' })).status).toBe(415);
    expect((await raw(bridge.port, { method: 'GET', path: '/rpc/app.info', headers: ok() })).status).toBe(405);
  });

  it('opens the event socket only with the secret, our Origin and our Host', async () => {
    const attempt = (protocols: string[], headers: Record<string, string> = {}) =>
      new Promise<'open' | 'refused'>((resolve) => {
        const ws = new WebSocket(`ws://127.0.0.1:${bridge.port}/events`, protocols, { headers });
        ws.on('open', () => (ws.close(), resolve('open')));
        ws.on('error', () => resolve('refused'));
        ws.on('unexpected-response', () => resolve('refused'));
      });
    expect(await attempt([`vanthu.${bridge.secret}`])).toBe('open');
    expect(await attempt(['vanthu.wrong'])).toBe('refused');
    expect(await attempt([])).toBe('refused');
    expect(await attempt([`vanthu.${bridge.secret}`], { origin: 'http://evil.example' })).toBe('refused');
  });

  it('delivers backend events over the socket', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${bridge.port}/events`, [`vanthu.${bridge.secret}`]);
    await new Promise((r) => ws.on('open', r));
    const got = new Promise<unknown>((r) => ws.on('message', (m) => r(JSON.parse(String(m)))));
    hub.publish('token.changed', { kind: 'inserted', label: 'X' });
    expect(await got).toEqual({ event: 'token.changed', payload: { kind: 'inserted', label: 'X' } });
    ws.close();
  });

  it('never logs the secret', () => {
    expect(log.lines.join('\n')).not.toContain(bridge.secret);
  });
});
