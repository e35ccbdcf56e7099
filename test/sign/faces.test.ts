/**
 * One path for signing: `vanthu sign issue` and a screen's sign.issue (the backend's dispatch, as the
 * bridge and IPC call it) on the same input choose the same key, refuse the same out-of-limit values
 * and put number, day, month and seal in the same places — the places sign.inspect proposed.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Envelope } from '../../src-main/contract/api';
import { NOTATION_MAX_CHARS, SEAL_MM_MAX } from '../../src-main/contract/limits';
import type { SignInspectionDto, SignResultDto } from '../../src-main/contract/sign';
import { yearInVietnam } from '../../src-main/contract/time';
import { createBackend, type Backend } from '../../src-main/core/backend';
import { demoSettings } from '../../src-main/core/config';
import { memoryLogger } from '../../src-main/core/log';
import { approvePdf } from '../../src-main/core/pdf/sign/index';
import { centreText, ISSUE_FACE } from '../../src-main/core/pdf/layout/placement';
import { loadPki } from '../helpers/pki';
import { runCli } from './helpers/cli';
import { SIGNATURE_PNG, tempDir, writeSample } from './helpers/fixtures';
import { issuingChain } from './helpers/software-signer';
import { openTestTokens } from './helpers/token';

const pki = loadPki();
const dir = tempDir('faces');
const date = `${yearInVietnam()}-03-09`;
const samples = [
  { name: 'a', opts: {} },
  { name: 'b', opts: { signerName: 'Trần Thị Bình', notation: 'KH-UBND' } },
];
let approved: string[] = [];
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  const tokens = openTestTokens(pki);
  try {
    approved = await Promise.all(samples.map(async (s) => {
      const out = join(dir, `${s.name}.approved.pdf`);
      await approvePdf(await writeSample(dir, `${s.name}.pdf`, s.opts), out, tokens.leader(), { image: SIGNATURE_PNG, intermediates: issuingChain(pki), ...(s.opts.signerName ? { signerName: s.opts.signerName } : {}) });
      return out;
    }));
  } finally {
    tokens.close();
  }
});

const cliEnv = { VANTHU_PIN: pki.userPin, SOFTHSM2_CONF: pki.softhsm2Conf, VANTHU_DATA_DIR: join(dir, 'cli-data'), VANTHU_CONFIG: '' };
// Each face numbers from its own register's sổ đi; asking for the same numbers makes their outputs comparable.
const issueArgs = (input: string, out: string, number: number, over: string[] = []) => ['sign', 'issue', input, '-o', out, '--book', 'di-qd', '--number', String(number), '--date', date, '--json', '--module', pki.module, '--token', pki.tokens.agency, ...over];

describe('CLI and screen sign.issue', () => {
  const cli: Array<SignResultDto & { output: string }> = [];
  const cliRefusals: Array<{ status: number; stderr: string }> = [];

  it('the CLI issues each sample and refuses values over the limits', async () => {
    for (const [i, input] of approved.entries()) {
      const r = await runCli(issueArgs(input, join(dir, `cli-${i}.pdf`), 7 + i), cliEnv);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      cli.push(JSON.parse(r.stdout));
    }
    for (const over of [['--notation', `${'Q'.repeat(NOTATION_MAX_CHARS - 4)}Đ-UBX`], ['--seal-mm', String(SEAL_MM_MAX + 1)]]) {
      cliRefusals.push(await runCli(issueArgs(approved[0]!, join(dir, 'cli-refused.pdf'), 9, over), cliEnv));
    }
    expect(cliRefusals.map((r) => r.status)).toEqual([64, 64]);
  });

  it('the screen path (dispatch) proposes and signs the same places with the same key and limits', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'vanthu-faces-'));
    const backend: Backend = await createBackend(demoSettings({ ...process.env, VANTHU_DATA_DIR: dataDir }), memoryLogger(), { host: 'browser', checkOutputs: true });
    const call = async <T>(method: string, input: unknown): Promise<Envelope<T>> => (await backend.dispatch(method, input, { transport: 'test' })) as Envelope<T>;
    const value = async <T>(method: string, input: unknown): Promise<T> => {
      const env = await call<T>(method, input);
      if (!env.ok) throw new Error(`${method}: ${env.error.code} ${env.error.message}`);
      return env.value;
    };
    try {
      const token = (await value<{ tokens: Array<{ ref: string; label: string }> }>('token.list', {})).tokens.find((t) => t.label === pki.tokens.agency)!.ref;
      const key = await value<{ keyId: string }>('sign.key', { token });
      expect(key.keyId).toBe(pki.keyIds.agency);
      await value('token.login', { token, pin: pki.userPin });
      for (const [i, input] of approved.entries()) {
        const { fileId } = await value<{ fileId: string }>('file.put', { name: `${i}.pdf`, base64: readFileSync(input).toString('base64') });
        const inspection = await value<SignInspectionDto>('sign.inspect', { fileId });
        const { number, day, month, seal } = inspection.proposed;
        // As the screen sends it when the clerk moved nothing: the proposed boxes.
        const issued = await value<SignResultDto>('sign.issue', { fileId, token, book: 'di-qd', number: 7 + i, date, sealMm: inspection.sealMm, positions: { number: number!, day: day!, month: month!, seal: seal! } });
        const fromCli = cli[i]!;
        expect(issued.issued).toEqual(fromCli.issued);
        expect(issued.issued!.seal).toEqual(seal);
        expect(issued.registered).toMatchObject({ book: 'di-qd', number: 7 + i });
        expect(issued.issued!.spots.number).toEqual(centreText(number!, `0${7 + i}`, ISSUE_FACE.number));
        expect(issued.issued!.spots.day).toEqual(centreText(day!, '09', ISSUE_FACE.day));
        expect(issued.issued!.spots.month).toEqual(centreText(month!, '3', ISSUE_FACE.month));
        const agency = (r: SignResultDto) => r.verification.signatures.at(-1)!.certificate;
        expect(agency(issued)).toBe(agency(fromCli));
        expect(issued.verification.signatures.map((s) => s.indication)).toEqual(fromCli.verification.signatures.map((s) => s.indication));
      }
      const { fileId } = await value<{ fileId: string }>('file.put', { name: 'x.pdf', base64: readFileSync(approved[0]!).toString('base64') });
      const base = { fileId, token, book: 'di-qd', number: 9, date, sealMm: 36 };
      const refused = [
        await call('sign.issue', { ...base, notation: `${'Q'.repeat(NOTATION_MAX_CHARS - 4)}Đ-UBX` }),
        await call('sign.issue', { ...base, sealMm: SEAL_MM_MAX + 1 }),
      ];
      expect(refused.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual(['INPUT_INVALID', 'INPUT_INVALID']);
      expect(cliRefusals.map((r) => r.stderr.split('\n')[0])).toEqual(refused.map((r) => (r.ok ? '' : `Lỗi: ${r.error.message}`)));
    } finally {
      await backend.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
