import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src-main/contract/errors';
import { openTokenService, type SlotEventDto, type TokenService } from '../../src-main/core/token';
import { cloneTokens, loadPki, type TestPki } from '../helpers/pki';

// Wrong PINs and deleted tokens change the token store: this file works on a private copy. SoftHSM
// reads SOFTHSM2_CONF at C_Initialize, and each test file runs in its own process.
let pki: TestPki;
let conf: string;
let svc: TokenService;

beforeAll(() => {
  pki = loadPki();
  conf = cloneTokens(pki);
  process.env.SOFTHSM2_CONF = conf;
  svc = openTokenService({ modules: [pki.module], pollIntervalMs: 25 });
});
afterAll(() => {
  svc?.close();
  if (conf) rmSync(dirname(conf), { recursive: true, force: true });
});

describe('on a private copy of the tokens', () => {
  it('a wrong PIN is TOKEN_PIN_INCORRECT with counters, the PIN is wiped and never in the error, the process lives and the right PIN works', async () => {
    const ref = svc.findToken(pki.tokens.agency).ref;
    const wrong = Buffer.from('987123', 'utf8');
    let err: unknown;
    try {
      svc.login(ref, wrong);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    const e = err as AppError;
    expect(e.code).toBe('TOKEN_PIN_INCORRECT');
    expect(wrong.every((b) => b === 0)).toBe(true);
    // SoftHSM raises COUNT_LOW after a failure; it never locks.
    expect(e.data).toEqual({ pinCountLow: true, pinFinalTry: false, pinLocked: false });
    expect(svc.pinStatus(ref).pinCountLow).toBe(true);
    const dump = inspect(e, { depth: 10, showHidden: true }) + JSON.stringify(e.toPayload()) + e.message + e.vi;
    expect(dump).not.toContain('987123');
    const right = Buffer.from(pki.userPin, 'utf8');
    svc.login(ref, right);
    expect(right.every((b) => b === 0)).toBe(true);
    expect(svc.pinStatus(ref)).toEqual({ pinCountLow: false, pinFinalTry: false, pinLocked: false });
    const sig = await svc.createTokenSigner(ref, pki.keyIds.agency).sign(Buffer.from('x'));
    expect(sig.length).toBe(256);
    svc.logout(ref);
  });

  it('emits "removed" when a token is deleted while polling, and the token is then absent', async () => {
    const leader = svc.findToken(pki.tokens.leader);
    const events: SlotEventDto[] = [];
    const unsubscribe = svc.onSlotEvent((e) => events.push(e));
    try {
      execFileSync('softhsm2-util', ['--delete-token', '--token', pki.tokens.leader], { env: { ...process.env, SOFTHSM2_CONF: conf }, stdio: 'pipe' });
      const deadline = Date.now() + 5000;
      while (events.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(events).toEqual([expect.objectContaining({ kind: 'removed', label: pki.tokens.leader, serial: leader.serial, ref: leader.ref })]);
      expect(svc.listTokens().map((t) => t.label)).not.toContain(pki.tokens.leader);
      expect(() => svc.listCertificates(leader.ref)).toThrow(expect.objectContaining({ code: 'TOKEN_ABSENT' }));
    } finally {
      unsubscribe();
    }
    // After unsubscribe no timer runs: a further change is not reported.
    const before = events.length;
    await new Promise((r) => setTimeout(r, 100));
    expect(events.length).toBe(before);
  });
});
