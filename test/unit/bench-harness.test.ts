import { spawn } from 'node:child_process';
import { createPublicKey, verify, X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startHog } from '../../bench/load';
import { figure, judge, median, quantile, renderTable, takeFigures, type Figure } from '../../bench/stats';
import pkcs11js from 'pkcs11js';
import { openTokenService } from '../../src-main/core/token';
import { loadPki, repoRoot } from '../helpers/pki';
import { slowToken } from '../helpers/slow-token';

/** Alive and not a zombie waiting for a reaper. */
function running(pid: number): boolean {
  const stat = `/proc/${pid}/stat`;
  if (!existsSync(stat)) return false;
  const state = readFileSync(stat, 'utf8').split(') ')[1]?.[0];
  return state !== undefined && state !== 'Z' && state !== 'X';
}

async function until(cond: () => boolean, limitMs: number): Promise<boolean> {
  const end = Date.now() + limitMs;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return cond();
}

describe('bench statistics', () => {
  it('interpolates quantiles between order statistics', () => {
    expect(quantile([4, 1, 3, 2], 0.5)).toBe(2.5);
    expect(median([5])).toBe(5);
    expect(quantile([10, 20, 30, 40, 50], 0.95)).toBeCloseTo(48);
    expect(quantile([], 0.5)).toBeNaN();
  });

  it('judges each kind of target against a floor of the same run', () => {
    const all: Figure[] = [
      { name: 'floor', value: 20 },
      { name: 'a', value: 60, floor: 'floor', target: { maxAbove: 50 } },
      { name: 'b', value: 80, floor: 'floor', target: { maxAbove: 50 } },
      { name: 'c', value: 21, floor: 'floor', target: { maxRatio: 1.1 } },
      { name: 'd', value: 23, floor: 'floor', target: { maxRatio: 1.1 } },
      { name: 'e', value: 4, target: { max: 5 } },
      { name: 'f', value: 900, unit: '/s', target: { min: 1000 } },
      { name: 'g', value: 1, floor: 'missing', target: { maxRatio: 2 } },
      { name: 'h', value: 700, floor: 600, target: { maxAbove: 30 } },
    ];
    const met = Object.fromEntries(all.map((f) => [f.name, judge(f, all)?.met ?? null]));
    expect(met).toEqual({ floor: null, a: true, b: false, c: true, d: false, e: true, f: false, g: false, h: false });
  });

  it('keeps the last value per name and hands each figure over once', () => {
    figure('x', 1);
    figure('x', 2, { unit: 'count' });
    expect(takeFigures()).toEqual([{ name: 'x', value: 2, unit: 'count' }]);
    expect(takeFigures()).toEqual([]);
  });

  it('prints both conditions with ratios and judges the target on the loaded one', () => {
    const quiet: Figure[] = [{ name: 'floor', value: 10 }, { name: 'issue', value: 50, floor: 'floor', target: { maxAbove: 50 } }];
    const load: Figure[] = [{ name: 'floor', value: 20 }, { name: 'issue', value: 80, floor: 'floor', target: { maxAbove: 50 } }];
    const table = renderTable([{ label: 'quiet', figures: quiet }, { label: 'load', figures: load }]);
    const row = table.split('\n').find((l) => l.startsWith('issue'))!;
    expect(row).toContain('5.00×'); // 50 / 10 quiet
    expect(row).toContain('4.00×'); // 80 / 20 under load
    expect(row.trim().endsWith('✗')).toBe(true); // 60 over the loaded floor, although quiet met it
    const passing = renderTable([{ label: 'quiet', figures: load }, { label: 'load', figures: quiet }]);
    expect(passing.split('\n').find((l) => l.startsWith('issue'))!.trim().endsWith('✓')).toBe(true);
    expect(renderTable([{ label: 'quiet', figures: [] }])).toContain('no figures');
  });
});

