/**
 * Files, verification and signing through the real backend's dispatch (the function both transports
 * call), with the SoftHSM agency token logged in through token.login like the token screen does.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../src-main/core/backend';
import { demoSettings } from '../../src-main/core/config';
import { memoryLogger } from '../../src-main/core/log';
import type { Envelope } from '../../src-main/contract/api';
import type { SignInspectionDto, SignResultDto } from '../../src-main/contract/sign';
import type { VerificationReportDto } from '../../src-main/contract/verify';
import { loadPki } from '../helpers/pki';
import { yearInVietnam } from '../../src-main/contract/time';
import { leaderSignedSample } from '../e2e-web/harness';
import { withDemoRevocation } from '../../src-main/core/services/demo-revocation';
import type { DemoResponder } from '../../src-main/core/trust/demo-responder';

const pki = loadPki();
let backend: Backend;
let fixture: { unsigned: Buffer; signed: Buffer };
let agencyRef: string;
// The demo profile's own revocation source on a free port, as `vanthu start` runs it (no fixed port shared with other test files).
let responder: DemoResponder | null = null;

async function call<T>(method: string, input: unknown): Promise<T> {
  const env = (await backend.dispatch(method, input, { transport: 'test' })) as Envelope<T>;
  if (!env.ok) throw Object.assign(new Error(`${method}: ${env.error.code} ${env.error.message}`), { code: env.error.code, vi: env.error.message });
  return env.value;
}
async function failure(method: string, input: unknown): Promise<{ code: string; message: string }> {
  const env = await backend.dispatch(method, input, { transport: 'test' });
  if (env.ok) throw new Error(`${method} unexpectedly succeeded`);
  return env.error;
}
const put = (name: string, bytes: Buffer) => call<{ fileId: string; size: number; sha256: string }>('file.put', { name, base64: bytes.toString('base64') });
const get = async (fileId: string) => Buffer.from((await call<{ base64: string }>('file.get', { fileId })).base64, 'base64');

beforeAll(async () => {
  fixture = await leaderSignedSample();
  const demo = await withDemoRevocation(demoSettings({ ...process.env, VANTHU_DATA_DIR: mkdtempSync(join(tmpdir(), 'vanthu-api-')) }), memoryLogger(), process.env);
  responder = demo.responder;
  const settings = demo.settings;
  backend = await createBackend(settings, memoryLogger(), { host: 'browser', checkOutputs: true });
  agencyRef = (await call<{ tokens: Array<{ ref: string; label: string }> }>('token.list', {})).tokens.find((t) => t.label === pki.tokens.agency)!.ref;
});
afterAll(async () => {
  await backend?.close();
  await responder?.stop();
});

describe('files over the API', () => {
  it('round-trips bytes by opaque id', async () => {
    const f = await put('Quyết định.pdf', fixture.signed);
    expect(f.size).toBe(fixture.signed.length);
    expect(await get(f.fileId)).toEqual(fixture.signed);
  });
});

describe('verification over the API', () => {
  it('reports the leader signature with the certificate organisation and title', async () => {
    const f = await put('a.pdf', fixture.signed);
    const r = await call<VerificationReportDto>('verify.file', { fileId: f.fileId });
    expect(r.signatures).toHaveLength(1);
    const s = r.signatures[0]!;
    expect(s.signerName).toBe('Trần Thị Bình');
    expect(s.signerOrganisation).toBe('UBND tỉnh Thử Nghiệm');
    expect(s.signerTitle).toBe('Phó Chủ tịch');
    expect(s.indication).toBe('TOTAL_PASSED');
    expect(s.revocation?.status).toBe('good');
    expect(r.summaryVi).toMatch(/^Hợp lệ/);
    expect(s.summaryVi.length).toBeGreaterThan(5);
  });

  it('stores the exact bytes a signature covers as a new file', async () => {
    const issued = await issueOnce();
    const rev = await call<{ fileId: string; name: string }>('verify.signedRevision', { fileId: issued.fileId, index: 0 });
    expect(await get(rev.fileId)).toEqual(fixture.signed);
    expect(rev.name).toMatch(/ban-ky-1\.pdf$/);
    expect((await failure('verify.signedRevision', { fileId: issued.fileId, index: 40 })).code).toBe('NOT_FOUND');
  });

  it('refuses non-PDF content with PDF_INVALID', async () => {
    const f = await put('anh.pdf', Buffer.from('\x89PNG\r\n\x1a\nnot a pdf', 'latin1'));
    expect((await failure('verify.file', { fileId: f.fileId })).code).toBe('PDF_INVALID');
  });
});

let issuedOnce: SignResultDto | null = null;
async function issueOnce(): Promise<SignResultDto> {
  if (issuedOnce) return issuedOnce;
  await call('token.login', { token: agencyRef, pin: pki.userPin });
  const f = await put('quyet-dinh.pdf', fixture.signed);
  issuedOnce = await call<SignResultDto>('sign.issue', { fileId: f.fileId, token: agencyRef, number: 7, notation: 'QĐ-UBND', date: `${yearInVietnam()}-02-05`, sealMm: 36 });
  return issuedOnce;
}

describe('signing over the API', () => {
  it('inspects page 1 and the leader signature before signing', async () => {
    const f = await put('a.pdf', fixture.signed);
    const i = await call<SignInspectionDto>('sign.inspect', { fileId: f.fileId });
    expect(i.pageCount).toBeGreaterThanOrEqual(1);
    expect(i.firstPage.width).toBeCloseTo(595.28, 0);
    expect(i.leader).toMatchObject({ present: true, verified: true, signerName: 'Trần Thị Bình' });
    expect(i.leader.widget).not.toBeNull();
    expect(i.proposed.number).not.toBeNull();
    expect(i.proposed.day).not.toBeNull();
    expect(i.proposed.month).not.toBeNull();
    // The seal square's right edge sits at the left third of the leader image.
    const seal = i.proposed.seal!;
    const w = i.leader.widget!;
    expect(seal.width).toBeCloseTo(36 * 72 / 25.4, 3);
    expect(seal.x + seal.width).toBeCloseTo(w.x + w.width / 3, 3);
  });

  it('says when the document has no leader signature', async () => {
    const f = await put('a.pdf', fixture.unsigned);
    const i = await call<SignInspectionDto>('sign.inspect', { fileId: f.fileId });
    expect(i.leader).toMatchObject({ present: false, verified: false });
    expect(i.leader.summaryVi).toContain('chưa có chữ ký số');
  });

  it('refuses to sign before the agency token is logged in, and takes no PIN', async () => {
    const f = await put('a.pdf', fixture.signed);
    if (!issuedOnce) expect((await failure('sign.appendix', { fileId: f.fileId, token: agencyRef, ref: '12/QĐ-UBND' })).code).toBe('TOKEN_NOT_LOGGED_IN');
    const withPin = await failure('sign.appendix', { fileId: f.fileId, token: agencyRef, ref: '12/QĐ-UBND', pin: '123456' });
    expect(withPin.code).toBe('INPUT_INVALID');
  });

  it('issues: number, date and seal as agency signatures after the leader, original untouched', async () => {
    const r = await issueOnce();
    const out = await get(r.fileId);
    expect(out.subarray(0, fixture.signed.length)).toEqual(fixture.signed);
    expect(r.name).toBe('quyet-dinh-so-07-da-ky.pdf');
    expect(r.verification.signatures).toHaveLength(5);
    expect(r.verification.signatures.every((s) => s.cryptoIndication === 'TOTAL_PASSED')).toBe(true);
    // The Decree-30 issuing pattern is legitimate: every signature passes and no change is disallowed
    // (revocation answered by the local OCSP responder at the certificates' AIA address).
    expect(r.verification.disallowedChange).toBe(false);
    expect(r.verification.overall).toBe('TOTAL_PASSED');
    expect(r.verification.summaryVi).toMatch(/^Hợp lệ/);
    expect(r.verification.signatures.slice(1).every((s) => s.signerIsOrganisation)).toBe(true);
  });

  it('issues at positions the clerk moved', async () => {
    await issueOnce();
    const f = await put('b.pdf', fixture.signed);
    const i = await call<SignInspectionDto>('sign.inspect', { fileId: f.fileId });
    const seal = { ...i.proposed.seal!, x: i.proposed.seal!.x - 20 };
    const number = { ...i.proposed.number!, x: i.proposed.number!.x + 3 };
    const r = await call<SignResultDto>('sign.issue', { fileId: f.fileId, token: agencyRef, number: 8, notation: 'QĐ-UBND', date: `${yearInVietnam()}-02-05`, sealMm: 36, positions: { seal, number } });
    const sealSig = r.verification.signatures.find((s) => s.fieldName.startsWith('DongDau'))!;
    expect(sealSig.widget!.rect.x).toBeCloseTo(seal.x, 1);
  });

  it('refuses to issue a document without a leader signature, in Vietnamese', async () => {
    await issueOnce();
    const f = await put('a.pdf', fixture.unsigned);
    const e = await failure('sign.issue', { fileId: f.fileId, token: agencyRef, number: 9, notation: 'QĐ-UBND', date: `${yearInVietnam()}-02-05`, sealMm: 36 });
    expect(e.code).toBe('SIGN_REFUSED');
    expect(e.message).toContain('lãnh đạo');
    const bad = await failure('sign.issue', { fileId: f.fileId, token: agencyRef, number: 9, notation: 'QĐ-UBND', date: `${yearInVietnam()}-02-30`, sealMm: 36 });
    expect(bad.code).toBe('INPUT_INVALID');
  });

  it('signs an appendix and an electronic copy', async () => {
    await issueOnce();
    const f = await put('phu-luc.pdf', fixture.unsigned);
    const a = await call<SignResultDto>('sign.appendix', { fileId: f.fileId, token: agencyRef, ref: '07/QĐ-UBND' });
    expect(a.verification.signatures).toHaveLength(1);
    expect(a.verification.signatures[0]!.cryptoIndication).toBe('TOTAL_PASSED');
    const c = await call<SignResultDto>('sign.copy', { fileId: f.fileId, token: agencyRef, form: 'SAO Y', agency: 'Văn phòng UBND tỉnh' });
    expect(c.name).toBe('phu-luc-ban-sao.pdf');
    expect((await failure('sign.copy', { fileId: f.fileId, token: agencyRef, form: 'BẢN NHÁP', agency: 'X' })).code).toBe('INPUT_INVALID');
  });
});
