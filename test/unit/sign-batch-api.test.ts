/**
 * sign.batch and the signature PIN through the real backend's dispatch (the function both transports
 * call), with the SoftHSM agency token logged in through token.login, and the sign.progress events the
 * backend publishes on its hub (the ones both hosts forward to the renderer).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../src-main/core/backend';
import { demoSettings } from '../../src-main/core/config';
import { memoryLogger } from '../../src-main/core/log';
import type { Envelope } from '../../src-main/contract/api';
import { signProgress, type BatchResultDto, type SignProgressDto, type SignResultDto } from '../../src-main/contract/sign';
import { makeSampleDocument } from '../../src-main/core/pdf/sign/index';
import { verifyPdf } from '../../src-main/core/verify/index';
import { loadPki } from '../helpers/pki';

const pki = loadPki();
// A second PIN no other value in the run looks like, so a hit in the log can only be a leak.
const CONTEXT_PIN = '73915ctx';
let backend: Backend;
let log: ReturnType<typeof memoryLogger>;
let agencyRef: string;
let samples: Buffer[];
const events: SignProgressDto[] = [];

async function call<T>(method: string, input: unknown): Promise<T> {
  const env = (await backend.dispatch(method, input, { transport: 'test' })) as Envelope<T>;
  if (!env.ok) throw Object.assign(new Error(`${method}: ${env.error.code} ${env.error.message}`), { code: env.error.code });
  return env.value;
}
async function failure(method: string, input: unknown): Promise<{ code: string; message: string }> {
  const env = await backend.dispatch(method, input, { transport: 'test' });
  if (env.ok) throw new Error(`${method} unexpectedly succeeded`);
  return env.error;
}
const put = (name: string, bytes: Buffer) => call<{ fileId: string }>('file.put', { name, base64: bytes.toString('base64') });
const get = async (fileId: string) => Buffer.from((await call<{ base64: string }>('file.get', { fileId })).base64, 'base64');
const eventsOf = (operationId: string) => events.filter((e) => e.operationId === operationId);

beforeAll(async () => {
  // Distinct contents: the same content twice in one batch is one job, not two.
  samples = await Promise.all([1, 2, 3, 4].map(async (i) => Buffer.from(await makeSampleDocument({ signerName: `Người Ký ${i}`, notation: `${i}/QĐ-UBND` }))));
  const settings = demoSettings({ ...process.env, VANTHU_DATA_DIR: mkdtempSync(join(tmpdir(), 'vanthu-batch-')) });
  log = memoryLogger();
  backend = await createBackend(settings, log, { host: 'browser', checkOutputs: true });
  backend.subscribe((event, payload) => {
    // Each payload as the contract defines it (a strict parse: the renderer relies on these fields).
    if (event === 'sign.progress') events.push(signProgress.strict().parse(payload));
  });
  agencyRef = (await call<{ tokens: Array<{ ref: string; label: string }> }>('token.list', {})).tokens.find((t) => t.label === pki.tokens.agency)!.ref;
  await call('token.login', { token: agencyRef, pin: pki.userPin });
});
afterAll(async () => {
  await backend?.close();
});

describe('sign.batch', () => {
  let first: BatchResultDto;
  let jobs: Array<{ kind: 'appendix'; fileId: string; ref: string }>;

  it('signs three appendices with one signer, progress 1/3, 2/3, 3/3 in order', async () => {
    const files = await Promise.all(samples.slice(0, 3).map((b, i) => put(`phu-luc-${i + 1}.pdf`, b)));
    jobs = files.map((f) => ({ kind: 'appendix' as const, fileId: f.fileId, ref: '12/QĐ-UBND' }));
    first = await call<BatchResultDto>('sign.batch', { token: agencyRef, operationId: 'batch-one', jobs });
    expect(first.operationId).toBe('batch-one');
    expect(first.stopped).toBeNull();
    expect(first.items.map((i) => i.status)).toEqual(['signed', 'signed', 'signed']);
    expect(first.items.map((i) => i.fileId)).toEqual(files.map((f) => f.fileId));
    const ev = eventsOf('batch-one');
    expect(ev.map((e) => [e.done, e.total, e.index, e.status])).toEqual([[1, 3, 0, 'signed'], [2, 3, 1, 'signed'], [3, 3, 2, 'signed']]);
    expect(ev.map((e) => e.name)).toEqual(['phu-luc-1.pdf', 'phu-luc-2.pdf', 'phu-luc-3.pdf']);
    for (const [i, item] of first.items.entries()) {
      expect(item.result!.name).toBe(`phu-luc-${i + 1}-da-ky.pdf`);
      expect(item.result!.summaryVi.length).toBeGreaterThan(5);
      const out = await get(item.result!.fileId);
      // Incremental: the input is an exact prefix; one agency signature that verifies.
      expect(out.subarray(0, samples[i]!.length).equals(samples[i]!)).toBe(true);
      const report = await verifyPdf(out, { trustDir: pki.trustDir, revocation: 'skip' });
      expect(report.signatures).toHaveLength(1);
      expect(report.signatures[0]!.cryptoIndication).toBe('TOTAL_PASSED');
    }
  });

  it('resumes: the same batch again signs nothing and hands back the earlier outputs as skipped', async () => {
    const again = await call<BatchResultDto>('sign.batch', { token: agencyRef, operationId: 'batch-again', jobs });
    expect(again.items.map((i) => i.status)).toEqual(['skipped', 'skipped', 'skipped']);
    expect(again.items.map((i) => i.result!.fileId)).toEqual(first.items.map((i) => i.result!.fileId));
    expect(eventsOf('batch-again').map((e) => [e.done, e.status])).toEqual([[1, 'skipped'], [2, 'skipped'], [3, 'skipped']]);
    // Other options are another job: a different ref signs again.
    const other = await call<BatchResultDto>('sign.batch', { token: agencyRef, jobs: [{ ...jobs[0]!, ref: '13/QĐ-UBND' }] });
    expect(other.items[0]!.status).toBe('signed');
    expect(other.items[0]!.result!.fileId).not.toBe(first.items[0]!.result!.fileId);
    expect(other.operationId).toMatch(/^[A-Za-z0-9_-]{16}$/);
  });

  it('fails a non-PDF file alone; the others are signed and reported', async () => {
    const png = await put('anh.pdf', Buffer.from('\x89PNG\r\n\x1a\nnot a pdf at all', 'latin1'));
    const good = await put('phu-luc-4.pdf', samples[3]!);
    const r = await call<BatchResultDto>('sign.batch', {
      token: agencyRef, operationId: 'with-bad',
      jobs: [{ kind: 'copy', fileId: png.fileId, form: 'SAO Y', agency: 'Văn phòng UBND tỉnh' }, { kind: 'copy', fileId: good.fileId, form: 'SAO Y', agency: 'Văn phòng UBND tỉnh' }],
    });
    expect(r.items.map((i) => i.status)).toEqual(['failed', 'signed']);
    expect(r.items[0]!.error).toEqual({ code: 'PDF_INVALID', message: 'Tệp đã chọn không phải tệp PDF.' });
    expect(r.items[1]!.result!.name).toBe('phu-luc-4-ban-sao.pdf');
    expect(r.stopped).toBeNull();
    const ev = eventsOf('with-bad');
    expect(ev.map((e) => [e.done, e.index, e.status])).toEqual([[1, 0, 'failed'], [2, 1, 'signed']]);
    expect(ev[0]!.errorVi).toBe('Tệp đã chọn không phải tệp PDF.');
  });

  it('stops at a token error, says so, and a later call signs only what is left', async () => {
    const files = await Promise.all(samples.slice(0, 3).map((b, i) => put(`ban-sao-${i + 1}.pdf`, b)));
    const copyJobs = files.map((f) => ({ kind: 'copy' as const, fileId: f.fileId, form: 'SAO LỤC' as const, agency: 'Sở Nội vụ' }));
    // The token is logged out as soon as the first file is signed (as when the clerk pulls it).
    const off = backend.subscribe((event, p) => {
      if (event === 'sign.progress' && (p as SignProgressDto).operationId === 'pulled' && (p as SignProgressDto).done === 1) void call('token.logout', { token: agencyRef });
    });
    const r = await call<BatchResultDto>('sign.batch', { token: agencyRef, operationId: 'pulled', jobs: copyJobs });
    off();
    expect(r.items[0]!.status).toBe('signed');
    expect(r.items[1]!.status).toBe('failed');
    expect(r.items[1]!.error!.code).toBe('TOKEN_NOT_LOGGED_IN');
    expect(r.items[2]!.status).toBe('stopped');
    expect(r.stopped?.code).toBe('TOKEN_NOT_LOGGED_IN');
    expect(r.stopped?.message).toMatch(/đăng nhập/);

    await call('token.login', { token: agencyRef, pin: pki.userPin });
    const resumed = await call<BatchResultDto>('sign.batch', { token: agencyRef, operationId: 'resumed', jobs: copyJobs });
    expect(resumed.items.map((i) => i.status)).toEqual(['skipped', 'signed', 'signed']);
    expect(resumed.items[0]!.result!.fileId).toBe(r.items[0]!.result!.fileId);
  });

  it('refuses unknown keys, an empty or oversized job list and a bad operation id with INPUT_INVALID', async () => {
    const f = await put('x.pdf', samples[0]!);
    const job = { kind: 'appendix', fileId: f.fileId, ref: '1/QĐ' };
    const cases: unknown[] = [
      { token: agencyRef, jobs: [job], pin: pki.userPin },
      { token: agencyRef, jobs: [{ ...job, output: '/tmp/x.pdf' }] },
      { token: agencyRef, jobs: [{ ...job, kind: 'approve' }] },
      { token: agencyRef, jobs: [] },
      { token: agencyRef, jobs: Array.from({ length: 201 }, () => job) },
      { token: agencyRef, jobs: [job], operationId: '../../etc' },
      { token: agencyRef, jobs: [job], contextPin: '12' },
    ];
    for (const input of cases) expect((await failure('sign.batch', input)).code).toBe('INPUT_INVALID');
  });
});

describe('the signature PIN (contextPin)', () => {
  it('is accepted by batch and single signing and never reaches the log', async () => {
    const f = await put('pin.pdf', samples[1]!);
    const single = await call<SignResultDto>('sign.appendix', { fileId: f.fileId, token: agencyRef, ref: '5/QĐ-UBND', contextPin: CONTEXT_PIN });
    expect(single.verification.signatures).toHaveLength(1);
    const batch = await call<BatchResultDto>('sign.batch', { token: agencyRef, contextPin: CONTEXT_PIN, jobs: [{ kind: 'copy', fileId: f.fileId, form: 'TRÍCH SAO', agency: 'Sở Tư pháp' }] });
    expect(batch.items[0]!.status).toBe('signed');
    // Failed calls log their reason: the PIN must not be part of it either.
    await failure('sign.batch', { token: agencyRef, contextPin: CONTEXT_PIN, jobs: [], extra: CONTEXT_PIN });
    await failure('sign.copy', { fileId: 'A'.repeat(32), token: agencyRef, form: 'SAO Y', agency: 'X', contextPin: CONTEXT_PIN });
    expect(log.lines.length).toBeGreaterThan(0);
    expect(log.lines.join('\n')).not.toContain(CONTEXT_PIN);
    expect(log.lines.join('\n')).not.toContain(pki.userPin);
  });

  it('the certificate list says whether a key asks for it', async () => {
    const { certificates } = await call<{ certificates: Array<{ alwaysAuthenticate: boolean | null; privateKey: string }> }>('token.certificates', { token: agencyRef });
    const withKey = certificates.filter((c) => c.privateKey === 'present');
    expect(withKey.length).toBeGreaterThan(0);
    // SoftHSM's test keys are plain (no CKA_ALWAYS_AUTHENTICATE): logged in, the answer is known.
    for (const c of withKey) expect(c.alwaysAuthenticate).toBe(false);
  });
});