describe('background load', () => {
  it('runs a busy process and stops it', async () => {
    const hog = await startHog();
    expect(running(hog.pid)).toBe(true);
    const ticks = () => Number(readFileSync(`/proc/${hog.pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[11]);
    expect(await until(() => ticks() > 0, 10_000)).toBe(true); // it spends CPU time (utime)
    await hog.stop();
    expect(running(hog.pid)).toBe(false);
    await hog.stop(); // stopping twice is harmless
  });

  it('leaves no orphan when the harness is killed outright', async () => {
    const script = `import { startHog } from ${JSON.stringify(join(repoRoot, 'bench/load.ts'))};\nconst h = await startHog();\nconsole.log(h.pid);\nsetInterval(() => {}, 1000);`;
    const harness = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
    const pid = await new Promise<number>((resolve, reject) => {
      harness.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
      harness.once('exit', (code) => reject(new Error(`harness exited early (${code})`)));
    });
    expect(running(pid)).toBe(true);
    harness.kill('SIGKILL'); // no exit handler runs: the hog must notice by itself
    expect(await until(() => !running(pid), 20_000)).toBe(true);
  });
});

describe('slow-token model', () => {
  const pki = loadPki();

  it('asks for a context login before each signature of a signature-PIN key and counts logins and signatures', async () => {
    const slow = slowToken({ signDelayMs: 1, alwaysAuthenticate: true, pin: pki.userPin });
    const svc = openTokenService({ modules: [pki.module], pkcs11Factory: slow.factory, pollIntervalMs: 60_000 });
    try {
      const ref = svc.findToken(pki.tokens.agency).ref;
      svc.login(ref, Buffer.from(pki.userPin));
      expect(() => svc.createTokenSigner(ref, pki.keyIds.agency)).toThrow(expect.objectContaining({ code: 'TOKEN_NOT_LOGGED_IN' }));
      let pin = pki.userPin;
      const signer = svc.createTokenSigner(ref, pki.keyIds.agency, { pinCallback: async () => Buffer.from(pin) });
      const key = createPublicKey(new X509Certificate(signer.certificate).publicKey.export({ format: 'pem', type: 'spki' }));
      for (const text of ['một', 'hai']) expect(verify('sha256', Buffer.from(text), key, await signer.sign(Buffer.from(text)))).toBe(true);
      expect(slow.counters).toMatchObject({ signs: 2, userLogins: 1, contextLogins: 2 });
      pin = '000000';
      await expect(signer.sign(Buffer.from('ba'))).rejects.toMatchObject({ code: 'TOKEN_PIN_INCORRECT' });
      expect(slow.counters).toMatchObject({ signs: 2, contextLogins: 3 });
      slow.reset();
      expect(slow.counters).toEqual({ signs: 0, userLogins: 0, contextLogins: 0, tokenMs: 0 });
    } finally {
      svc.close();
    }
  });

  it('fails a C_Sign that no context login preceded, and that ends the operation', async () => {
    const p = slowToken({ signDelayMs: 0, alwaysAuthenticate: true, pin: pki.userPin }).factory();
    p.load(pki.module);
    p.C_Initialize();
    try {
      const slot = p.C_GetSlotList(true).find((s) => p.C_GetTokenInfo(s).label.trim() === pki.tokens.agency)!;
      const session = p.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION);
      p.C_Login(session, pkcs11js.CKU_USER, pki.userPin);
      p.C_FindObjectsInit(session, [{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY }, { type: pkcs11js.CKA_ID, value: Buffer.from(pki.keyIds.agency, 'hex') }]);
      const [key] = p.C_FindObjects(session, 1);
      p.C_FindObjectsFinal(session);
      const mechanism = { mechanism: pkcs11js.CKM_SHA256_RSA_PKCS };
      p.C_SignInit(session, mechanism, key!);
      await expect(p.C_SignAsync(session, Buffer.from('x'), Buffer.alloc(256))).rejects.toThrow(/CKR_USER_NOT_LOGGED_IN/);
      p.C_SignInit(session, mechanism, key!); // the failed C_Sign ended the operation: a new one starts
      p.C_Login(session, pkcs11js.CKU_CONTEXT_SPECIFIC, pki.userPin);
      expect((await p.C_SignAsync(session, Buffer.from('x'), Buffer.alloc(256))).length).toBe(256);
    } finally {
      p.C_Finalize();
      p.close();
    }
  });
});
