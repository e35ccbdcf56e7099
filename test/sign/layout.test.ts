import fontkit from '@cantoo/fontkit';
import { PDFDocument } from '@cantoo/pdf-lib';
import { describe, expect, it } from 'vitest';
import { fontBytes, parsedFont } from '../../src-main/core/pdf/appearance/fonts';
import { textWidth } from '../../src-main/core/pdf/appearance/text';
import { findDateGaps, findNumberGap, findSignerBlock, signatureRectInBlock } from '../../src-main/core/pdf/layout/decree30';
import { extractLines } from '../../src-main/core/pdf/layout/text-lines';
import { makeSampleDocument } from '../../src-main/core/pdf/sign/sample-document';
import { requireLeaderSignature } from '../../src-main/core/pdf/sign/leader-check';
import type { SignatureReport, VerificationReport } from '../../src-main/core/verify/report';

/** A page written the way word processors do it: every word its own positioned run, no spaces. */
async function wordByWordDocument(): Promise<{ bytes: Uint8Array; soEnd: number; slashStart: number; ngayEnd: number; thangStart: number }> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(fontBytes('regular'), { subset: true });
  const page = doc.addPage([595.28, 841.89]);
  const put = (t: string, x: number, y: number) => { page.drawText(t, { x, y, size: 13, font }); return x + font.widthOfTextAtSize(t, 13); };
  const soEnd = put('Số:', 90, 735);
  const slashStart = soEnd + 30;
  put('/UBND-VP', slashStart, 735);
  let x = put('Hà Nội,', 330, 735);
  const ngayEnd = put('ngày', x + 4, 735);
  const thangStart = ngayEnd + 22;
  x = put('tháng', thangStart, 735);
  x = put('năm', x + 20, 735);
  put('2026', x + 4, 735);
  put('KT. CHỦ TỊCH', 400, 300);
  put('PHÓ CHỦ TỊCH', 400, 284);
  put('- Như trên;', 90, 284);
  put('Trần Thị Bình', 405, 200);
  return { bytes: await doc.save(), soEnd, slashStart, ngayEnd, thangStart };
}

describe('shaped text kept per face', () => {
  type Run = { glyphs: Array<{ id: number }>; advanceWidth: number };
  it('answers a text shaped before with the same run, equal to a fresh shaping, per text and features', () => {
    const kept = parsedFont('italic') as { layout(t: string, f?: unknown): Run };
    const fresh = fontkit.create(Buffer.from(fontBytes('italic'))) as unknown as { layout(t: string, f?: unknown): Run };
    for (const text of ['05', 'Số 12/QĐ-UBND', 'ffi', 'tháng 07']) {
      const first = kept.layout(text);
      expect(kept.layout(text)).toBe(first);
      expect(first.glyphs.map((g) => g.id)).toEqual(fresh.layout(text).glyphs.map((g) => g.id));
      expect(first.advanceWidth).toBe(fresh.layout(text).advanceWidth);
    }
    // Features change the shaping: a run made without ligatures is not the default one.
    const noLiga = kept.layout('ffi', { liga: false });
    expect(noLiga).not.toBe(kept.layout('ffi'));
    expect(noLiga.glyphs.map((g) => g.id)).toEqual(fresh.layout('ffi', { liga: false }).glyphs.map((g) => g.id));
  });
});

