import { createPublicKey, verify, X509Certificate } from 'node:crypto';
import { inspect } from 'node:util';
import pkcs11js from 'pkcs11js';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src-main/contract/errors';
import { openTokenService, type TokenService } from '../../src-main/core/token';
import { loadPki, type TestPki } from '../helpers/pki';
import { ckr, fakeFactory, type Overrides } from './fake-module';

let pki: TestPki;
let svc: TokenService | null = null;
const pin = () => Buffer.from(pki.userPin, 'utf8');

beforeAll(() => {
  pki = loadPki();
});
afterEach(() => {
  svc?.close();
  svc = null;
});

function open(overrides: Overrides, calls: string[] = []): { svc: TokenService; agency: string } {
  svc = openTokenService({ modules: [pki.module], pkcs11Factory: fakeFactory(overrides, calls) });
  return { svc, agency: svc.findToken(pki.tokens.agency).ref };
}

function caught(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error('nothing thrown');
}

const withFlags = (extra: number): Overrides['C_GetTokenInfo'] => (real, slot) => {
  const info = real.C_GetTokenInfo(slot);
  return { ...info, flags: info.flags | extra };
};

describe('error paths SoftHSM cannot produce (fake module over SoftHSM)', () => {
  it('a locked token is TOKEN_LOCKED before any C_Login, and the PIN is wiped', () => {
    const calls: string[] = [];
    const { svc, agency } = open({ C_GetTokenInfo: withFlags(pkcs11js.CKF_USER_PIN_LOCKED) }, calls);
    expect(svc.listTokens().find((t) => t.ref === agency)?.pinLocked).toBe(true);
    const p = pin();
    expect(caught(() => svc.login(agency, p))).toMatchObject({ code: 'TOKEN_LOCKED', data: { pinLocked: true } });
    expect(p.every((b) => b === 0)).toBe(true);
    expect(calls).not.toContain('C_Login');
  });

  it('CKR_PIN_LOCKED from C_Login is TOKEN_LOCKED', () => {
    const { svc, agency } = open({ C_Login: () => { throw ckr('CKR_PIN_LOCKED', 'C_Login'); } });
    expect(caught(() => svc.login(agency, pin())).code).toBe('TOKEN_LOCKED');
  });

  it('final try: the flag is exposed before login and a wrong PIN says so in Vietnamese; no automatic retry', () => {
    const calls: string[] = [];
    const { svc, agency } = open({
      C_GetTokenInfo: withFlags(pkcs11js.CKF_USER_PIN_FINAL_TRY | pkcs11js.CKF_USER_PIN_COUNT_LOW),
      C_Login: () => { throw ckr('CKR_PIN_INCORRECT', 'C_Login'); },
    }, calls);
    expect(svc.pinStatus(agency)).toEqual({ pinCountLow: true, pinFinalTry: true, pinLocked: false });
    const e = caught(() => svc.login(agency, Buffer.from('555000')));
    expect(e).toMatchObject({ code: 'TOKEN_PIN_INCORRECT', data: { pinFinalTry: true, pinCountLow: true, pinLocked: false } });
    expect(e.vi).toMatch(/một lần thử/);
    expect(inspect(e, { depth: 10, showHidden: true })).not.toContain('555000');
    expect(calls.filter((c) => c === 'C_Login')).toHaveLength(1);
  });

  it('CKR_DEVICE_REMOVED during C_Sign is TOKEN_REMOVED and the login is forgotten', async () => {
    let removed = false;
    const { svc, agency } = open({
      C_SignAsync: (real, s, i, o) => (removed ? Promise.reject(ckr('CKR_DEVICE_REMOVED', 'C_Sign')) : real.C_SignAsync(s, i, o)),
    });
    svc.login(agency, pin());
    const signer = svc.createTokenSigner(agency, pki.keyIds.agency);
    await signer.sign(Buffer.from('ok'));
    removed = true;
    await expect(signer.sign(Buffer.from('x'))).rejects.toMatchObject({ code: 'TOKEN_REMOVED' });
    await expect(signer.sign(Buffer.from('x'))).rejects.toMatchObject({ code: 'TOKEN_NOT_LOGGED_IN' });
    expect(svc.listTokens().find((t) => t.ref === agency)?.loggedIn).toBe(false);
  });

  it('CKR_TOKEN_NOT_PRESENT on C_OpenSession is TOKEN_ABSENT', () => {
    const { svc, agency } = open({ C_OpenSession: () => { throw ckr('CKR_TOKEN_NOT_PRESENT', 'C_OpenSession'); } });
    expect(caught(() => svc.listCertificates(agency)).code).toBe('TOKEN_ABSENT');
  });

  it('CKR_SESSION_HANDLE_INVALID drops the session; the next call opens a fresh one', () => {
    let fail = true;
    const { svc, agency } = open({
      C_FindObjectsInit: (real, s, t) => {
        if (fail) {
          fail = false;
          throw ckr('CKR_SESSION_HANDLE_INVALID', 'C_FindObjectsInit');
        }
        return real.C_FindObjectsInit(s, t);
      },
    });
    expect(caught(() => svc.listCertificates(agency)).code).toBe('TOKEN_REMOVED');
    expect(svc.listCertificates(agency).length).toBe(3);
  });

  it('a NativeError (module already unloaded) is TOKEN_ERROR, and a closed service refuses calls', () => {
    let unloaded = false;
    const { svc, agency } = open({
      C_GetTokenInfo: (real, slot) => {
        if (unloaded) throw new pkcs11js.NativeError('PKCS11 module not loaded yet', 'C_GetTokenInfo');
        return real.C_GetTokenInfo(slot);
      },
    });
    svc.pinStatus(agency);
    unloaded = true;
    expect(caught(() => svc.pinStatus(agency)).code).toBe('TOKEN_ERROR');
    const fresh = openTokenService({ modules: [pki.module], pkcs11Factory: fakeFactory({ C_GetTokenInfo: () => { throw new pkcs11js.NativeError('PKCS11 module not loaded yet', 'C_GetTokenInfo'); } }) });
    try {
      expect(caught(() => fresh.pinStatus(agency)).code).toBe('TOKEN_ERROR');
    } finally {
      fresh.close();
    }
    svc.close();
    expect(caught(() => svc.listTokens()).code).toBe('TOKEN_ERROR');
  });

  it('a wait-capable module that reports an event triggers a rescan', () => {
    let pending = 0;
    let hidden = false;
    const { svc } = open({
      C_WaitForSlotEvent: () => (pending-- > 0 ? Buffer.alloc(8) : null),
      C_GetSlotList: (real, present) => (hidden ? [] : real.C_GetSlotList(present)),
    });
    const events: string[] = [];
    const off = svc.onSlotEvent((e) => events.push(`${e.kind}:${e.label}`));
    hidden = true;
    pending = 1;
    svc.pollSlots();
    expect(events.sort()).toEqual([`removed:${pki.tokens.agency}`, `removed:${pki.tokens.leader}`]);
    hidden = false;
    svc.pollSlots(); // proven event source, no event: no rescan
    expect(events).toHaveLength(2);
    pending = 1;
    svc.pollSlots();
    expect(events.filter((e) => e.startsWith('inserted'))).toHaveLength(2);
    off();
  });
});

