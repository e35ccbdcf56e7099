import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPki, repoRoot } from '../helpers/pki';
import { makeSampleDocument } from '../../src-main/core/pdf/sign/index';

// The Electron binary cannot run here, but the bundled backend it would start in its utility process
// can: plain Node with a stand-in for process.parentPort (the one Electron API that entry uses).
describe('bundled Electron backend (utility process entry)', () => {
  let child: ChildProcess;
  const pending = new Map<number, (reply: { ok: boolean; value?: unknown; error?: unknown }) => void>();
  let nextId = 1;
  const call = (method: string, input: unknown) =>
    new Promise<{ ok: boolean; value?: unknown; error?: unknown }>((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      child.send({ kind: 'invoke', id, method, input });
    });

  beforeAll(() => {
    const pki = loadPki();
    execFileSync('bash', [join(repoRoot, 'tools/bundle-electron.sh')], { stdio: 'inherit' });
    const dir = mkdtempSync(join(tmpdir(), 'vanthu-bundle-'));
    const shim = join(dir, 'parent-port-shim.cjs');
    writeFileSync(
      shim,
      `const { EventEmitter } = require('node:events');
const ee = new EventEmitter();
process.parentPort = { on: (e, l) => ee.on(e, l), postMessage: (m) => process.send(m) };
process.on('message', (m) => ee.emit('message', { data: m }));
require(${JSON.stringify(join(repoRoot, 'out/electron/backend.cjs'))});
`,
    );
    child = fork(shim, [], { env: { ...process.env, VANTHU_DATA_DIR: join(dir, 'data'), SOFTHSM2_CONF: pki.softhsm2Conf }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.on('message', (m: { kind: string; id?: number; reply?: never }) => {
      if (m.kind === 'reply' && m.id !== undefined) pending.get(m.id)?.(m.reply!);
    });
  }, 180_000);
  afterAll(() => {
    child?.kill();
  });

  it('answers app.info', async () => {
    expect(await call('app.info', {})).toMatchObject({ ok: true, value: { name: 'vanthu', host: 'electron' } });
  });

  it('lists the SoftHSM tokens through the bundled native module', async () => {
    const r = (await call('token.list', {})) as { ok: boolean; value: { tokens: Array<{ label: string }> } };
    expect(r.ok).toBe(true);
    expect(r.value.tokens.map((t) => t.label)).toEqual(expect.arrayContaining(['VANTHU-AGENCY', 'VANTHU-LEADER']));
  });

  it('runs the register in its bundled worker thread', async () => {
    const r = (await call('register.books', {})) as { ok: boolean; value: { books: unknown[] } };
    expect(r.ok).toBe(true);
    expect(r.value.books.length).toBeGreaterThan(0);
  });

  it('reads PDFs (pdf.js layout finding) and verifies them inside the bundle', async () => {
    const pdf = Buffer.from(await makeSampleDocument({}));
    const put = (await call('file.put', { name: 'mau.pdf', base64: pdf.toString('base64') })) as { ok: boolean; value: { fileId: string } };
    expect(put.ok).toBe(true);
    const inspected = (await call('sign.inspect', { fileId: put.value.fileId })) as { ok: boolean; value: { pageCount: number; proposed: { number: unknown } } };
    expect(inspected).toMatchObject({ ok: true, value: { pageCount: 1 } });
    expect(inspected.value.proposed.number).not.toBeNull();
    const verified = await call('verify.file', { fileId: put.value.fileId, offline: true });
    expect(verified).toMatchObject({ ok: true, value: { signatures: [] } });
  });

  it('validates input the same way', async () => {
    expect(await call('register.list', { book: '../x', year: 2026 })).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
  });
});
