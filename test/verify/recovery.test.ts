import { beforeAll, describe, expect, it } from 'vitest';
import { loadPki } from '../helpers/pki';
import { makeBasePdf } from '../fixtures-gen/base-pdf';
import { addSignature } from '../fixtures-gen/pades';
import { identity } from '../fixtures-gen/test-certs';
import { appendUpdate, breakLastPrev } from '../fixtures-gen/incremental';
import { addDss } from '../fixtures-gen/lt';
import { pdfsigVerdicts } from '../fixtures-gen/pdfsig';
import { PdfFile } from '../../src-main/core/pdf/parse/document';
import { verificationReportSchema } from '../../src-main/core/verify/report-schema';
import { LEADER_RECT, verifyWithoutRevocation } from './helpers';

// Issue 9, class 5 (structure): a broken /Prev chain or an unreadable last xref is recovered the way
// mature readers do, and the report says the file was repaired — never silently.
const pki = loadPki();
const verify = verifyWithoutRevocation(pki);
let threeSigs: Buffer;
beforeAll(async () => {
  let pdf = addSignature(await makeBasePdf(), { signer: identity('rsa'), widget: { page: 0, rect: LEADER_RECT } });
  pdf = addSignature(pdf, { signer: identity('ec'), alg: 'ecdsa' });
  threeSigs = addSignature(pdf, { signer: identity('agency') });
});

/** An update whose xref section no reader can parse. */
const garbageTail = (pdf: Buffer): Buffer => appendUpdate(pdf, { objects: [{ num: 9000, body: '<</Producer (repair test)>>' }], garbageXref: 'xref\nthis is not a table\n' });

describe('class 5: recovery of broken cross-reference data', () => {
  it('a broken /Prev in the last trailer: all signatures are still listed and judged, and the report says it repaired the file', async () => {
    const pdf = breakLastPrev(addDss(threeSigs, { certs: [identity('rsa').cert, ...identity('rsa').chain] }));
    const r = await verify(pdf);
    expect(r.signatures).toHaveLength(3);
    expect(r.overall).toBe('TOTAL_PASSED');
    expect(r.repairs!.join()).toMatch(/cross-reference chain does not read/);
    expect(r.structureFindings!.some((f) => f.startsWith('REPAIRED'))).toBe(true);
    expect(r.summaryVi).toMatch(/dựng lại/);
    expect(verificationReportSchema().safeParse(JSON.parse(JSON.stringify(r))).success).toBe(true);
    expect(pdfsigVerdicts(pdf)).toHaveLength(3);
  });
  it('an unreadable last xref section is rebuilt by scanning object headers', async () => {
    const pdf = garbageTail(threeSigs);
    const file = new PdfFile(pdf);
    expect(file.anomalies.map((a) => a.kind)).toContain('XREF_REBUILT');
    const r = await verify(pdf);
    expect(r.signatures).toHaveLength(3);
    expect(r.repairs).toHaveLength(1);
    for (const s of r.signatures) expect(s.cryptoIndication).toBe('TOTAL_PASSED');
  });
  it('an intact file reports no repair', async () => {
    const r = await verify(threeSigs);
    expect(r.repairs).toBeUndefined();
    expect(r.summaryVi).not.toMatch(/dựng lại/);
  });
  it('a rebuilt update is still diffed: a content change in it is reported', async () => {
    const file = new PdfFile(threeSigs);
    const contentNum = [...file.revisions[0]!.xref.entries.keys()].find((n) => {
      const v = file.object(n, 0)?.value;
      return v && typeof v === 'object' && 'dataStart' in v && !('Subtype' in {}) && file.streamData(v as never)?.toString('latin1').includes(' Tj');
    })!;
    const ops = 'BT /F1 12 Tf 72 700 Td (Replaced) Tj ET';
    const pdf = appendUpdate(threeSigs, { objects: [{ num: contentNum, body: `<</Length ${ops.length}>>\nstream\n${ops}\nendstream` }], prev: 17 });
    const r = await verify(pdf);
    expect(r.overall).toBe('TOTAL_FAILED');
    expect(r.disallowedChange).toBe(true);
    expect(r.repairs).toHaveLength(1);
  });
});
