/**
 * Cấp số from the register on the screen's path (the backend's dispatch, as the bridge calls it): the
 * number is shown before the PIN, reserved atomically at sign.issue, the issued document recorded in
 * Văn bản đi with its file; a used number is refused; a failed signing cancels its number with the reason
 * in the audit trail; the clerk's acceptance of an unknown revocation status is an audit entry naming the
 * document and the leader's certificate. Agency settings (not the demo profile) with no revocation source
 * reachable, so the status is unknown whatever the demo profile does.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Envelope } from '../../src-main/contract/api';
import type { SignInspectionDto, SignResultDto } from '../../src-main/contract/sign';
import { yearInVietnam } from '../../src-main/contract/time';
import { createBackend, type Backend } from '../../src-main/core/backend';
import { demoSettings, registerDbPath } from '../../src-main/core/config';
import { memoryLogger } from '../../src-main/core/log';
import { openRegister } from '../../src-main/core/register/index';
import { verifyPdf } from '../../src-main/core/verify/index';
import { DEAD_URL } from '../fixtures-gen/revocation-server';
import { loadPki } from '../helpers/pki';
import { tempDir } from './helpers/fixtures';
import { leaderApproved } from './helpers/token';

const pki = loadPki();
const dir = tempDir('issue-register');
const log = memoryLogger();
const year = yearInVietnam();
const date = `${year}-03-09`;
let dataDir: string;
let backend: Backend;
let approved: Buffer;
let token: string;

beforeAll(async () => {
  approved = readFileSync(await leaderApproved(pki, dir, join(dir, 'approved.pdf')));
  const dead = DEAD_URL;
  dataDir = mkdtempSync(join(tmpdir(), 'vanthu-issue-register-'));
  backend = await createBackend({
    ...demoSettings({ ...process.env, VANTHU_DATA_DIR: dataDir, VANTHU_TEST_PKI: pki.dir }), demo: false, ocspUrlOverride: dead, crlUrlOverride: dead,
  }, log, { host: 'browser', checkOutputs: true });
  token = (await value<{ tokens: Array<{ ref: string; label: string }> }>('token.list', {})).tokens.find((t) => t.label === pki.tokens.agency)!.ref;
  await value('token.login', { token, pin: pki.userPin });
});
afterAll(async () => {
  await backend?.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

const call = async <T>(method: string, input: unknown): Promise<Envelope<T>> => (await backend.dispatch(method, input, { transport: 'test' })) as Envelope<T>;
async function value<T>(method: string, input: unknown): Promise<T> {
  const env = await call<T>(method, input);
  if (!env.ok) throw new Error(`${method}: ${env.error.code} ${env.error.message}`);
  return env.value;
}
const put = async () => (await value<{ fileId: string }>('file.put', { name: 'approved.pdf', base64: approved.toString('base64') })).fileId;
const issueJob = (fileId: string, extra: Record<string, unknown> = {}) => ({ fileId, token, book: 'di-qd', date, sealMm: 36, recipients: ['Sở Nội vụ', 'Sở Tư pháp'], ...extra });
type Doc = { id: number; number: number; code: string; state: string; Subject: string; TypeName: string };
const listed = async () => (await value<{ items: Doc[] }>('register.list', { book: 'di-qd', year })).items;
/** The register file's audit trail, read with the backend's worker closed (one writer at a time). */
function trail(docId: number): Array<{ action: string; after: string }> {
  const reg = openRegister(registerDbPath(dataDir), { agency: { name: 'x', code: '', abbr: 'UBND' } });
  try {
    return reg.audit.trail({ entity: 'document', entityId: docId }) as Array<{ action: string; after: string }>;
  } finally {
    reg.dispose();
  }
}

