/**
 * Cấp số when the token refuses the signature itself: a key that asks for its signature PIN before each
 * signature (the slow-token model of a USB token, over SoftHSM) is given a wrong one after the number
 * was reserved. The number is cancelled with the token's reason in the register's audit trail, and the
 * next issue gets the next number. The signing service runs on a register opened in this process.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signMethods, type SignResultDto } from '../../src-main/contract/sign';
import { yearInVietnam } from '../../src-main/contract/time';
import { memoryLogger } from '../../src-main/core/log';
import { openRegister, type Register } from '../../src-main/core/register/index';
import { issuingApi } from '../../src-main/core/register/issuing-api';
import { signHandlers } from '../../src-main/core/services/sign-handlers';
import type { IssuingRegister } from '../../src-main/core/services/sign-register';
import { openTokenService, type TokenService } from '../../src-main/core/token';
import { Workspace } from '../../src-main/core/workspace';
import { loadPki } from '../helpers/pki';
import { slowToken } from '../helpers/slow-token';
import { SEAL_PNG, tempDir } from './helpers/fixtures';
import { issuingChain } from './helpers/software-signer';
import { leaderApproved } from './helpers/token';

const pki = loadPki();
const dir = tempDir('issue-register-pin');
const data = mkdtempSync(join(tmpdir(), 'vanthu-issue-pin-'));
const date = `${yearInVietnam()}-04-01`;
let reg: Register;
let tokens: TokenService;
let handlers: ReturnType<typeof signHandlers>;
let workspace: Workspace;
let approved: Buffer;
let token: string;

beforeAll(async () => {
  approved = readFileSync(await leaderApproved(pki, dir, join(dir, 'approved.pdf')));
  reg = openRegister(join(data, 'register.db'), { agency: { name: 'UBND tỉnh Thử Nghiệm', code: '', abbr: 'UBND' } });
  const api = issuingApi(reg);
  const register = Object.fromEntries(Object.entries(api).map(([m, h]) => [m, (input: unknown) => (h as (i: unknown, c: unknown) => unknown)(input, { transport: 'test' })])) as unknown as IssuingRegister;
  // Every private key asks for its signature PIN before each signature, as many USB tokens do.
  tokens = openTokenService({ modules: [pki.module], pkcs11Factory: slowToken({ signDelayMs: 0, alwaysAuthenticate: true, pin: pki.userPin }).factory, pollIntervalMs: 60_000 });
  token = tokens.findToken(pki.tokens.agency).ref;
  tokens.login(token, Buffer.from(pki.userPin));
  workspace = new Workspace(join(data, 'workspace'));
  handlers = signHandlers({
    workspace, tokens, register, log: memoryLogger(),
    settings: { trustDir: pki.trustDir, sealMm: 36, demo: false, tsaUrl: undefined },
    seal: async () => ({ image: SEAL_PNG, mm: 36 }),
    intermediates: issuingChain(pki),
    revocation: { revocationCacheDir: join(data, 'revocation') },
    requireDigitizedHere: async () => { throw new Error('not used'); },
  });
});
afterAll(() => {
  tokens?.close();
  reg?.dispose();
  rmSync(dir, { recursive: true, force: true });
  rmSync(data, { recursive: true, force: true });
});

const issue = (contextPin: string) => {
  const { fileId } = workspace.put('approved.pdf', approved);
  const input = signMethods['sign.issue'].input.parse({ fileId, token, keyId: pki.keyIds.agency, contextPin, book: 'di-qd', date, sealMm: 36, acceptUnknownRevocation: true });
  return handlers['sign.issue'](input, { transport: 'test' }) as Promise<SignResultDto>;
};

describe('Cấp số and a signature the token refuses', () => {
  it('Đ15 a wrong signature PIN after the reservation cancels the number with the token\'s reason in the audit trail; the next issue gets the next number', async () => {
    await expect(issue('000000')).rejects.toMatchObject({ code: 'TOKEN_PIN_INCORRECT', vi: expect.stringContaining('Số 01/QĐ-UBND đã giữ cho văn bản này được hủy') });
    const voided = reg.reading.list({ book: 'di-qd', year: yearInVietnam(), page: 1, pageSize: 10 }).items.find((d) => d.number === 1)!;
    expect(voided.state).toBe('cancelled');
    const trail = reg.audit.trail({ entity: 'document', entityId: voided.id }) as Array<{ action: string; after: string }>;
    const entry = trail.find((e) => e.action === 'issue.void')!;
    expect(JSON.parse(entry.after)).toMatchObject({ code: '01/QĐ-UBND', errorCode: 'TOKEN_PIN_INCORRECT', reason: expect.stringContaining('PIN') });

    const ok = await issue(pki.userPin);
    expect(ok.registered).toMatchObject({ number: 2, code: '02/QĐ-UBND' });
    expect(reg.reading.get(ok.registered!.docId).document.state).toBe('issued');
  }, 120_000);
});