describe('Decree-30 layout from pdf.js text', () => {
  it('finds the blanks and the signer block when every word is its own run', async () => {
    const d = await wordByWordDocument();
    const { lines } = await extractLines(d.bytes);
    const gap = findNumberGap(lines)!;
    expect(gap.x0).toBeCloseTo(d.soEnd, 0);
    expect(gap.x1).toBeCloseTo(d.slashStart, 0);
    const date = findDateGaps(lines)!;
    expect(date.day.x0).toBeCloseTo(d.ngayEnd, 0);
    expect(date.day.x1).toBeCloseTo(d.thangStart, 0);
    const block = findSignerBlock(lines, 'TRẦN THỊ BÌNH')!;
    expect(block.title.text).toBe('PHÓ CHỦ TỊCH');
    const rect = signatureRectInBlock(block, 2.5);
    expect(rect.y).toBeGreaterThan(200);
    expect(rect.y + rect.height).toBeLessThan(284);
  });

  it('positions inside one run follow Times metrics (sample document, spaces in the run)', async () => {
    const { lines } = await extractLines(await makeSampleDocument());
    const gap = findNumberGap(lines)!;
    // "Số:" followed by ten spaces in one 13 pt run.
    expect(gap.x1 - gap.x0).toBeCloseTo(textWidth(' '.repeat(10), 13), 0);
    const date = findDateGaps(lines)!;
    expect(date.month.x1 - date.month.x0).toBeCloseTo(textWidth(' '.repeat(8), 13, 'italic'), 0);
    expect(findSignerBlock(lines, 'Không Có Người Này')).toBeNull();
  });
});

describe('leader check on a verification report', () => {
  const agencyCert = Buffer.from('agency-der');
  const sig = (over: Partial<SignatureReport>): SignatureReport => ({
    fieldName: 'F', index: 0, indication: 'TOTAL_PASSED', summaryVi: 'Hợp lệ.', reasons: [], signerName: 'Nguyễn Văn An',
    signerIsOrganisation: false, certificate: 'bGVhZGVy', signingTime: null, signingTimeSource: null, revisionEnd: 1, widget: null, changesAfter: [], ...over,
  });
  const report = (signatures: SignatureReport[], disallowedChange = false): VerificationReport =>
    ({ overall: 'TOTAL_PASSED', disallowedChange, signatures, summaryVi: '' });

  it('Đ3.2 accepts a passed personal signature, and revocation unknown only on the explicit choice', () => {
    expect(requireLeaderSignature(report([sig({})]), agencyCert, false).fieldName).toBe('F');
    const tryLater = report([sig({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER' })]);
    expect(requireLeaderSignature(tryLater, agencyCert, true).fieldName).toBe('F');
    expect(() => requireLeaderSignature(tryLater, agencyCert, false)).toThrow(expect.objectContaining({
      code: 'SIGN_REFUSED', vi: expect.stringContaining('có bị thu hồi hay không'),
    }));
    const revoked = report([sig({ indication: 'TOTAL_FAILED', subIndication: 'REVOKED' })]);
    expect(() => requireLeaderSignature(revoked, agencyCert, true)).toThrow(expect.objectContaining({
      code: 'SIGN_REFUSED', vi: expect.stringContaining('đã bị thu hồi'),
    }));
  });

  it("never counts the agency's own or an organisation's signature as the leader's", () => {
    const own = sig({ certificate: agencyCert.toString('base64') });
    const org = sig({ signerIsOrganisation: true });
    expect(() => requireLeaderSignature(report([own, org]), agencyCert, true))
      .toThrow(expect.objectContaining({ vi: expect.stringContaining('chưa có chữ ký số hợp lệ') }));
  });

  it('refuses after a disallowed change, and says why a signature failed', () => {
    expect(() => requireLeaderSignature(report([sig({})], true), agencyCert, true))
      .toThrow(expect.objectContaining({ vi: expect.stringContaining('bị sửa đổi sau khi') }));
    const untrusted = report([sig({ indication: 'INDETERMINATE', subIndication: 'NO_CERTIFICATE_CHAIN_FOUND' })]);
    expect(() => requireLeaderSignature(untrusted, agencyCert, true))
      .toThrow(expect.objectContaining({ vi: expect.stringContaining('không thuộc tổ chức cung cấp dịch vụ chứng thực được tin cậy') }));
    const hash = report([sig({ indication: 'TOTAL_FAILED', subIndication: 'HASH_FAILURE' })]);
    expect(() => requireLeaderSignature(hash, agencyCert, true))
      .toThrow(expect.objectContaining({ vi: expect.stringContaining('đã bị thay đổi sau khi ký') }));
  });
});
