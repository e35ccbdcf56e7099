import { beforeAll, describe, expect, it } from 'vitest';
import type { VerificationReport } from '../../src-main/core/verify/index';
import { loadPki } from '../helpers/pki';
import { makeBasePdf } from '../fixtures-gen/base-pdf';
import { addSignature } from '../fixtures-gen/pades';
import { identity } from '../fixtures-gen/test-certs';
import { largeCrl } from '../fixtures-gen/crl';
import { pdfsigVerdicts } from '../fixtures-gen/pdfsig';
import { addDss, changeFormFonts, signEmptyField, withEmptySignatureField, withFormResources } from '../fixtures-gen/lt';
import { LEADER_RECT, verifyWithoutRevocation } from './helpers';
import { danglingBase } from '../fixtures-gen/hostile';
import { appendUpdate } from '../fixtures-gen/incremental';

// Issue 9, classes 2 and 3: ordinary long-term-validation and multi-signature updates are allowed (each
// by a class of src-main/core/verify/policy.ts), and their look-alikes are not.
const pki = loadPki();
const verify = verifyWithoutRevocation(pki);
const leader = () => ({ signer: identity('rsa'), widget: { page: 0, rect: LEADER_RECT } });
const FIELD_RECT: [number, number, number, number] = [72, 300, 252, 360];

let signed: Buffer;
let certs: Buffer[];
beforeAll(async () => {
  signed = addSignature(await makeBasePdf(), leader());
  certs = [identity('rsa').cert, ...identity('rsa').chain];
});

const kinds = (r: VerificationReport, allowed: boolean) => r.signatures[0]!.changesAfter.filter((c) => c.allowed === allowed).map((c) => c.kind);
function expectAllowed(r: VerificationReport, ...expected: string[]): void {
  expect(kinds(r, false)).toEqual([]);
  expect(r.overall).toBe('TOTAL_PASSED');
  for (const k of expected) expect(kinds(r, true)).toContain(k);
}
function expectRefused(r: VerificationReport, kind: string): void {
  expect(r.overall).toBe('TOTAL_FAILED');
  expect(r.signatures[0]!.subIndication).toBe('DISALLOWED_MODIFICATION');
  const c = r.signatures[0]!.changesAfter.find((x) => !x.allowed && x.kind === kind);
  expect(c, kinds(r, false).join()).toBeDefined();
  expect(c!.descriptionVi.length).toBeGreaterThan(20);
}

describe('class 2: long-term validation updates', () => {
  it('a DSS with a referenced VRI, the ESIC /Extensions and the LT data as an embedded file: allowed, as pdfsig says', async () => {
    const pdf = addDss(signed, { certs, crls: [largeCrl(10)], vri: 'referenced', extensions: true, names: 'embedded-file' });
    expectAllowed(await verify(pdf), 'DSS', 'EXTENSIONS', 'EMBEDDED_FILES');
    expect(pdfsigVerdicts(pdf)[0]!.signature).toBe('Signature is Valid.');
  });
  it('a VRI dictionary that nothing references is validation data, not an orphan filling a dangling reference', async () => {
    expectAllowed(await verify(addDss(signed, { certs, vri: 'orphan' })), 'DSS', 'DSS_ORPHAN');
  });
  it('look-alike: DER-shaped data filling a dangling reference of the signed revision is still an orphan attack', async () => {
    const ops = Buffer.from('BT /F1 18 Tf 10 40 Td (FORGED) Tj ET', 'latin1');
    const der = Buffer.concat([Buffer.from([0x30, ops.length + 2, 0x04, ops.length]), ops]);
    const signedDangling = addSignature(danglingBase(), leader());
    const body = Buffer.concat([Buffer.from(`<</Length ${der.length}>>\nstream\n`, 'latin1'), der, Buffer.from('\nendstream', 'latin1')]);
    expectRefused(await verify(appendUpdate(signedDangling, { objects: [{ num: 99, body }] })), 'ORPHAN_OBJECT');
  });
  it('look-alike: /Names gaining a document JavaScript is refused', async () => {
    expectRefused(await verify(addDss(signed, { certs, names: 'javascript' })), 'CATALOG');
  });
  it('a document timestamp over the DSS (B-LTA) is a timestamp, not the agency\'s number, date and seal', async () => {
    const lta = addSignature(addDss(signed, { certs, vri: 'referenced' }), { signer: identity('tsa'), docTimestamp: true, tsa: { id: identity('tsa'), time: new Date() } });
    const r = await verify(lta);
    expectAllowed(r, 'DSS', 'DOC_TIMESTAMP');
    expect(r.signatures[1]!.isDocTimestamp).toBe(true);
    expect(r.signatures[0]!.changesAfter.find((c) => c.kind === 'DOC_TIMESTAMP')!.descriptionVi).toMatch(/dấu thời gian/);
    expect(r.summaryVi).not.toMatch(/văn thư/);
    expect(r.summaryVi).toMatch(/dấu thời gian/);
  });
});

