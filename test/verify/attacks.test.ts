import { beforeAll, describe, expect, it } from 'vitest';
import type { VerificationReport } from '../../src-main/core/verify/index';
import { loadPki } from '../helpers/pki';
import { box, LEADER_RECT, verifyWithoutRevocation } from './helpers';
import { LAYOUT, makeBasePdf } from '../fixtures-gen/base-pdf';
import { addSignature, buildCms } from '../fixtures-gen/pades';
import { identity } from '../fixtures-gen/test-certs';
import * as A from '../fixtures-gen/attacks';
import { danglingBase } from '../fixtures-gen/hostile';
import { createHash } from 'node:crypto';

const pki = loadPki();
const verify = verifyWithoutRevocation(pki);
const leaderRect = LEADER_RECT;

let signed: Buffer;
let formSigned: Buffer;
let readOnlySigned: Buffer;
let overlaySigned: Buffer;
let blankFormSigned: Buffer;
let prefilledSigned: Buffer;

beforeAll(async () => {
  const leader = { signer: identity('rsa'), widget: { page: 0, rect: leaderRect } };
  signed = addSignature(await makeBasePdf(), leader);
  formSigned = addSignature(await makeBasePdf({ textField: {} }), leader);
  readOnlySigned = addSignature(await makeBasePdf({ textField: { readOnly: true } }), leader);
  overlaySigned = addSignature(await makeBasePdf({ overlayImage: true }), leader);
  blankFormSigned = addSignature(await makeBasePdf({ textField: { overBlank: true } }), leader);
  prefilledSigned = addSignature(await makeBasePdf({ textField: { overBlank: true, value: 'Original text' } }), leader);
});

function expectIntact(r: VerificationReport) {
  expect(r.signatures[0]!.cryptoIndication).toBe('TOTAL_PASSED');
}
function expectDisallowed(r: VerificationReport, kind?: string) {
  expect(r.overall).toBe('TOTAL_FAILED');
  expect(r.disallowedChange).toBe(true);
  if (kind) expect(r.signatures[0]!.changesAfter.filter((c) => !c.allowed).map((c) => c.kind)).toContain(kind);
}

describe('baseline', () => {
  it('the untouched signature passes with no changes', async () => {
    const r = await verify(signed);
    expect(r.overall).toBe('TOTAL_PASSED');
    expect(r.signatures[0]!.changesAfter).toEqual([]);
    expect(r.signatures[0]!.coverage).toBe('ENTIRE_FILE');
  });
});

describe('USF: universal signature forgery never verifies', () => {
  it('every in-place variant is rejected', async () => {
    const other = buildCms(createHash('sha256').update('another document').digest(), { signer: identity('rsa') });
    const variants = A.usfVariants(signed, other, identity('rsa').cert);
    expect(variants.length).toBeGreaterThanOrEqual(20);
    for (const v of variants) {
      const r = await verify(v.pdf);
      expect(r.overall, v.name).not.toBe('TOTAL_PASSED');
      for (const s of r.signatures) expect(s.indication, v.name).not.toBe('TOTAL_PASSED');
    }
  });
});

describe('ISA: incremental saving attack', () => {
  it('variant 1 (clean update) keeps the signature intact but the document is changed', async () => {
    const r = await verify(A.isa(signed, 1));
    expectIntact(r);
    expectDisallowed(r, 'PAGE');
    expect(r.signatures[0]!.subIndication).toBe('DISALLOWED_MODIFICATION');
    expect(r.summaryVi).toBe('Không hợp lệ — văn bản bị sửa sau khi ký.');
  });
  it.each([2, 3, 5] as const)('variant %i (objects outside any xref) is also a FORMAT_FAILURE', async (v) => {
    const r = await verify(A.isa(signed, v));
    expect(r.overall).toBe('TOTAL_FAILED');
    expect(r.signatures[0]!.subIndication).toBe('FORMAT_FAILURE');
    expect(r.disallowedChange).toBe(true);
  });
  it('variant 4 (trailer copies the old /Size) is disallowed', async () => {
    expectDisallowed(await verify(A.isa(signed, 4)), 'PAGE');
  });
  it('a page added to the page tree is disallowed', async () => {
    expectDisallowed(await verify(A.isaNewPage(signed)), 'PAGE_TREE');
  });
});

