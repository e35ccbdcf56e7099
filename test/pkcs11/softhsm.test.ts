import { constants, createPublicKey, verify, X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src-main/contract/errors';
import { tokenDto } from '../../src-main/contract/token';
import { openTokenService, type TokenService } from '../../src-main/core/token';
import { loadPki, type TestPki } from '../helpers/pki';

let pki: TestPki;
let svc: TokenService;
let agency: string;
let leader: string;

const pin = () => Buffer.from(pki.userPin, 'utf8');
const payload = Buffer.from('signed attributes stand-in: Công văn số 01/UBND', 'utf8');

function expectAppError(fn: () => unknown, code: string): AppError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe(code);
    return e as AppError;
  }
  throw new Error(`expected ${code}, nothing thrown`);
}

beforeAll(() => {
  pki = loadPki();
  svc = openTokenService({ modules: [pki.module] });
  agency = svc.findToken(pki.tokens.agency).ref;
  leader = svc.findToken(pki.tokens.leader).ref;
});
afterAll(() => svc?.close());

describe('tokens and certificates on SoftHSM', () => {
  it('lists both tokens by label with their PIN flags, never by slot index', () => {
    const tokens = svc.listTokens();
    const labels = tokens.map((t) => t.label);
    expect(labels).toEqual(expect.arrayContaining([pki.tokens.agency, pki.tokens.leader]));
    const a = tokens.find((t) => t.label === pki.tokens.agency)!;
    expect(a).toMatchObject({ manufacturer: 'SoftHSM project', loginRequired: true, pinLocked: false, pinFinalTry: false, module: pki.module });
    expect(a.serial).toMatch(/^[0-9a-f]{16}$/);
    expect(a.ref).toContain('token=VANTHU-AGENCY');
    expect(JSON.parse(JSON.stringify(tokens))).toEqual(tokens);
    for (const t of tokens) expect(tokenDto.safeParse(t).success).toBe(true);
  });

  it('reads certificates without login, Vietnamese names in NFC, key presence unknown until login', () => {
    const certs = svc.listCertificates(leader);
    const rsa = certs.find((c) => c.keyId === pki.keyIds.leader)!;
    expect(rsa.commonName).toBe('Nguyễn Văn An'.normalize('NFC'));
    expect(rsa.commonName.normalize('NFC')).toBe(rsa.commonName);
    expect(rsa.organisation).toBe('UBND tỉnh Thử Nghiệm');
    expect(rsa.title).toBe('Chủ tịch');
    expect(rsa.subject).toBe('CN=Nguyễn Văn An, T=Chủ tịch, O=UBND tỉnh Thử Nghiệm, ST=Tỉnh Thử Nghiệm, C=VN');
    expect(rsa.issuerCommonName).toBe('VANTHU Test Issuing CA');
    expect(rsa.keyAlgorithm).toBe('RSA');
    expect(rsa.keySize).toBe(2048);
    expect(rsa.keyUsage).toEqual(['digitalSignature', 'nonRepudiation']);
    // Same integer: the core prints the DER bytes (a leading 0 nibble stays), Node may drop it.
    expect(BigInt(`0x${rsa.serial}`)).toBe(BigInt(`0x${new X509Certificate(Buffer.from(rsa.certificate, 'base64')).serialNumber}`));
    expect(rsa.privateKeyStatus).toBe('unknown');
    expect(JSON.parse(JSON.stringify(certs))).toEqual(certs);
    const ec = certs.find((c) => c.keyId === pki.keyIds.leaderEc)!;
    expect(ec).toMatchObject({ keyAlgorithm: 'EC', keySize: 256, namedCurve: 'prime256v1' });
  });

  it('after login pairs every certificate with its private key by CKA_ID and flags validity', () => {
    svc.login(agency, pin());
    try {
      const certs = svc.listCertificates(agency);
      expect(certs.map((c) => c.keyId).sort()).toEqual(['01', '03', '04']);
      for (const c of certs) expect(c).toMatchObject({ hasPrivateKey: true, privateKeyStatus: 'present', alwaysAuthenticate: false });
      expect(certs.find((c) => c.keyId === '03')).toMatchObject({ expired: true, outOfValidity: true });
      expect(certs.find((c) => c.keyId === '04')).toMatchObject({ notYetValid: true, outOfValidity: true });
      expect(certs.find((c) => c.keyId === '01')).toMatchObject({ outOfValidity: false, commonName: 'UBND tỉnh Thử Nghiệm' });
      expect(svc.listTokens().find((t) => t.ref === agency)?.loggedIn).toBe(true);
    } finally {
      svc.logout(agency);
    }
  });
});

