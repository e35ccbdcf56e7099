import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src-main/cli/main';
import type { CliIo } from '../../src-main/cli/io';
import { loadPki } from '../helpers/pki';
import { makeBasePdf } from '../fixtures-gen/base-pdf';
import { signWithP12 } from '../fixtures-gen/signpdf';
import { isa } from '../fixtures-gen/attacks';
import { RevocationServers } from '../fixtures-gen/revocation-server';
import { clearRevocationCache } from '../../src-main/core/verify/revocation';

const pki = loadPki();
const dir = mkdtempSync(join(tmpdir(), 'vanthu-cli-verify-'));
const servers = new RevocationServers([], new Date());
let valid: string, tampered: string, rogue: string;

/** The CLI's data folder (and so its revocation cache) is the test's own unless a run names another. */
function io(dataDir = join(dir, 'data')): CliIo & { lines: string[]; errs: string[] } {
  const lines: string[] = [];
  const errs: string[] = [];
  return { lines, errs, out: (l) => lines.push(l), err: (l) => errs.push(l), env: { ...process.env, VANTHU_DATA_DIR: dataDir }, readPin: async () => Buffer.alloc(0) };
}

beforeAll(async () => {
  await servers.start();
  const signed = await signWithP12(await makeBasePdf(), { p12: 'agency' });
  writeFileSync((valid = join(dir, 'valid.pdf')), signed);
  writeFileSync((tampered = join(dir, 'tampered.pdf')), isa(signed, 1));
  writeFileSync((rogue = join(dir, 'rogue.pdf')), await signWithP12(await makeBasePdf(), { p12: 'rogue-leader' }));
});
afterAll(() => servers.stop());

const online = () => ['--trust', pki.trustDir, '--ocsp-url', servers.ocspUrl, '--crl-url', servers.crlUrl];

describe('vanthu verify', () => {
  it('exit 0 and a Vietnamese verdict for a valid file', async () => {
    const t = io();
    expect(await main(['verify', valid, ...online()], t)).toBe(0);
    expect(t.lines[0]).toBe('Kết luận: Hợp lệ — chữ ký số hợp lệ.');
    expect(t.lines.join('\n')).toContain('Người ký: UBND tỉnh Thử Nghiệm (cơ quan, tổ chức)');
  });
  it('exit 1 for a document changed after signing, with the change listed', async () => {
    const t = io();
    expect(await main(['verify', tampered, ...online()], t)).toBe(1);
    expect(t.lines[0]).toBe('Kết luận: Không hợp lệ — văn bản bị sửa sau khi ký.');
    expect(t.lines.join('\n')).toMatch(/\[KHÔNG được phép\] Nội dung hoặc tài nguyên của trang 1 bị thay đổi/);
  });
  it('exit 2 for an untrusted signer, and for --offline without revocation data', async () => {
    expect(await main(['verify', rogue, ...online()], io())).toBe(2);
    clearRevocationCache(); // the earlier online answers would otherwise serve the offline run from memory
    expect(await main(['verify', valid, '--trust', pki.trustDir, '--offline'], io(join(dir, 'empty-data')))).toBe(2);
  });
  it('--offline answers from the revocation cache an earlier online run filled', async () => {
    expect(await main(['verify', valid, ...online()], io())).toBe(0);
    clearRevocationCache();
    const t = io();
    expect(await main(['verify', valid, '--trust', pki.trustDir, '--offline'], t)).toBe(0);
    expect(t.lines.join('\n')).toContain('Tình trạng thu hồi: chưa bị thu hồi');
  });
  it('--json prints the report', async () => {
    const t = io();
    expect(await main(['verify', valid, ...online(), '--json'], t)).toBe(0);
    const r = JSON.parse(t.lines.join('\n')) as { overall: string; signatures: unknown[] };
    expect(r.overall).toBe('TOTAL_PASSED');
    expect(r.signatures).toHaveLength(1);
  });
  it('usage and I/O errors are 64+', async () => {
    expect(await main(['verify'], io())).toBe(64);
    expect(await main(['verify', valid, '--bogus'], io())).toBe(64);
    const t = io();
    expect(await main(['verify', join(dir, 'missing.pdf'), '--trust', pki.trustDir], t)).toBe(74);
    expect(t.errs[0]).toMatch(/^Lỗi: không đọc được tệp/);
  });
});
