import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanFileName, decodeBase64, derivedName, looksLikePdf, Workspace } from '../../src-main/core/workspace';
import { FILE_ID_PATTERN, fileMethods, isBase64 } from '../../src-main/contract/files';
import { AppError } from '../../src-main/contract/errors';

const root = () => mkdtempSync(join(tmpdir(), 'vanthu-ws-'));
const pdf = (body = 'x') => Buffer.from(`%PDF-1.7\n${body}\n%%EOF\n`, 'latin1');

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return e instanceof AppError ? e.code : `not AppError: ${String(e)}`;
  }
  return 'no error';
}

describe('workspace', () => {
  it('stores content under its SHA-256 and hands out opaque ids', () => {
    const ws = new Workspace(root());
    const bytes = pdf('one');
    const a = ws.put('Quyết định.pdf', bytes);
    expect(a.fileId).toMatch(FILE_ID_PATTERN);
    expect(a.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(a.size).toBe(bytes.length);
    expect(a.name).toBe('Quyết định.pdf');
    const blob = join(ws.root, 'blobs', a.sha256.slice(0, 2), a.sha256.slice(2, 4), a.sha256);
    expect(readFileSync(blob)).toEqual(bytes);
    expect(ws.read(a.fileId).bytes).toEqual(bytes);
    // The same content again: a new id, one blob.
    const b = ws.put('copy.pdf', bytes);
    expect(b.fileId).not.toBe(a.fileId);
    expect(readdirSync(join(ws.root, 'blobs', a.sha256.slice(0, 2), a.sha256.slice(2, 4)))).toEqual([a.sha256]);
    // The id says nothing about the content or a path.
    expect(a.fileId).not.toContain(a.sha256.slice(0, 8));
  });

  it('survives a restart: ids are persisted', () => {
    const dir = root();
    const id = new Workspace(dir).put('a.pdf', pdf()).fileId;
    expect(new Workspace(dir).stat(id).name).toBe('a.pdf');
  });

  it('refuses unknown, forged and path-like ids with NOT_FOUND', () => {
    const ws = new Workspace(root());
    ws.put('a.pdf', pdf());
    for (const id of ['A'.repeat(32), '../../etc/passwd', '..%2F..%2Fetc%2Fpasswd', '', 'a'.repeat(33), `${'a'.repeat(27)}.json`, '/etc/passwd']) {
      expect(codeOf(() => ws.read(id)), id).toBe('NOT_FOUND');
    }
  });

  it('refuses a blob changed behind its back instead of serving it', () => {
    const ws = new Workspace(root());
    const a = ws.put('a.pdf', pdf('orig'));
    const blob = join(ws.root, 'blobs', a.sha256.slice(0, 2), a.sha256.slice(2, 4), a.sha256);
    writeFileSync(blob, pdf('evil'));
    expect(codeOf(() => ws.read(a.fileId))).toBe('IO_ERROR');
  });

  it('refuses oversized content before writing anything', () => {
    const ws = new Workspace(root(), 1000);
    expect(codeOf(() => ws.put('big.pdf', Buffer.alloc(1001)))).toBe('PDF_TOO_LARGE');
    expect(readdirSync(ws.root)).toEqual([]); // not even its folders
    expect(codeOf(() => decodeBase64('A'.repeat(1400), 1000))).toBe('PDF_TOO_LARGE');
    expect(decodeBase64(Buffer.from('xin chào').toString('base64'))).toEqual(Buffer.from('xin chào'));
  });

  it('checks PDF content by magic bytes, not by name', () => {
    const ws = new Workspace(root());
    const png = ws.put('trông-như.pdf', Buffer.from('\x89PNG\r\n\x1a\n....', 'latin1'));
    expect(codeOf(() => ws.readPdf(png.fileId))).toBe('PDF_INVALID');
    expect(ws.read(png.fileId).bytes.length).toBe(12);
    expect(looksLikePdf(Buffer.concat([Buffer.alloc(100, 0x20), pdf()]))).toBe(true);
    expect(looksLikePdf(Buffer.concat([Buffer.alloc(1100, 0x20), pdf()]))).toBe(false);
    expect(looksLikePdf(Buffer.alloc(0))).toBe(false);
  });

  it('adopts a signer output and removes the scratch file', () => {
    const ws = new Workspace(root());
    const scratch = ws.scratchPath();
    expect(scratch.startsWith(ws.root)).toBe(true);
    writeFileSync(scratch, pdf('signed'));
    const stored = ws.adopt(scratch, 'out.pdf');
    expect(existsSync(scratch)).toBe(false);
    expect(ws.read(stored.fileId).bytes).toEqual(pdf('signed'));
    expect(statSync(join(ws.root, 'ids', `${stored.fileId}.json`)).isFile()).toBe(true);
  });

  it('prunes old ids, their unreferenced blobs and crash leftovers, keeping recent files', () => {
    const ws = new Workspace(root());
    const old = ws.put('old.pdf', pdf('old'));
    const shared = ws.put('shared-old.pdf', pdf('shared'));
    writeFileSync(ws.scratchPath(), 'half-written');
    const fresh = ws.put('shared-new.pdf', pdf('shared'));
    // Make the first two look twenty days old.
    for (const f of [old, shared]) {
      const p = join(ws.root, 'ids', `${f.fileId}.json`);
      const meta = JSON.parse(readFileSync(p, 'utf8'));
      writeFileSync(p, JSON.stringify({ ...meta, createdAt: new Date(Date.now() - 20 * 86_400_000).toISOString() }));
    }
    writeFileSync(join(ws.root, 'ids', 'not-an-id.json'), '{}');
    expect(ws.prune(7 * 86_400_000)).toEqual({ ids: 3, blobs: 1 });
    expect(codeOf(() => ws.read(old.fileId))).toBe('NOT_FOUND');
    expect(codeOf(() => ws.read(shared.fileId))).toBe('NOT_FOUND');
    expect(ws.read(fresh.fileId).bytes).toEqual(pdf('shared'));
    expect(readdirSync(join(ws.root, 'scratch'))).toEqual([]);
  });

  it('cleans display names and derives result names', () => {
    expect(cleanFileName('../../etc/passwd')).toBe('passwd');
    expect(cleanFileName('C:\\Users\\a\\Tờ trình.pdf')).toBe('Tờ trình.pdf');
    expect(cleanFileName('a\u0000b<>:"|?*.pdf')).toBe('a_b_______.pdf');
    expect(cleanFileName('...')).toBe('tai-lieu.pdf');
    expect(cleanFileName('T\u01a1\u0300.pdf')).toBe('Tờ.pdf'); // NFD in, NFC out
    expect(cleanFileName(`${'x'.repeat(300)}.pdf`)).toHaveLength(200);
    expect(cleanFileName(`${'x'.repeat(300)}.pdf`).endsWith('.pdf')).toBe(true);
    expect(derivedName('quyet-dinh.pdf', 'da-ky')).toBe('quyet-dinh-da-ky.pdf');
    expect(derivedName('scan', 'ban-sao')).toBe('scan-ban-sao.pdf');
  });

  it('the contract refuses malformed ids and non-base64 before any handler runs', () => {
    const put = fileMethods['file.put'].input;
    expect(put.safeParse({ name: 'a.pdf', base64: 'JVBERi0=' }).success).toBe(true);
    expect(put.safeParse({ name: 'a.pdf', base64: 'not base64!' }).success).toBe(false);
    for (const bad of ['QQ=A', 'Q===', '=QQQ', 'QQ', 'QQ\nQQ==', 'QUJD\u00e9===']) expect(isBase64(bad), bad).toBe(false);
    for (const good of ['', 'QQ==', 'QUI=', 'QUJD', Buffer.from('văn thư').toString('base64')]) expect(isBase64(good), good).toBe(true);
    expect(put.safeParse({ name: 'a.pdf', base64: 'JVBERi0=', path: '/etc/passwd' }).success).toBe(false);
    const get = fileMethods['file.get'].input;
    expect(get.safeParse({ fileId: '../../etc/passwd' }).success).toBe(false);
    expect(get.safeParse({ fileId: 'A'.repeat(32) }).success).toBe(true);
  });
});
