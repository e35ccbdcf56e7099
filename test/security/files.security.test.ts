/**
 * Files cross the bridge as JSON; the renderer (or anything that stole the bridge secret) can only
 * name files by opaque ids. Hostile ids, sizes and contents must end in typed errors, never a path.
 */
import { request } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridge, type BridgeHandle } from '../../src-main/bridge/bridge-host';
import { createBackend, type Backend } from '../../src-main/core/backend';
import { demoSettings } from '../../src-main/core/config';
import { memoryLogger } from '../../src-main/core/log';
import { MAX_FILE_BASE64 } from '../../src-main/contract/files';

let backend: Backend;
let bridge: BridgeHandle;
let dataDir: string;
const MAX_BODY = 3 * 1024 * 1024;

function rpc(method: string, body: unknown): Promise<{ status: number; json: { ok: boolean; value?: Record<string, unknown>; error?: { code: string; message: string } }; raw: string }> {
  const data = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1', port: bridge.port, method: 'POST', path: `/rpc/${method}`,
      headers: { 'content-type': 'application/json', 'x-vanthu-secret': bridge.secret, host: `127.0.0.1:${bridge.port}`, 'content-length': data.length },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, json: JSON.parse(raw), raw });
      });
    });
    req.on('error', reject);
    req.end(data);
  });
}

const b64 = (s: string) => Buffer.from(s, 'latin1').toString('base64');

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'vanthu-files-sec-'));
  backend = await createBackend(demoSettings({ ...process.env, VANTHU_DATA_DIR: dataDir }), memoryLogger(), { host: 'browser', checkOutputs: true });
  bridge = await startBridge({ dispatch: backend.dispatch, subscribe: backend.subscribe, log: memoryLogger(), maxBodyBytes: MAX_BODY });
});
afterAll(async () => {
  await bridge?.close();
  await backend?.close();
});

describe('files over the bridge', () => {
  it('answers an upload with an opaque id and no path', async () => {
    const r = await rpc('file.put', { name: '../../../tmp/evil.pdf', base64: b64('%PDF-1.7\n%%EOF\n') });
    expect(r.json.ok).toBe(true);
    expect(r.json.value!.fileId).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(r.json.value!.name).toBe('evil.pdf');
    expect(r.raw).not.toContain(dataDir);
    expect(r.raw).not.toContain('/tmp');
  });

  it('refuses path-like and malformed ids before any file-system access', async () => {
    for (const fileId of ['../../etc/passwd', '/etc/passwd', '..\\..\\windows\\win.ini', 'x'.repeat(4000), '', 'ids/abc', '%2e%2e%2f']) {
      for (const method of ['file.get', 'verify.file', 'sign.inspect']) {
        const r = await rpc(method, { fileId });
        expect(r.json.error?.code, `${method} ${fileId.slice(0, 20)}`).toBe('INPUT_INVALID');
      }
    }
    expect((await rpc('file.get', { fileId: 42 })).json.error?.code).toBe('INPUT_INVALID');
    expect((await rpc('file.get', { fileId: { $ne: null } })).json.error?.code).toBe('INPUT_INVALID');
  });

  it('answers NOT_FOUND for a forged id of the right shape', async () => {
    for (const method of ['file.get', 'verify.file', 'sign.inspect']) {
      const r = await rpc(method, { fileId: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' });
      expect(r.json.error?.code).toBe('NOT_FOUND');
      expect(r.json.error?.message).toMatch(/Không tìm thấy tệp/);
    }
  });

  it('refuses non-PDF content for PDF methods, whatever the name says', async () => {
    const png = await rpc('file.put', { name: 'quyet-dinh.pdf', base64: b64('\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR') });
    const fileId = png.json.value!.fileId;
    for (const [method, extra] of [['verify.file', {}], ['sign.inspect', {}], ['verify.signedRevision', { index: 0 }],
      ['sign.appendix', { token: 'x', ref: '1/QĐ' }], ['sign.issue', { token: 'x', number: 1, notation: 'QĐ', date: '2026-01-05', sealMm: 36 }]] as const) {
      const r = await rpc(method, { fileId, ...extra });
      expect(r.json.error?.code, method).toBe('PDF_INVALID');
      expect(r.json.error?.message).toBe('Tệp đã chọn không phải tệp PDF.');
    }
  });

  it('refuses a body over the bridge limit with 413 and keeps serving', async () => {
    const big = 'A'.repeat(MAX_BODY + 4);
    const r = await rpc('file.put', { name: 'big.pdf', base64: big });
    expect(r.status).toBe(413);
    expect((await rpc('app.info', {})).json.ok).toBe(true);
  });

  it('refuses base64 beyond the workspace limit and non-base64 text as invalid input', async () => {
    const tooLong = await backend.dispatch('file.put', { name: 'x.pdf', base64: 'A'.repeat(MAX_FILE_BASE64 + 4) }, { transport: 'test' });
    expect(tooLong.ok ? null : tooLong.error.code).toBe('INPUT_INVALID');
    expect((await rpc('file.put', { name: 'x.pdf', base64: '<script>alert(1)</script>' })).json.error?.code).toBe('INPUT_INVALID');
    expect((await rpc('file.put', { name: '', base64: 'QQ==' })).json.error?.code).toBe('INPUT_INVALID');
  });

  it('never accepts a PIN or a path on signing methods', async () => {
    const up = await rpc('file.put', { name: 'a.pdf', base64: b64('%PDF-1.7\n%%EOF\n') });
    const fileId = up.json.value!.fileId;
    expect((await rpc('sign.appendix', { fileId, token: 'x', ref: '1/QĐ', pin: '123456' })).json.error?.code).toBe('INPUT_INVALID');
    expect((await rpc('sign.copy', { fileId, token: 'x', form: 'SAO Y', agency: 'A', output: '/tmp/x.pdf' })).json.error?.code).toBe('INPUT_INVALID');
  });
});
