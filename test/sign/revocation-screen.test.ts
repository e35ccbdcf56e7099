/**
 * Điều 3.2 on the screen's path (the backend's dispatch, as the bridge calls it), with agency settings
 * (not the demo profile) and no revocation source reachable: sign.inspect says the status is unknown
 * and does not pass the leader; the clerk's confirmation (acceptUnknownRevocation) issues, and the
 * choice is in the result and the log.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Envelope } from '../../src-main/contract/api';
import type { SignInspectionDto, SignResultDto } from '../../src-main/contract/sign';
import { yearInVietnam } from '../../src-main/contract/time';
import { createBackend, type Backend } from '../../src-main/core/backend';
import { demoSettings } from '../../src-main/core/config';
import { memoryLogger } from '../../src-main/core/log';
import { DEAD_URL } from '../fixtures-gen/revocation-server';
import { loadPki } from '../helpers/pki';
import { tempDir } from './helpers/fixtures';
import { leaderApproved } from './helpers/token';

const pki = loadPki();
const dir = tempDir('revocation-screen');
const log = memoryLogger();
let backend: Backend;
let approved: string;

beforeAll(async () => {
  // The leader signs through its token, closed again before the backend opens the module.
  approved = await leaderApproved(pki, dir, join(dir, 'approved.pdf'));
  const dead = DEAD_URL;
  const dataDir = mkdtempSync(join(tmpdir(), 'vanthu-revscreen-'));
  backend = await createBackend({
    ...demoSettings({ ...process.env, VANTHU_DATA_DIR: dataDir, VANTHU_TEST_PKI: pki.dir }), demo: false, ocspUrlOverride: dead, crlUrlOverride: dead,
  }, log, { host: 'browser', checkOutputs: true });
});
afterAll(async () => {
  await backend?.close();
  rmSync(dir, { recursive: true, force: true });
});

const call = async <T>(method: string, input: unknown): Promise<Envelope<T>> => (await backend.dispatch(method, input, { transport: 'test' })) as Envelope<T>;
const value = async <T>(method: string, input: unknown): Promise<T> => {
  const env = await call<T>(method, input);
  if (!env.ok) throw new Error(`${method}: ${env.error.code} ${env.error.message}`);
  return env.value;
};

describe('Đ3.2 screen path, revocation unknown', () => {
  it('Đ3.2 inspect does not pass the leader and says why; issue refuses; the confirmed issue is signed and logged', async () => {
    const { fileId } = await value<{ fileId: string }>('file.put', { name: 'approved.pdf', base64: readFileSync(approved).toString('base64') });
    const plain = await value<SignInspectionDto>('sign.inspect', { fileId });
    expect(plain.leader).toMatchObject({ present: true, verified: false, revocationUnknown: true });
    expect(plain.leader.summaryVi).toContain('có bị thu hồi hay không');
    const confirmed = await value<SignInspectionDto>('sign.inspect', { fileId, acceptUnknownRevocation: true });
    expect(confirmed.leader).toMatchObject({ verified: true, revocationUnknown: true });

    const token = (await value<{ tokens: Array<{ ref: string; label: string }> }>('token.list', {})).tokens.find((t) => t.label === pki.tokens.agency)!.ref;
    await value('token.login', { token, pin: pki.userPin });
    const { number, day, month, seal } = confirmed.proposed;
    const job = { fileId, token, keyId: pki.keyIds.agency, number: 3, notation: 'QĐ-UBND', date: `${yearInVietnam()}-03-09`, sealMm: confirmed.sealMm, positions: { number: number!, day: day!, month: month!, seal: seal! } };
    const refused = await call('sign.issue', job);
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error).toMatchObject({ code: 'SIGN_REFUSED', message: expect.stringContaining('có bị thu hồi hay không') });
    const issued = await value<SignResultDto>('sign.issue', { ...job, acceptUnknownRevocation: true });
    expect(issued.issued).toMatchObject({ unknownRevocationAccepted: true, ltv: false });
    expect(log.lines.join('\n')).toMatch(/issued although the leader certificate revocation status is unknown/);
  });
});