describe('class 2: a second signer\'s update', () => {
  it('Adobe-style fonts added to the AcroForm /DR are allowed; replacing a font the form used is not', async () => {
    const base = addSignature(withFormResources(await makeBasePdf()), leader());
    expectAllowed(await verify(changeFormFonts(base, 'add')), 'DR_ADDITION');
    expectRefused(await verify(changeFormFonts(base, 'replace')), 'ACROFORM');
  });
  it('signing a prepared field sets its own /V, /AP, /F: allowed; its blank appearance object may be reused', async () => {
    const base = addSignature(withEmptySignatureField(await makeBasePdf(), 'lanh_dao_2', FIELD_RECT), leader());
    const second = { signer: identity('ec'), alg: 'ecdsa' as const };
    const fresh = await verify(signEmptyField(base, 'lanh_dao_2', second));
    expectAllowed(fresh, 'SIGNED_FIELD_ENTRIES', 'NEW_SIGNATURE');
    expect(fresh.signatures).toHaveLength(2);
    expect(fresh.signatures[1]!.indication).toBe('TOTAL_PASSED');
    expectAllowed(await verify(signEmptyField(base, 'lanh_dao_2', { ...second, reuseAppearance: true })), 'EMPTY_FIELD_APPEARANCE');
  });
  it('look-alike: the blank appearance rewritten to show something without signing the field is refused', async () => {
    const base = addSignature(withEmptySignatureField(await makeBasePdf(), 'lanh_dao_2', FIELD_RECT), leader());
    const r = await verify(signEmptyField(base, 'lanh_dao_2', { ...leader(), appearanceOnly: true }));
    expect(r.overall).toBe('TOTAL_FAILED');
    expect(r.disallowedChange).toBe(true);
  });
});

describe('class 3: document timestamp dictionaries', () => {
  const tsa = () => ({ signer: identity('tsa'), docTimestamp: true, tsa: { id: identity('tsa'), time: new Date() } });
  it('/Type /Sig with /SubFilter /ETSI.RFC3161 is judged as the document timestamp it is', async () => {
    const r = await verify(addSignature(signed, { ...tsa(), dictType: 'Sig' }));
    expect(r.overall).toBe('TOTAL_PASSED');
    expect(r.signatures[1]!.isDocTimestamp).toBe(true);
    expect(r.signatures[1]!.warnings!.join()).toMatch(/judged by the \/SubFilter/);
  });
  it('/Type /DocTimeStamp over a CAdES signature is judged as the signature it is', async () => {
    const r = await verify(addSignature(await makeBasePdf(), { ...leader(), dictType: 'DocTimeStamp' }));
    expect(r.overall).toBe('TOTAL_PASSED');
    expect(r.signatures[0]!.isDocTimestamp).toBe(false);
    expect(r.signatures[0]!.signerName).toBe('Phạm Thị Hoa'.normalize('NFC'));
  });
});
