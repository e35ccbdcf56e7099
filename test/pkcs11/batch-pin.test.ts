import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approvePdf, signBatch, type BatchJob, type IssueOptions } from '../../src-main/core/pdf/sign/index';
import { makeSampleDocument } from '../../src-main/core/pdf/sign/sample-document';
import { BatchPin, openTokenService } from '../../src-main/core/token';
import { loadPki, repoRoot, type TestPki } from '../helpers/pki';
import { slowToken } from '../helpers/slow-token';

/**
 * A CKA_ALWAYS_AUTHENTICATE key (the slow-token model demanding a context login before every C_Sign):
 * an issue makes four signatures, a batch of two makes eight; the clerk types the PIN once per batch.
 */
let pki: TestPki;
let dir: string;
let approved: string;
let jobs: BatchJob[];

beforeAll(async () => {
  pki = loadPki();
  dir = mkdtempSync(join(tmpdir(), 'vanthu-batch-pin-'));
  const chain = [readFileSync(join(pki.certs, 'issuing-ca.der'))];
  const svc = openTokenService({ modules: [pki.module], pollIntervalMs: 60_000 });
  try {
    const ref = svc.findToken(pki.tokens.leader).ref;
    svc.login(ref, Buffer.from(pki.userPin));
    const raw = join(dir, 'raw.pdf');
    writeFileSync(raw, await makeSampleDocument());
    approved = join(dir, 'approved.pdf');
    await approvePdf(raw, approved, svc.createTokenSigner(ref, pki.keyIds.leader), { image: readFileSync(join(repoRoot, 'resources/images/sample-signature-blue.png')), intermediates: chain });
  } finally {
    svc.close();
  }
  // No revocation responder runs here: the unknown status is accepted as a clerk would.
  const options: IssueOptions = {
    number: 1, notation: 'QĐ-UBND', trust: { trustDir: pki.trustDir }, intermediates: chain, acceptUnknownRevocation: true, validationData: false,
    stamp: readFileSync(join(repoRoot, 'resources/images/sample-seal-red.png')),
  };
  jobs = [0, 1].map((i) => ({ kind: 'issue', input: approved, output: join(dir, `issued-${i}.pdf`), options: { ...options, number: 20 + i } }));
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Logs in to the agency token with a PIN typed once, then signs the batch with `contextPin(thatPin)` as the signature PIN. */
async function runBatch(contextPin: (loginPin: Buffer) => BatchPin) {
  for (const j of jobs) rmSync(j.output, { force: true });
  const slow = slowToken({ signDelayMs: 0, alwaysAuthenticate: true, pin: pki.userPin });
  const svc = openTokenService({ modules: [pki.module], pkcs11Factory: slow.factory, pollIntervalMs: 60_000 });
  try {
    const ref = svc.findToken(pki.tokens.agency).ref;
    const loginPin = Buffer.from(pki.userPin);
    const batchPin = contextPin(loginPin);
    svc.login(ref, loginPin);
    const signer = svc.createTokenSigner(ref, pki.keyIds.agency, { contextPin: batchPin });
    const results = await signBatch(jobs, signer, { batchPin });
    return { results, counters: { ...slow.counters }, batchPin, loginPin };
  } finally {
    svc.close();
  }
}

describe('signature PIN held for one batch', () => {
  it('a token that signs with its user PIN: the PIN typed at login serves all eight signatures of two issues, then is wiped', async () => {
    const r = await runBatch((login) => BatchPin.of(login));
    expect(r.results.map((x) => x.status)).toEqual(['signed', 'signed']);
    expect(r.counters).toMatchObject({ signs: 8, userLogins: 1, contextLogins: 8 });
    expect(r.loginPin.every((b) => b === 0)).toBe(true);
    await expect(r.batchPin.next()).rejects.toThrow(/after the batch ended/);
  });

  it('a token with its own signature PIN asks for it once per batch and wipes what was typed', async () => {
    let prompts = 0;
    const typedPins: Buffer[] = [];
    const r = await runBatch(() => new BatchPin(async () => { prompts++; const b = Buffer.from(pki.userPin); typedPins.push(b); return b; }));
    expect(r.results.map((x) => x.status)).toEqual(['signed', 'signed']);
    expect(prompts).toBe(1);
    expect(r.counters).toMatchObject({ signs: 8, contextLogins: 8 });
    expect(typedPins.every((b) => b.every((x) => x === 0))).toBe(true);
  });

  it('a mistyped signature PIN is tried once, never replayed: the batch stops with TOKEN_PIN_INCORRECT and writes nothing', async () => {
    let prompts = 0;
    const r = await runBatch(() => new BatchPin(async () => { prompts++; return Buffer.from('000000'); }));
    expect(r.results).toHaveLength(1);
    expect(r.results[0]).toMatchObject({ status: 'failed', error: { code: 'TOKEN_PIN_INCORRECT' } });
    expect(prompts).toBe(1);
    expect(r.counters).toMatchObject({ signs: 0, contextLogins: 1 });
    for (const j of jobs) expect(existsSync(j.output)).toBe(false);
  });
});