describe('SWA: signature wrapping', () => {
  it('is a FORMAT_FAILURE', async () => {
    const r = await verify(A.swa(signed));
    expect(r.overall).toBe('TOTAL_FAILED');
    for (const s of r.signatures) expect(s.subIndication).toBe('FORMAT_FAILURE');
  });
});

describe('shadow attacks', () => {
  it('hide v1: two objects share one offset in a "metadata" update', async () => {
    const r = await verify(A.shadowHideV1(overlaySigned));
    expectDisallowed(r);
    expect(r.signatures[0]!.changesAfter.map((c) => c.kind)).toEqual(expect.arrayContaining(['STRUCTURE_DUPLICATE_OFFSET', 'OBJECT_CHANGED']));
  });
  it.each(['flags', 'empty'] as const)('hide v2 (%s): field redefinition is not form filling', async (mode) => {
    expectDisallowed(await verify(A.shadowHideV2(formSigned, mode)), 'FIELD_CHANGED');
  });
  it('replace v1: filling an unlocked field laid over signed text changes what the signer saw: reported', async () => {
    const r = await verify(A.shadowReplaceV1(formSigned));
    expectDisallowed(r, 'FORM_FILL_OVER_CONTENT');
    expect(r.signatures[0]!.changesAfter.find((c) => c.kind === 'FORM_FILL_OVER_CONTENT')?.descriptionVi).toContain('ghi_chu');
  });
  it('replace v1 on a field that showed a value when signed: reported even over blank space', async () => {
    expectDisallowed(await verify(A.shadowReplaceV1(prefilledSigned)), 'FIELD_VALUE_REPLACED');
  });
  it('filling an empty unlocked field over blank space is form filling: allowed and listed', async () => {
    const r = await verify(A.shadowReplaceV1(blankFormSigned));
    expect(r.overall).toBe('TOTAL_PASSED');
    const fill = r.signatures[0]!.changesAfter.find((c) => c.kind === 'FORM_FILL');
    expect(fill?.allowed).toBe(true);
    expect(fill?.descriptionVi).toContain('ghi_chu');
  });
  it('replace v1 on a read-only field is disallowed', async () => {
    expectDisallowed(await verify(A.shadowReplaceV1(readOnlySigned)), 'LOCKED_FIELD_FILLED');
  });
  it('replace v2: a redefined font is disallowed', async () => {
    const r = await verify(A.shadowReplaceV2(signed));
    expectDisallowed(r, 'OBJECT_CHANGED');
    const font = r.signatures[0]!.changesAfter.find((c) => c.kind === 'OBJECT_CHANGED' && c.descriptionVi.includes('phông chữ'));
    // The object and what changed in it are named, so the change can be found in the file.
    expect(font?.descriptionVi).toMatch(/phông chữ \(đối tượng số \d+\) của bản đã ký bị thay đổi: (các khóa \/|nội dung luồng)/);
  });
  it('hide-and-replace: an xref-only update pointing into signed bytes is a FORMAT_FAILURE', async () => {
    const r = await verify(A.hideAndReplace(signed));
    expect(r.signatures[0]!.subIndication).toBe('FORMAT_FAILURE');
    expect(r.signatures[0]!.changesAfter.map((c) => c.kind)).toContain('STRUCTURE_XREF_OUTSIDE_UPDATE');
  });
});

