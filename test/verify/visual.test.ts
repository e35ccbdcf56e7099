/**
 * Visual oracle: what the verifier calls allowed must not change the rendering outside the rectangles
 * it lists; what it rejects (ISA) does change it. pdftoppm renders the signed revision and the final file.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { extractSignedRevision } from '../../src-main/core/verify/index';
import { loadPki } from '../helpers/pki';
import { box, LEADER_RECT, verifyWithoutRevocation } from './helpers';
import { LAYOUT, makeBasePdf } from '../fixtures-gen/base-pdf';
import { addSignature } from '../fixtures-gen/pades';
import { identity } from '../fixtures-gen/test-certs';
import { evilAnnotation, isa, shadowReplaceV1 } from '../fixtures-gen/attacks';
import { differencesOutside } from '../fixtures-gen/render';

const pki = loadPki();
const verify = verifyWithoutRevocation(pki);
const leaderRect = LEADER_RECT;
let signed: Buffer;
let formSigned: Buffer;

beforeAll(async () => {
  signed = addSignature(await makeBasePdf(), { signer: identity('rsa'), widget: { page: 0, rect: leaderRect } });
  formSigned = addSignature(await makeBasePdf({ textField: { overBlank: true } }), { signer: identity('rsa'), widget: { page: 0, rect: leaderRect } });
});

async function allowedOnlyInsideListedRects(pdf: Buffer): Promise<void> {
  const r = await verify(pdf);
  expect(r.disallowedChange).toBe(false);
  const rects = r.signatures[0]!.changesAfter.flatMap((c) => (c.rect ? [c.rect] : []));
  expect(differencesOutside(extractSignedRevision(pdf, 0), pdf, rects)).toBe(0);
}

describe('visual oracle', () => {
  it('the Decree-30 agency widgets change pixels only inside their rectangles', async () => {
    let pdf = addSignature(signed, { signer: identity('agency'), widget: { page: 0, rect: [330, 480, 390, 540], appearance: 'q 1 0 0 rg 5 5 50 50 re f Q' } });
    pdf = addSignature(pdf, { signer: identity('agency'), widget: { page: 0, rect: box(LAYOUT.numberGap), appearance: 'BT /Helv 12 Tf 2 3 Td (12) Tj ET' } });
    await allowedOnlyInsideListedRects(pdf);
  });
  it('filling a blank field and a blank-space annotation stay inside their rectangles', async () => {
    await allowedOnlyInsideListedRects(shadowReplaceV1(formSigned));
    await allowedOnlyInsideListedRects(evilAnnotation(signed, [72, 100, 300, 130]));
  });
  it('an incremental saving attack changes the page outside any listed rectangle', async () => {
    const pdf = isa(signed, 1);
    const r = await verify(pdf);
    expect(r.disallowedChange).toBe(true);
    expect(differencesOutside(extractSignedRevision(pdf, 0), pdf, [])).toBeGreaterThan(0);
  });
});