describe('CKA_ALWAYS_AUTHENTICATE keys (SafeNet eToken quirk, simulated over SoftHSM)', () => {
  function alwaysAuthModule() {
    let contextPending = false;
    const contextPins: string[] = [];
    const overrides: Overrides = {
      C_GetAttributeValue: (real, s, o, tpl) => {
        if (tpl.length === 1 && tpl[0]!.type === pkcs11js.CKA_ALWAYS_AUTHENTICATE) return [{ type: pkcs11js.CKA_ALWAYS_AUTHENTICATE, value: Buffer.from([1]) }];
        return real.C_GetAttributeValue(s, o, tpl);
      },
      C_SignInit: (real, s, m, k) => {
        contextPending = true;
        return real.C_SignInit(s, m, k);
      },
      C_Login: (real, s, type, p) => {
        if (type !== pkcs11js.CKU_CONTEXT_SPECIFIC) return real.C_Login(s, type, p);
        if (!contextPending) throw ckr('CKR_OPERATION_NOT_INITIALIZED', 'C_Login');
        contextPins.push('login');
        if (p !== pki.userPin) throw ckr('CKR_PIN_INCORRECT', 'C_Login');
        contextPending = false;
      },
      // Like a real token: C_Sign without the context login fails AND ends the operation.
      C_SignAsync: async (real, s, i, o) => {
        const sig = await real.C_SignAsync(s, i, o);
        if (contextPending) {
          contextPending = false;
          throw ckr('CKR_USER_NOT_LOGGED_IN', 'C_Sign');
        }
        return sig;
      },
    };
    return { overrides, contextPins };
  }

  it('asks for the PIN again between C_SignInit and C_Sign, wipes it, and the signature verifies', async () => {
    const { overrides, contextPins } = alwaysAuthModule();
    const { svc, agency } = open(overrides);
    svc.login(agency, pin());
    expect(svc.listCertificates(agency).find((c) => c.keyId === pki.keyIds.agency)?.alwaysAuthenticate).toBe(true);
    expect(caught(() => svc.createTokenSigner(agency, pki.keyIds.agency))).toMatchObject({ code: 'TOKEN_NOT_LOGGED_IN', data: { alwaysAuthenticate: true } });
    const given: Buffer[] = [];
    const signer = svc.createTokenSigner(agency, pki.keyIds.agency, { pinCallback: async () => { const b = pin(); given.push(b); return b; } });
    expect(signer.alwaysAuthenticate).toBe(true);
    const data = Buffer.from('văn bản cần ký');
    const key = createPublicKey(new X509Certificate(signer.certificate).publicKey.export({ format: 'pem', type: 'spki' }));
    for (let i = 0; i < 2; i++) expect(verify('sha256', data, key, await signer.sign(data))).toBe(true);
    expect(contextPins).toHaveLength(2);
    expect(given.every((b) => b.every((x) => x === 0))).toBe(true);
  });

  it('a wrong signature PIN is TOKEN_PIN_INCORRECT and the next signature still works', async () => {
    const { overrides } = alwaysAuthModule();
    const { svc, agency } = open(overrides);
    svc.login(agency, pin());
    let next = Buffer.from('000000');
    const signer = svc.createTokenSigner(agency, pki.keyIds.agency, { pinCallback: async () => next });
    await expect(signer.sign(Buffer.from('a'))).rejects.toMatchObject({ code: 'TOKEN_PIN_INCORRECT' });
    next = pin();
    expect((await signer.sign(Buffer.from('a'))).length).toBe(256);
  });
});

