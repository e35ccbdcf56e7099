import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { KeySigner } from '../../src-main/core/crypto/signer';
import { IncrementalSigner } from '../../src-main/core/pdf/sign/incremental-signer';
import { makeSampleDocument } from '../../src-main/core/pdf/sign/sample-document';
import { addDss } from '../../src-main/core/pdf/sign/validation-data';
import { loadPki } from '../helpers/pki';
import { p12Signer } from './helpers/software-signer';

/**
 * Revisions queued on the incremental signer: revision n+1 is built and written while the token still
 * signs revision n (what hides a slow USB token's wait), and every signature still covers all the
 * revisions before it. Shown with a signer whose signatures are released by hand: no clock involved.
 */
const pki = loadPki();
const dir = mkdtempSync(join(tmpdir(), 'vanthu-pipeline-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function heldSigner(base: KeySigner) {
  const waiting: Array<() => void> = [];
  const failAt = { n: -1 };
  let calls = 0;
  const signer: KeySigner = {
    ...base,
    sign: (data) => {
      const n = calls++;
      return new Promise<Buffer>((resolve, reject) => {
        waiting.push(() => (n === failAt.n ? reject(new Error('token pulled')) : resolve(base.sign(data))));
      });
    },
  };
  const releaseNext = async () => {
    while (waiting.length === 0) await new Promise((r) => setImmediate(r));
    waiting.shift()!();
  };
  return { signer, releaseNext, failAt, calls: () => calls, waiting };
}

/** A signer behind a gate that has not opened yet, one revision queued. */
async function gatedWithOne() {
  const held = heldSigner(p12Signer(pki, 'agency'));
  const s = await IncrementalSigner.open(await makeSampleDocument());
  let pass!: () => void;
  s.gate(new Promise<void>((resolve) => { pass = resolve; }));
  await s.queue(spec(held.signer, 0));
  return { held, s, pass };
}

const spec = (signer: KeySigner, i: number) => ({ signer, page: 0, rect: { x: 100 + 60 * i, y: 100, width: 50, height: 20 }, appearance: null, namePrefix: `P${i}`, signingTime: new Date() });

describe('queued revisions on the incremental signer', () => {
  it('builds the next revision while the previous signature is pending, and every signature verifies (pdfsig)', async () => {
    const held = heldSigner(p12Signer(pki, 'agency'));
    const s = await IncrementalSigner.open(await makeSampleDocument());
    const sizes = [s.byteLength];
    await s.queue(spec(held.signer, 0));
    sizes.push(s.byteLength);
    await s.queue(spec(held.signer, 1));
    sizes.push(s.byteLength);
    await s.queue(spec(held.signer, 2));
    sizes.push(s.byteLength);
    // Three revisions written, no signature given yet: only the first was asked for.
    expect(new Set(sizes).size).toBe(4);
    expect(held.waiting).toHaveLength(1);
    expect(() => s.result()).toThrow(/pending/);
    for (let i = 0; i < 3; i++) await held.releaseNext();
    await s.settle();
    expect(held.calls()).toBe(3);
    const out = join(dir, 'queued.pdf');
    writeFileSync(out, s.result());
    const report = execFileSync('pdfsig', [out], { encoding: 'utf8' });
    expect(report.match(/Signature Validation: Signature is Valid\./g)).toHaveLength(3);
  });

  it('a signature that fails stops the later ones, and settle() throws it', async () => {
    const held = heldSigner(p12Signer(pki, 'agency'));
    held.failAt.n = 0;
    const s = await IncrementalSigner.open(await makeSampleDocument());
    await s.queue(spec(held.signer, 0));
    await s.queue(spec(held.signer, 1));
    await held.releaseNext();
    await expect(s.settle()).rejects.toThrow('token pulled');
    expect(held.calls()).toBe(1);
    await expect(s.queue(spec(held.signer, 2))).rejects.toThrow('token pulled');
    expect(() => s.result()).toThrow();
  });

  it('behind a gate (the leader check), revisions are built but the token is asked nothing until it passes, and nothing at all when it fails', async () => {
    const { held, s, pass } = await gatedWithOne();
    await new Promise((r) => setImmediate(r));
    expect(held.calls()).toBe(0);
    pass();
    await held.releaseNext();
    await s.settle();
    expect(held.calls()).toBe(1);

    const refused = heldSigner(p12Signer(pki, 'agency'));
    const t = await IncrementalSigner.open(await makeSampleDocument());
    t.gate(Promise.reject(new Error('no leader signature')));
    await expect(t.queue(spec(refused.signer, 0)).then(() => t.settle())).rejects.toThrow('no leader signature');
    expect(refused.calls()).toBe(0);
  });

  it('signing() waits until the token holds a signature; an unsigned revision (the DSS) is written while it still signs, and hashed after it', async () => {
    const { held, s, pass } = await gatedWithOne();
    let signing = false;
    void s.signing().then(() => { signing = true; });
    await new Promise((r) => setImmediate(r));
    expect(signing).toBe(false);
    pass();
    await s.signing();
    expect(held.calls()).toBe(1);

    const before = s.byteLength;
    let appended = false;
    const dss = s.appendUnsigned((doc) => addDss(doc, { certs: [held.signer.certificate], ocsps: [], crls: [] })).then(() => { appended = true; });
    while (s.byteLength === before) await new Promise((r) => setImmediate(r));
    // Written behind the signature the token still holds; not done until that signature is in.
    expect(appended).toBe(false);
    expect(() => s.result()).toThrow(/pending/);
    await held.releaseNext();
    await dss;
    const bytes = s.result();
    // The running hash took the DSS revision after the signed one: it is the hash of the file as written.
    expect(s.sha256()).toBe(createHash('sha256').update(bytes).digest('hex'));
    const out = join(dir, 'dss-behind.pdf');
    writeFileSync(out, bytes);
    expect(execFileSync('pdfsig', [out], { encoding: 'utf8' })).toMatch(/Signature Validation: Signature is Valid\./);
    execFileSync('qpdf', ['--check', out]);
    expect(Buffer.from(bytes).toString('latin1')).toContain('/DSS');
  });
});