describe('signing through the token', () => {
  beforeAll(() => svc.login(leader, pin()));

  const pem = (der: Buffer) => createPublicKey(new X509Certificate(der).publicKey.export({ format: 'pem', type: 'spki' }));

  it('RSA PKCS#1 v1.5 (raw CKM_RSA_PKCS over DigestInfo and combined CKM_SHA256_RSA_PKCS) verifies in Node', async () => {
    for (const rsaMechanism of ['raw', 'combined'] as const) {
      const signer = svc.createTokenSigner(leader, pki.keyIds.leader, { rsaMechanism });
      expect(signer.algorithm).toBe('RSA_PKCS1_SHA256');
      expect(signer.mechanism).toBe(rsaMechanism === 'raw' ? 'CKM_RSA_PKCS' : 'CKM_SHA256_RSA_PKCS');
      const sig = await signer.sign(payload);
      expect(sig.length).toBe(256);
      expect(verify('sha256', payload, pem(signer.certificate), sig)).toBe(true);
      expect(verify('sha256', Buffer.from('other'), pem(signer.certificate), sig)).toBe(false);
    }
  });

  it('RSA-PSS (SHA-256, MGF1-SHA256, salt 32) verifies in Node', async () => {
    const signer = svc.createTokenSigner(leader, pki.keyIds.leader, { algorithm: 'RSA_PSS_SHA256' });
    const sig = await signer.sign(payload);
    const key = { key: pem(signer.certificate), padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
    expect(verify('sha256', payload, key, sig)).toBe(true);
    expect(verify('sha256', payload, { ...key, saltLength: 20 }, sig)).toBe(false);
  });

  it('ECDSA P-256 on the leader EC key returns DER (r, s) that Node verifies', async () => {
    const signer = svc.createTokenSigner(leader, pki.keyIds.leaderEc);
    expect(signer.algorithm).toBe('ECDSA_SHA256');
    for (let i = 0; i < 8; i++) {
      const data = Buffer.concat([payload, Buffer.from([i])]);
      const sig = await signer.sign(data);
      expect(sig[0]).toBe(0x30);
      expect(verify('sha256', data, { key: pem(signer.certificate), dsaEncoding: 'der' }, sig)).toBe(true);
    }
  });

  it('parallel sign() calls are serialised on the one session', async () => {
    const signer = svc.createTokenSigner(leader, pki.keyIds.leader);
    const sigs = await Promise.all(Array.from({ length: 6 }, (_, i) => signer.sign(Buffer.from([i]))));
    sigs.forEach((s, i) => expect(verify('sha256', Buffer.from([i]), pem(signer.certificate), s)).toBe(true));
  });

  it('ECDSA key cannot be asked for RSA, and a missing key id is TOKEN_KEY_NOT_FOUND', () => {
    expectAppError(() => svc.createTokenSigner(leader, pki.keyIds.leaderEc, { algorithm: 'RSA_PSS_SHA256' }), 'TOKEN_MECHANISM_UNSUPPORTED');
    expectAppError(() => svc.createTokenSigner(leader, '7f'), 'TOKEN_KEY_NOT_FOUND');
    expectAppError(() => svc.createTokenSigner(leader, 'zz'), 'INPUT_INVALID');
  });

  it('includes the issuer chain it finds on the token (none on these tokens)', () => {
    expect(svc.createTokenSigner(leader, pki.keyIds.leader).chain).toEqual([]);
  });
});

describe('PIN, login state and validity', () => {
  it('logout then sign is TOKEN_NOT_LOGGED_IN; login again and the same signer works', async () => {
    svc.login(agency, pin());
    const signer = svc.createTokenSigner(agency, pki.keyIds.agency);
    svc.logout(agency);
    await expect(signer.sign(payload)).rejects.toMatchObject({ code: 'TOKEN_NOT_LOGGED_IN' });
    expectAppError(() => svc.createTokenSigner(agency, pki.keyIds.agency), 'TOKEN_NOT_LOGGED_IN');
    svc.login(agency, pin());
    expect((await signer.sign(payload)).length).toBe(256);
    svc.logout(agency);
  });

  it('refuses the expired (03) and not-yet-valid (04) agency certificates, and honours the injected clock', async () => {
    svc.login(agency, pin());
    try {
      expectAppError(() => svc.createTokenSigner(agency, pki.keyIds.agencyExpired), 'TOKEN_CERT_EXPIRED');
      expectAppError(() => svc.createTokenSigner(agency, pki.keyIds.agencyFuture), 'TOKEN_CERT_NOT_YET_VALID');
    } finally {
      svc.logout(agency);
    }
    let now = new Date('2020-06-01T00:00:00Z');
    const past = openTokenService({ modules: [pki.module], clock: () => now });
    try {
      const ref = past.findToken(pki.tokens.agency).ref;
      past.login(ref, pin());
      const signer = past.createTokenSigner(ref, pki.keyIds.agencyExpired);
      expect((await signer.sign(payload)).length).toBe(256);
      now = new Date('2022-01-01T00:00:00Z');
      await expect(signer.sign(payload)).rejects.toMatchObject({ code: 'TOKEN_CERT_EXPIRED' });
    } finally {
      past.close();
    }
  });

  it('an unknown label is TOKEN_ABSENT', () => {
    expectAppError(() => svc.findToken('KHÔNG-CÓ'), 'TOKEN_ABSENT');
  });
});
