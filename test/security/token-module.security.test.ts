import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../src-main/core/backend';
import { demoSettings } from '../../src-main/core/config';
import { memoryLogger } from '../../src-main/core/log';
import { formatTokenRef } from '../../src-main/core/token';
import { loadPki } from '../helpers/pki';

// A token reference carries its library path. Through the API it must never make the backend load a
// library the workstation was not configured with: loading runs the library's constructors.
describe('token references cannot name arbitrary libraries', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vanthu-evil-'));
  const marker = join(dir, 'PWNED');
  const evil = join(dir, 'libevil.so');
  let backend: Backend;

  beforeAll(async () => {
    loadPki();
    writeFileSync(join(dir, 'evil.c'), `#include <stdio.h>\n__attribute__((constructor)) static void run(void) { FILE *f = fopen("${marker}", "w"); if (f) fclose(f); }\n`);
    execFileSync('cc', ['-shared', '-fPIC', '-o', evil, join(dir, 'evil.c')]);
    backend = await createBackend(demoSettings({ ...process.env, VANTHU_DATA_DIR: mkdtempSync(join(tmpdir(), 'vanthu-data-')) }), memoryLogger(), { host: 'browser' });
  });
  afterAll(() => backend.close());

  it('refuses every token method for a reference naming a foreign library, and never loads it', async () => {
    const ref = formatTokenRef({ label: 'X', serial: '', module: evil });
    for (const [method, input] of [
      ['token.certificates', { token: ref }],
      ['token.login', { token: ref, pin: '123456' }],
      ['token.logout', { token: ref }],
    ] as const) {
      const r = await backend.dispatch(method, input, { transport: 'test' });
      expect(r, method).toMatchObject({ ok: false, error: { code: 'TOKEN_LIBRARY_INVALID' } });
    }
    expect(existsSync(marker)).toBe(false);
  });

  it('still serves references to the configured library', async () => {
    const list = await backend.dispatch('token.list', {}, { transport: 'test' });
    expect(list.ok).toBe(true);
    const tokens = (list as { value: { tokens: Array<{ ref: string }> } }).value.tokens;
    expect(tokens.length).toBeGreaterThan(0);
    const certs = await backend.dispatch('token.certificates', { token: tokens[0]!.ref }, { transport: 'test' });
    expect(certs.ok).toBe(true);
  });
});