describe('module initialisation', () => {
  it('asks for OS locking (C_SignAsync runs on a worker thread) and falls back when the module cannot lock', () => {
    const seen: Array<number | undefined> = [];
    const { svc, agency } = open({
      C_Initialize: (real, options) => {
        seen.push(options?.flags);
        if (options?.flags) throw ckr('CKR_CANT_LOCK', 'C_Initialize');
        return real.C_Initialize(options);
      },
    });
    expect(seen).toEqual([pkcs11js.CKF_OS_LOCKING_OK, undefined]);
    expect(svc.listCertificates(agency).length).toBe(3);
  });
});

describe('certificate-to-key pairing without a shared CKA_ID (Viettel-CA style)', () => {
  it('falls back to the public key: RSA modulus on the private key, EC point on the public key object', async () => {
    // Certificates answer a CKA_ID no key has (a1, a2, a3); keys keep 01, 02, 03.
    const certHandles = new Set<string>();
    let searchingCerts = false;
    const { svc } = open({
      C_FindObjectsInit: (real, s, tpl) => {
        searchingCerts = tpl.some((a) => a.type === pkcs11js.CKA_CLASS && a.value === pkcs11js.CKO_CERTIFICATE);
        return real.C_FindObjectsInit(s, tpl);
      },
      C_FindObjects: (real, s, max) => {
        const found = real.C_FindObjects(s, max);
        if (searchingCerts) for (const h of found) certHandles.add(h.toString('hex'));
        return found;
      },
      C_GetAttributeValue: (real, s, o, tpl) => real.C_GetAttributeValue(s, o, tpl).map((a) =>
        a.type === pkcs11js.CKA_ID && certHandles.has(o.toString('hex')) ? { ...a, value: Buffer.from([0xa0 | a.value[0]!]) } : a),
    });
    const leader = svc.findToken(pki.tokens.leader).ref;
    svc.login(leader, pin());
    const certs = svc.listCertificates(leader);
    expect(certs.map((c) => [c.keyId, c.keyAlgorithm, c.hasPrivateKey])).toEqual([['a1', 'RSA', true], ['a2', 'EC', true], ['a3', 'RSA', true]]);
    const data = Buffer.from('ghép khóa theo khóa công khai');
    for (const id of ['a1', 'a2']) {
      const signer = svc.createTokenSigner(leader, id);
      const key = createPublicKey(new X509Certificate(signer.certificate).publicKey.export({ format: 'pem', type: 'spki' }));
      expect(verify('sha256', data, key, await signer.sign(data))).toBe(true);
    }
    svc.logout(leader);
  });
});