describe('certification attacks', () => {
  const overContent = box(LAYOUT.bodyText);
  const blank: [number, number, number, number] = [72, 100, 300, 130];
  it('evil annotation over content of an approval-signed document is disallowed', async () => {
    expectDisallowed(await verify(A.evilAnnotation(signed, overContent)), 'ANNOTATION');
  });
  it('an annotation over blank space of an approval-signed document is listed and allowed', async () => {
    const r = await verify(A.evilAnnotation(signed, blank));
    expect(r.overall).toBe('TOTAL_PASSED');
    expect(r.signatures[0]!.changesAfter[0]).toMatchObject({ kind: 'ANNOTATION', allowed: true, page: 0 });
  });
  it('evil annotation under DocMDP P2 is disallowed even over blank space', async () => {
    const certified = addSignature(await makeBasePdf(), { signer: identity('rsa'), widget: { page: 0, rect: leaderRect }, docMdp: 2 });
    expectDisallowed(await verify(A.evilAnnotation(certified, blank)), 'ANNOTATION');
  });
  it('evil annotation under DocMDP P3 is permitted and listed with its rectangle', async () => {
    const certified = addSignature(await makeBasePdf(), { signer: identity('rsa'), widget: { page: 0, rect: leaderRect }, docMdp: 3 });
    const r = await verify(A.evilAnnotation(certified, overContent));
    expect(r.disallowedChange).toBe(false);
    expect(r.signatures[0]!.changesAfter[0]).toMatchObject({ kind: 'ANNOTATION', allowed: true, rect: { x: overContent[0] } });
  });
  it('DocMDP P1 forbids even a new signature', async () => {
    const certified = addSignature(await makeBasePdf(), { signer: identity('rsa'), widget: { page: 0, rect: leaderRect }, docMdp: 1 });
    const r = await verify(addSignature(certified, { signer: identity('agency') }));
    expect(r.signatures[0]!.indication).toBe('TOTAL_FAILED');
    expect(r.signatures[1]!.indication).toBe('TOTAL_PASSED');
  });
  it('sneaky signature: a new signature widget drawing over signed content is disallowed', async () => {
    const certified = addSignature(await makeBasePdf(), { signer: identity('rsa'), widget: { page: 0, rect: leaderRect }, docMdp: 2 });
    const sneaky = addSignature(certified, { signer: identity('agency'), widget: { page: 0, rect: overContent, appearance: 'BT /Helv 20 Tf 5 50 Td (Other text) Tj ET' } });
    const r = await verify(sneaky);
    expectDisallowed(r, 'OVERLAY');
    expect(r.signatures[1]!.cryptoIndication).toBe('TOTAL_PASSED');
  });
  it('a later update rewriting an existing signature dictionary (/Reason spoofing) is disallowed', async () => {
    expectDisallowed(await verify(A.reasonSpoof(signed)), 'SIGNATURE_CHANGED');
  });
});

describe('dangling references', () => {
  it('an update that only fills a dangling reference of the signed page is disallowed', async () => {
    const signedDangling = addSignature(danglingBase(), { signer: identity('rsa') });
    expect((await verify(signedDangling)).overall).toBe('TOTAL_PASSED');
    expectDisallowed(await verify(A.danglingFill(signedDangling)), 'ORPHAN_OBJECT');
  });
});

describe('the Decree-30 issuing pattern', () => {
  it('number and date over blank space and the seal over the left third pass, described plainly', async () => {
    const seal = 60;
    const [x, y, x2, y2] = leaderRect;
    const sx = x + (x2 - x) / 3 - seal;
    const sy = y + (y2 - y) / 2 - seal / 2;
    let pdf = addSignature(signed, { signer: identity('agency'), widget: { page: 0, rect: [sx, sy, sx + seal, sy + seal] } });
    pdf = addSignature(pdf, { signer: identity('agency'), widget: { page: 0, rect: box(LAYOUT.numberGap), appearance: 'BT /Helv 12 Tf 2 3 Td (12) Tj ET' } });
    pdf = addSignature(pdf, { signer: identity('agency'), widget: { page: 0, rect: box(LAYOUT.dateGap), appearance: 'BT /Helv 12 Tf 2 3 Td (ngày 05 tháng 02 năm 2026) Tj ET' } });
    const r = await verify(pdf);
    expect(r.overall).toBe('TOTAL_PASSED');
    expect(r.disallowedChange).toBe(false);
    const changes = r.signatures[0]!.changesAfter;
    expect(changes).toHaveLength(3);
    for (const c of changes) expect(c).toMatchObject({ allowed: true, kind: 'DECREE30_ISSUING' });
    expect(changes[0]!.descriptionVi).toMatch(/^Sau chữ ký của lãnh đạo, văn thư đã thêm số, ngày và dấu/);
    expect(r.summaryVi).toContain('sau chữ ký của lãnh đạo, văn thư đã thêm số, ngày và dấu');
  });
  it('a "seal" covering the whole leader signature is disallowed', async () => {
    const r = await verify(addSignature(signed, { signer: identity('agency'), widget: { page: 0, rect: leaderRect } }));
    expectDisallowed(r, 'OVERLAY_SIGNATURE');
  });
});
