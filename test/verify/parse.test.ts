import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PdfFile, pages, pageAnnots, pageFingerprint, signatureEntries, contentBoxes, coveredContent } from '../../src-main/core/pdf/parse/index';
import { verifyPdf } from '../../src-main/core/verify/index';
import { loadPki } from '../helpers/pki';
import { LAYOUT, makeBasePdf } from '../fixtures-gen/base-pdf';
import { addSignature } from '../fixtures-gen/pades';
import { identity } from '../fixtures-gen/test-certs';
import { isa } from '../fixtures-gen/attacks';
import { appendUpdate, editDict, nextObjectNumber } from '../fixtures-gen/incremental';
import { rawPdf } from '../fixtures-gen/hostile';

const pki = loadPki();
let base: Buffer;
let signed: Buffer;
beforeAll(async () => {
  base = await makeBasePdf();
  signed = addSignature(base, { signer: identity('rsa'), widget: { page: 0, rect: [330, 470, 510, 550] } });
});

describe('PDF reader', () => {
  it('splits revisions at their %%EOF and keeps per-revision object views', () => {
    const f = new PdfFile(signed);
    expect(f.revisions).toHaveLength(2);
    // The update's leading EOL after %%EOF still closes revision 0.
    expect(f.revisions[0]!.end - base.length).toBeLessThanOrEqual(1);
    expect(f.revisions[1]!.end).toBe(signed.length);
    expect(pageAnnots(f, pages(f, 1)[0]!, 1)).toHaveLength(1);
    expect(pageAnnots(f, pages(f, 0)[0]!, 0)).toHaveLength(0);
    expect(f.anomalies).toEqual([]);
  });
  it('page fingerprints survive a signature and change with the page content', () => {
    const f = new PdfFile(signed);
    expect(pageFingerprint(f, pages(f, 0)[0]!, 0)).toBe(pageFingerprint(f, pages(f, 1)[0]!, 1));
    const g = new PdfFile(isa(signed, 1));
    expect(pageFingerprint(g, pages(g, 2)[0]!, 2)).not.toBe(pageFingerprint(g, pages(g, 1)[0]!, 1));
  });
  it('content boxes tell blank gaps from text', () => {
    const f = new PdfFile(base);
    const boxes = contentBoxes(f, pages(f, 0)[0]!.dict, 0);
    const r = (x: { x: number; y: number; width: number; height: number }) => x;
    expect(coveredContent(r(LAYOUT.numberGap), boxes)).toEqual([]);
    expect(coveredContent(r(LAYOUT.dateGap), boxes)).toEqual([]);
    expect(coveredContent(r(LAYOUT.bodyText), boxes).length).toBeGreaterThan(0);
  });
  it('blanks inside one text string (a simple font) are not content', () => {
    const content = 'BT /F1 12 Tf 60 762 Td (S\\364:            /Q\\320-UBND) Tj ET';
    const f = new PdfFile(rawPdf([
      '<</Type /Catalog /Pages 2 0 R>>', '<</Type /Pages /Kids [3 0 R] /Count 1>>',
      '<</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources <</Font <</F1 5 0 R>>>>>>',
      `<</Length ${content.length}>>\nstream\n${content}\nendstream`, '<</Type /Font /Subtype /Type1 /BaseFont /Helvetica>>',
    ]));
    const boxes = contentBoxes(f, pages(f, 0)[0]!.dict, 0);
    expect(boxes).toHaveLength(2);
    expect(coveredContent({ x: 85, y: 760, width: 50, height: 14 }, boxes)).toEqual([]);
    expect(coveredContent({ x: 55, y: 760, width: 20, height: 14 }, boxes)).toHaveLength(1);
  });
  it('reads linearized files (qpdf --linearize) and signs/verifies on top of them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vanthu-lin-'));
    writeFileSync(join(dir, 'in.pdf'), base);
    execFileSync('qpdf', ['--linearize', '--object-streams=disable', join(dir, 'in.pdf'), join(dir, 'lin.pdf')]);
    const lin = readFileSync(join(dir, 'lin.pdf'));
    const f = new PdfFile(lin);
    expect(f.revisions).toHaveLength(1);
    expect(f.anomalies).toEqual([]);
    const r = await verifyPdf(addSignature(lin, { signer: identity('rsa'), widget: { page: 0, rect: [330, 470, 510, 550] } }), { trustDir: pki.trustDir, revocation: 'skip' });
    expect(r.overall).toBe('TOTAL_PASSED');
  });
  it('one signature dictionary used by two fields is a FORMAT_FAILURE', async () => {
    const f = new PdfFile(signed);
    const sig = signatureEntries(f)[0]!;
    const page = pages(f, 1)[0]!;
    const n = nextObjectNumber(signed);
    const annots = (page.dict.get('Annots') as Array<{ num: number }>).map((a) => `${a.num} 0 R`).join(' ');
    const root = f.resolve(f.trailer(1).get('Root'), 1) as Parameters<typeof editDict>[0];
    const twin = appendUpdate(signed, { objects: [
      { num: n, body: `<</Type /Annot /Subtype /Widget /FT /Sig /T (Twin) /V ${sig.sigRef!.num} 0 R /Rect [0 0 0 0] /P ${page.ref!.num} 0 R>>` },
      { num: page.ref!.num, body: editDict(page.dict, { Annots: `[${annots} ${n} 0 R]` }) },
      { num: (f.trailer(1).get('Root') as { num: number }).num, body: editDict(root, { AcroForm: `<</Fields [${sig.fieldRef!.num} 0 R ${n} 0 R] /SigFlags 3>>` }) },
    ] });
    const r = await verifyPdf(twin, { trustDir: pki.trustDir, revocation: 'skip' });
    expect(r.signatures[0]).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'FORMAT_FAILURE' });
  });
});