describe('Cấp số from the register at issuing', () => {
  let first: SignResultDto;
  let second: SignResultDto;

  it('Đ15 sign.inspect shows the number the sổ will give before any PIN, and what page 1 says for the entry', async () => {
    const r = await value<SignInspectionDto>('sign.inspect', { fileId: await put(), book: 'di-qd', date, acceptUnknownRevocation: true });
    expect(r.next).toMatchObject({ book: 'di-qd', year, number: 1, code: '01/QĐ-UBND' });
    expect(r.record).toEqual({ typeName: 'Quyết định', subject: 'Về việc ban hành Quy chế công tác văn thư điện tử', notation: 'QĐ-UBND' });
  });

  it('the seal of the agency profile saved in "Cài đặt" is the one signing proposes; sign.nextNumber previews the same number', async () => {
    const { settings } = await value<{ settings: { seal: { mm: number } } }>('settings.get', {});
    await value('settings.save', { settings: { ...settings, seal: { ...settings.seal, mm: 40 } } });
    try {
      const r = await value<SignInspectionDto>('sign.inspect', { fileId: await put(), acceptUnknownRevocation: true });
      expect(r.sealMm).toBe(40);
      expect(r.proposed.seal!.width).toBeCloseTo((40 * 72) / 25.4, 6);
    } finally {
      await value('settings.save', { settings });
    }
    expect(await value('sign.nextNumber', { book: 'di-qd', date })).toMatchObject({ number: 1, code: '01/QĐ-UBND' });
  });

  it('Đ15 two issues in a row get consecutive numbers; each is recorded in Văn bản đi, issued, with its file attached', async () => {
    first = await value<SignResultDto>('sign.issue', issueJob(await put(), { acceptUnknownRevocation: true }));
    second = await value<SignResultDto>('sign.issue', issueJob(await put(), { acceptUnknownRevocation: true }));
    expect(first.registered).toMatchObject({ book: 'di-qd', year, number: 1, code: '01/QĐ-UBND' });
    expect(second.registered).toMatchObject({ number: 2, code: '02/QĐ-UBND' });
    expect(first.issued!.number).toBe('01');
    expect(second.issued!.number).toBe('02');
    const docs = await listed();
    expect(docs.map((d) => [d.number, d.state])).toEqual(expect.arrayContaining([[1, 'issued'], [2, 'issued']]));
    const page = await value<{ document: Doc; detail: { attachments: Array<{ id: number; sha256: string; name: string }>; recipients: Array<{ OrganName: string }> } }>('register.get', { id: second.registered!.docId });
    expect(page.document).toMatchObject({ TypeName: 'Quyết định', Subject: 'Về việc ban hành Quy chế công tác văn thư điện tử', code: '02/QĐ-UBND' });
    expect(page.detail.recipients.map((r) => r.OrganName)).toEqual(['Sở Nội vụ', 'Sở Tư pháp']);
    expect(page.detail.attachments).toHaveLength(1);
    expect(page.detail.attachments[0]!.sha256).toBe(second.sha256);
    // The attachment is the very file the clerk got back, and it verifies.
    const att = await value<{ base64: string }>('register.attachment', { id: second.registered!.docId, attachmentId: page.detail.attachments[0]!.id });
    const bytes = Buffer.from(att.base64, 'base64');
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(second.sha256);
    const report = await verifyPdf(bytes, { trustDir: pki.trustDir, revocation: 'skip' });
    expect(report.signatures.length).toBeGreaterThanOrEqual(5);
    const found = await value<{ items: Doc[] }>('register.search', { text: 'văn thư điện tử', direction: 'di' });
    expect(found.items.map((d) => d.code)).toContain('02/QĐ-UBND');
  });

  it('Đ25 a copy takes its number from the copies sổ, only of a document this register issued', async () => {
    const issuedBytes = Buffer.from((await value<{ base64: string }>('file.get', { fileId: second.fileId })).base64, 'base64');
    const { fileId } = await value<{ fileId: string }>('file.put', { name: 'qd-02.pdf', base64: issuedBytes.toString('base64') });
    const copy = await value<SignResultDto>('sign.copy', { fileId, token, form: 'SAO Y', agency: 'UBND tỉnh Thử Nghiệm', book: 'sao' });
    expect(copy.registered).toMatchObject({ book: 'sao', number: 1, code: '01/SY-UBND' });
    const page = await value<{ document: Doc; detail: { attachments: Array<{ sha256: string }> } }>('register.get', { id: copy.registered!.docId });
    expect(page.document).toMatchObject({ state: 'issued', TypeName: 'Quyết định', Subject: 'Về việc ban hành Quy chế công tác văn thư điện tử' });
    expect(page.detail.attachments.map((a) => a.sha256)).toEqual([copy.sha256]);
    // The leader-signed draft was never issued here, nor digitised here: no copy, and no number taken.
    const refused = await call('sign.copy', { fileId: await put(), token, form: 'SAO LỤC', agency: 'UBND tỉnh Thử Nghiệm', book: 'sao' });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error).toMatchObject({ code: 'SIGN_REFUSED', message: expect.stringContaining('đã phát hành') });
    expect((await value<{ items: Doc[] }>('register.list', { book: 'sao', year })).items).toHaveLength(1);
  });

  it('Đ15 a number already used in the series is refused, nothing signed, no entry made', async () => {
    const before = await listed();
    const refused = await call('sign.issue', issueJob(await put(), { number: 1, acceptUnknownRevocation: true }));
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('Số 01 đã được cấp') });
    expect(await listed()).toHaveLength(before.length);
    // A number typed without a sổ is checked against the register too.
    const typed = await call('sign.issue', { ...issueJob(await put(), { acceptUnknownRevocation: true }), book: undefined, number: 2, notation: 'QĐ-UBND' });
    expect(typed.ok).toBe(false);
    if (!typed.ok) expect(typed.error).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('Số 02/QĐ-UBND đã có trong sổ văn bản đi') });
  });

  it('Đ3.2 a failed signing (leader check refused) cancels its reserved number with the reason; the next issue does not reuse it', async () => {
    const failed = await call('sign.issue', issueJob(await put()));
    expect(failed.ok).toBe(false);
    if (!failed.ok) {
      expect(failed.error.code).toBe('SIGN_REFUSED');
      expect(failed.error.message).toContain('03/QĐ-UBND');
      expect(failed.error.message).toContain('hủy');
    }
    const voided = (await listed()).find((d) => d.number === 3)!;
    expect(voided.state).toBe('cancelled');
    const third = await value<SignResultDto>('sign.issue', issueJob(await put(), { acceptUnknownRevocation: true }));
    expect(third.registered!.number).toBe(4);
  });

  it('Đ15 a batch\'s issue jobs take their numbers from the sổ too; a job that fails cancels its own number', async () => {
    const jobs = [
      { kind: 'issue', ...issueJob(await put(), { acceptUnknownRevocation: true, recipients: ['Sở Tài chính'] }), token: undefined },
      // Not confirmed: the leader check refuses it after its number was reserved.
      { kind: 'issue', ...issueJob(await put(), { recipients: ['Sở Y tế'] }), token: undefined },
    ].map(({ token: _t, ...j }) => j);
    const r = await value<{ items: Array<{ status: string; result?: { registered?: { number: number; code: string } }; error?: { code: string; message: string } }> }>('sign.batch', { token, jobs });
    expect(r.items.map((i) => i.status)).toEqual(['signed', 'failed']);
    expect(r.items[0]!.result!.registered).toMatchObject({ number: 5, code: '05/QĐ-UBND' });
    expect(r.items[1]!.error).toMatchObject({ code: 'SIGN_REFUSED', message: expect.stringContaining('06/QĐ-UBND') });
    const docs = await listed();
    expect(docs.find((d) => d.number === 5)!.state).toBe('issued');
    expect(docs.find((d) => d.number === 6)!.state).toBe('cancelled');
  });

  it('Đ3.2 the clerk\'s acceptance of an unknown revocation status is in the register\'s audit trail with the document and the leader certificate; a cancelled number shows its reason', async () => {
    await backend.close();
    const accepted = trail(first.registered!.docId).find((e) => e.action === 'issue.unknown_revocation_accepted');
    expect(accepted).toBeDefined();
    const after = JSON.parse(accepted!.after) as { code: string; file: { sha256: string }; leaderCertificate: { subject: string; serial: string }; reasons: string[] };
    expect(after.code).toBe('01/QĐ-UBND');
    expect(after.file.sha256).toBe(first.sha256);
    expect(after.leaderCertificate.subject).toContain('Nguyễn Văn An');
    expect(after.reasons.length).toBeGreaterThan(0);
    const docs = openRegister(registerDbPath(dataDir), { agency: { name: 'x', code: '', abbr: 'UBND' } });
    const voidedId = docs.reading.list({ book: 'di-qd', year, page: 1, pageSize: 50 }).items.find((d) => d.number === 3)!.id;
    docs.dispose();
    const voidEntry = trail(voidedId).find((e) => e.action === 'issue.void');
    expect(JSON.parse(voidEntry!.after)).toMatchObject({ code: '03/QĐ-UBND', errorCode: 'SIGN_REFUSED', reason: expect.stringContaining('thu hồi') });
    expect(trail(voidedId).map((e) => e.action)).toEqual(expect.arrayContaining(['document.register', 'issue.reserve', 'document.cancel', 'issue.void']));
  });
});
