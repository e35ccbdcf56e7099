/**
 * The Decree-30 flow end to end on the SoftHSM tokens: leader approval, then the agency's number,
 * date and seal, then attachment and copy signatures; every output checked by pdfsig, OpenSSL, qpdf,
 * pdf.js, pdftotext and a pdftoppm rendering.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { yearInVietnam } from '../../src-main/contract/time';
import { loadPki, type TestPki } from '../helpers/pki';
import { approvePdf, issuePdf, signAttachment, signCopy, type IssueResult } from '../../src-main/core/pdf/sign/index';
import { extractLines } from '../../src-main/core/pdf/layout/text-lines';
import { findSignerBlock, signatureRectInBlock } from '../../src-main/core/pdf/layout/decree30';
import { IncrementalSigner } from '../../src-main/core/pdf/sign/incremental-signer';
import type { Rect } from '../../src-main/core/verify/report';
import { isoVietnam } from '../../src-main/contract/text';
import { extractSignatures, opensslVerify, pdfsig, pdftotext, qpdfCheck, requireTool } from './helpers/oracles';
import { openTestTokens, type TestTokens } from './helpers/token';
import { issuingChain, pemSigner } from './helpers/software-signer';
import { isPrefix, SEAL_PNG, SIGNATURE_PNG, tempDir, writeSample } from './helpers/fixtures';
import { isBlue, isRed, renderPage, scan } from './helpers/render';

let pki: TestPki;
let tokens: TestTokens;
let dir: string;
let input: string;
let approved: string;
let issued: string;
let leaderRect: Rect;
let issue: IssueResult;
const MM = 72 / 25.4;
const YEAR = yearInVietnam();

beforeAll(async () => {
  pki = loadPki();
  tokens = openTestTokens(pki);
  dir = tempDir('d30');
  input = await writeSample(dir, 'input.pdf');
  approved = join(dir, 'approved.pdf');
  issued = join(dir, 'issued.pdf');
  const a = await approvePdf(input, approved, tokens.leader(), { image: SIGNATURE_PNG, intermediates: issuingChain(pki) });
  leaderRect = a.rect;
  issue = await issuePdf(approved, issued, tokens.agency(), {
    number: 5, notation: 'QĐ-UBND', date: { year: YEAR, month: 2, day: 7 }, stamp: SEAL_PNG,
    trust: { trustDir: pki.trustDir }, intermediates: issuingChain(pki), acceptUnknownRevocation: true,
  });
});
afterAll(() => {
  tokens?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// No OCSP responder or CRL server runs for these tests (test/sign/revocation-issue.test.ts has them):
// the leader's unknown revocation status is accepted explicitly, as a clerk would.
const agencyOpts = () => ({ trust: { trustDir: pki.trustDir }, intermediates: issuingChain(pki), stamp: SEAL_PNG, notation: 'QĐ-UBND', number: 12, acceptUnknownRevocation: true });

describe('leader approval (ký phê duyệt)', () => {
  it('Đ16.1.b places the blue image between the title and the printed name of the signer block', async () => {
    const { lines } = await extractLines(readFileSync(input));
    const block = findSignerBlock(lines, 'Nguyễn Văn An')!;
    expect(block.title.text).toBe('CHỦ TỊCH');
    expect(leaderRect.y).toBeGreaterThan(block.name.y + block.name.size * 0.5);
    expect(leaderRect.y + leaderRect.height).toBeLessThan(block.title.y);
    const centre = leaderRect.x + leaderRect.width / 2;
    expect(Math.abs(centre - (block.name.x0 + block.name.x1) / 2)).toBeLessThan(10);
    const sigs = pdfsig(pki, approved);
    expect(sigs).toHaveLength(1);
    expect(sigs[0]).toMatchObject({ signature: 'Signature is Valid.', certificate: 'Certificate is Trusted.', signerName: 'Nguyễn Văn An', totalDocumentSigned: true });
    qpdfCheck(approved);
  });
});

describe('explicit positions', () => {
  it('approve at a given page and rect, issue at given spots and seal square', async () => {
    const twoPages = await writeSample(dir, 'two-pages.pdf', { pages: 2 });
    const appr = join(dir, 'explicit-approved.pdf');
    const rect = { x: 100, y: 500, width: 150, height: 60 };
    const a = await approvePdf(twoPages, appr, tokens.leader(), { image: SIGNATURE_PNG, page: 0, rect, intermediates: issuingChain(pki) });
    expect(a).toMatchObject({ page: 0, rect });
    const out = join(dir, 'explicit-issued.pdf');
    const spot = (x: number) => ({ page: 0, x, baseline: 100, size: 13 });
    const sealRect = { page: 0, x: 40, y: 480, width: 102, height: 102 };
    await issuePdf(appr, out, tokens.agency(), { ...agencyOpts(), numberAt: spot(100), dayAt: spot(200), monthAt: spot(300), sealRect });
    const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
    const doc = await pdfjs.getDocument({ data: new Uint8Array(readFileSync(out)), verbosity: 0 }).promise;
    const rects = (await (await doc.getPage(1)).getAnnotations()).map((x) => (x.rect as number[]).map((v) => Math.round(v)));
    await doc.destroy();
    expect(rects[0]).toEqual([100, 500, 250, 560]);
    expect(rects[4]).toEqual([40, 480, 142, 582]);
    expect(rects.slice(1, 4).map((r) => r[0])).toEqual([100, 200, 300]);
    expect(pdfsig(pki, out).map((x) => x.signature)).toEqual(Array(5).fill('Signature is Valid.'));
  });
});

describe('agency issuing signature (ký phát hành)', () => {
  it('Đ7.1, Đ16.2.c appends number, day, month and seal as four agency signatures; the leader signature stays valid', () => {
    const before = readFileSync(approved);
    const after = readFileSync(issued);
    expect(isPrefix(before, after)).toBe(true);
    expect(isPrefix(readFileSync(input), after)).toBe(true);
    expect(issue.signatures.map((s) => s.fieldName)).toEqual(['ThemSo_1', 'ThemNgay_1', 'ThemThang_1', 'DongDau_1']);
    const sigs = pdfsig(pki, issued);
    expect(sigs).toHaveLength(5);
    expect(sigs[0]).toMatchObject({ signature: 'Signature is Valid.', certificate: 'Certificate is Trusted.', signerName: 'Nguyễn Văn An' });
    // Later signatures by the same certificate: pdfsig's digest line is authoritative; OpenSSL judges the chain (§8).
    for (const s of sigs.slice(1)) expect(s.signature).toBe('Signature is Valid.');
    expect(sigs[4]!.totalDocumentSigned).toBe(true);
    for (const sig of extractSignatures(after)) expect(opensslVerify(pki, sig).ok).toBe(true);
    qpdfCheck(issued);
  });

  it('Đ13.2 writes Số with a leading zero and the date per Decree 30 into the blanks (pdftotext round trip)', () => {
    expect(issue).toMatchObject({ number: '05', day: '07', month: '02' });
    const text = pdftotext(issued).replace(/\s+/g, ' ');
    expect(text).toContain('Số: 05 /QĐ-UBND');
    expect(text).toContain(`Tỉnh Thử Nghiệm, ngày 07 tháng 02 năm ${YEAR}`);
  });

  it('pdf.js reads the issued file and sees every widget', async () => {
    const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
    const doc = await pdfjs.getDocument({ data: new Uint8Array(readFileSync(issued)), verbosity: 0 }).promise;
    const annots = await (await doc.getPage(1)).getAnnotations();
    expect(annots.filter((a) => a.fieldType === 'Sig')).toHaveLength(5);
    await doc.destroy();
  });

  it('Đ16.2.a draws the red seal at real size over the left third of the leader image, blue strokes visible to its right', () => {
    const s = 36 * MM;
    expect(issue.seal.width).toBeCloseTo(s, 6);
    expect(issue.seal.x + s).toBeCloseTo(leaderRect.x + leaderRect.width / 3, 6);
    const img = renderPage(issued, issue.seal.page);
    const area = { x: leaderRect.x - s, y: leaderRect.y - s, width: leaderRect.width + 2 * s, height: leaderRect.height + 2 * s };
    const red = scan(img, area, isRed);
    expect(red.box).not.toBeNull();
    const box = red.box!;
    // The sample seal's outer ring spans 97 % of its PNG: measured width within ±5 % of the real size.
    expect(Math.abs((box.x1 - box.x0) - s) / s).toBeLessThan(0.05);
    expect(Math.abs(box.x1 - (leaderRect.x + leaderRect.width / 3))).toBeLessThan(0.05 * s);
    expect(Math.abs((box.y0 + box.y1) / 2 - (leaderRect.y + leaderRect.height / 2))).toBeLessThan(0.05 * s);
    const leftThird = { x: leaderRect.x, y: leaderRect.y, width: leaderRect.width / 3, height: leaderRect.height };
    expect(scan(img, leftThird, isRed).count).toBeGreaterThan(50);
    const rightPart = { x: leaderRect.x + leaderRect.width / 3 + 2, y: leaderRect.y, width: (leaderRect.width * 2) / 3 - 2, height: leaderRect.height };
    expect(scan(img, rightPart, isBlue).count).toBeGreaterThan(200);
  });

  it('with an invisible leader signature, places the seal from the signer block text', async () => {
    const s0 = await IncrementalSigner.open(readFileSync(input));
    await s0.sign({ signer: tokens.leader(), page: 0, rect: null, appearance: null, namePrefix: 'PheDuyet', signingTime: new Date(), intermediates: issuingChain(pki) });
    const invisible = join(dir, 'approved-invisible.pdf');
    writeFileSync(invisible, s0.result());
    const r = await issuePdf(invisible, join(dir, 'issued-invisible.pdf'), tokens.agency(), agencyOpts());
    const { lines } = await extractLines(readFileSync(input));
    const img = signatureRectInBlock(findSignerBlock(lines, 'Nguyễn Văn An')!, 2.5);
    expect(r.seal.x + r.seal.width).toBeCloseTo(img.x + img.width / 3, 3);
    expect(r.seal.y + r.seal.height / 2).toBeCloseTo(img.y + img.height / 2, 3);
    expect(r.leader?.signerName).toBe('Nguyễn Văn An');
  });

  it('refuses an issue year other than the one printed, a bad notation and an impossible date', async () => {
    const out = join(dir, 'bad-inputs.pdf');
    await expect(issuePdf(approved, out, tokens.agency(), { ...agencyOpts(), date: { year: YEAR + 1, month: 1, day: 2 } }))
      .rejects.toMatchObject({ code: 'INPUT_INVALID', vi: `Năm ban hành (${YEAR + 1}) khác năm in trên văn bản (${YEAR}).` });
    await expect(issuePdf(approved, out, tokens.agency(), { ...agencyOpts(), notation: 'QĐ UBND' })).rejects.toMatchObject({ code: 'INPUT_INVALID' });
    await expect(issuePdf(approved, out, tokens.agency(), { ...agencyOpts(), date: { year: YEAR, month: 2, day: 30 } })).rejects.toMatchObject({ code: 'INPUT_INVALID' });
    expect(existsSync(out)).toBe(false);
  });

  it('honours --seal-mm', async () => {
    const out = join(dir, 'seal40.pdf');
    const r = await issuePdf(approved, out, tokens.agency(), { ...agencyOpts(), sealMm: 40 });
    expect(r.seal.width).toBeCloseTo(40 * MM, 6);
  });
});

describe('refusals: no output file and a Vietnamese reason', () => {
  it('Đ14.1, Đ17.4.c refuses the agency signature without a leader signature', async () => {
    const out = join(dir, 'refused-none.pdf');
    await expect(issuePdf(input, out, tokens.agency(), agencyOpts())).rejects.toMatchObject({
      code: 'SIGN_REFUSED', vi: expect.stringContaining('chưa có chữ ký số hợp lệ của người có thẩm quyền'),
    });
    expect(existsSync(out)).toBe(false);
  });

  it('Đ14.1, Đ17.4.c refuses the agency signature when the leader signature was broken by a later byte change', async () => {
    const bytes = Buffer.from(readFileSync(approved));
    const at = bytes.indexOf('stream', 0, 'latin1') + 40;
    bytes[at] = bytes[at]! ^ 0xff;
    const bad = join(dir, 'approved-tampered.pdf');
    writeFileSync(bad, bytes);
    const out = join(dir, 'refused-tampered.pdf');
    await expect(issuePdf(bad, out, tokens.agency(), agencyOpts())).rejects.toMatchObject({
      code: 'SIGN_REFUSED', vi: expect.stringContaining('không hợp lệ'),
    });
    expect(existsSync(out)).toBe(false);
  });

  it('leader certificate from the untrusted rogue root', async () => {
    const rogue = join(dir, 'approved-rogue.pdf');
    await approvePdf(input, rogue, tokens.leader(pki.keyIds.rogueLeader), { image: SIGNATURE_PNG });
    const out = join(dir, 'refused-rogue.pdf');
    await expect(issuePdf(rogue, out, tokens.agency(), agencyOpts())).rejects.toMatchObject({
      code: 'SIGN_REFUSED', vi: expect.stringContaining('Chữ ký của người có thẩm quyền không hợp lệ'),
    });
    expect(existsSync(out)).toBe(false);
  });

  it('agency certificate expired (on the token, and as a software key)', async () => {
    const out = join(dir, 'refused-expired.pdf');
    await expect((async () => issuePdf(approved, out, tokens.agency(pki.keyIds.agencyExpired), agencyOpts()))()).rejects.toMatchObject({
      code: 'TOKEN_CERT_EXPIRED', vi: expect.stringContaining('hết hạn'),
    });
    await expect(issuePdf(approved, out, pemSigner(pki, 'agency-expired'), agencyOpts())).rejects.toMatchObject({
      code: 'TOKEN_CERT_EXPIRED', vi: expect.stringContaining('hết hạn'),
    });
    expect(existsSync(out)).toBe(false);
  });

  it('a document the agency digitised itself needs no leader signature', async () => {
    const out = join(dir, 'digitized.pdf');
    const r = await issuePdf(input, out, tokens.agency(), { ...agencyOpts(), jobType: 'digitized', signerName: 'Nguyễn Văn An' });
    expect(r.leader).toBeNull();
    expect(pdfsig(pki, out)).toHaveLength(4);
  });

  it('a token failure in the middle of the four signatures leaves no output', async () => {
    const real = tokens.agency();
    let calls = 0;
    const failing = {
      certificate: real.certificate, chain: real.chain, algorithm: real.algorithm,
      async sign(data: Buffer): Promise<Buffer> {
        if (++calls === 3) throw Object.assign(new Error('CKR_DEVICE_REMOVED'), { code: 0x32 });
        return real.sign(data);
      },
    };
    const out = join(dir, 'pulled.pdf');
    await expect(issuePdf(approved, out, failing, agencyOpts())).rejects.toMatchObject({ code: 'SIGN_FAILED', vi: expect.stringContaining('chưa tạo tệp kết quả') });
    expect(existsSync(out)).toBe(false);
  });

  it('a missing output folder is an I/O error in Vietnamese', async () => {
    await expect(signAttachment(input, join(dir, 'no-such-dir', 'x.pdf'), tokens.agency(), { ref: '05/QĐ-UBND' }))
      .rejects.toMatchObject({ code: 'IO_ERROR', vi: 'Thư mục đích không tồn tại.' });
  });
});

describe('attachment and copy signatures (text only, top right of page 1)', () => {
  it('Đ16.2.b attachment: "<số/ký hiệu>; <ISO 8601 +07:00>" after the leader and agency signatures, all still valid', async () => {
    const out = join(dir, 'attachment.pdf');
    const now = new Date(Math.floor(Date.now() / 1000) * 1000);
    const r = await signAttachment(issued, out, tokens.agency(), { ref: '05/QĐ-UBND', now, intermediates: issuingChain(pki) });
    expect(r.text).toBe(`05/QĐ-UBND; ${isoVietnam(now)}`);
    expect(r.text).toMatch(/^05\/QĐ-UBND; \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00$/);
    expect(isPrefix(readFileSync(issued), readFileSync(out))).toBe(true);
    expect(pdftotext(out).split('\n')[0]!.trim()).toBe(r.text);
    const sigs = pdfsig(pki, out);
    expect(sigs).toHaveLength(6);
    expect(sigs[0]).toMatchObject({ signature: 'Signature is Valid.', certificate: 'Certificate is Trusted.' });
    for (const sig of extractSignatures(readFileSync(out))) expect(opensslVerify(pki, sig).ok).toBe(true);
    const iso = isoVietnam(now);
    expect(readFileSync(out).toString('latin1')).toContain(`/M (D:${iso.slice(0, 19).replace(/[-T:]/g, '')}+07'00')`);
    qpdfCheck(out);
  });

  it('copy: "SAO LỤC; <tên cơ quan sao>; <time>" in Liberation Serif 10 pt, a font subset', async () => {
    const out = join(dir, 'copy.pdf');
    const now = new Date();
    const r = await signCopy(approved, out, tokens.agency(), { form: 'SAO LỤC', agency: 'Ủy ban nhân dân huyện Đắk Hà', now, intermediates: issuingChain(pki) });
    expect(r.text).toBe(`SAO LỤC; Ủy ban nhân dân huyện Đắk Hà; ${isoVietnam(now)}`);
    expect(pdftotext(out).split('\n')[0]!.trim()).toBe(r.text);
    expect(isPrefix(readFileSync(approved), readFileSync(out))).toBe(true);
    const sigs = pdfsig(pki, out);
    expect(sigs).toHaveLength(2);
    expect(sigs.map((x) => x.signature)).toEqual(['Signature is Valid.', 'Signature is Valid.']);
    expect(sigs[0]).toMatchObject({ signature: 'Signature is Valid.', certificate: 'Certificate is Trusted.' });
    const cms = extractSignatures(readFileSync(out));
    expect(cms).toHaveLength(2);
    for (const sig of cms) expect(opensslVerify(pki, sig).ok).toBe(true);
    qpdfCheck(out);
    requireTool('pdffonts');
    const fonts = execFileSync('pdffonts', [out], { encoding: 'utf8' });
    expect(fonts).toMatch(/^[A-Z]{6}\+LiberationSerif\s+CID TrueType\s+Identity-H\s+yes yes yes/m);
    // Subset: the appended revision is far smaller than the 400 KB font file.
    expect(readFileSync(out).length - readFileSync(approved).length).toBeLessThan(60_000);
  });
});

describe('rotated first page', () => {
  it('attachment and copy text refuse a page shown turned (/Rotate 90, 270) in Vietnamese and write nothing; /Rotate 360 is upright', async () => {
    const { PDFDocument, degrees } = await import('@cantoo/pdf-lib');
    const rotated = async (angle: number) => {
      const doc = await PDFDocument.load(readFileSync(input));
      doc.getPage(0).setRotation(degrees(angle));
      const f = join(dir, `rotated-${angle}.pdf`);
      writeFileSync(f, await doc.save());
      return f;
    };
    for (const angle of [90, 270]) {
      const f = await rotated(angle);
      const out = join(dir, `rotated-${angle}.signed.pdf`);
      const refused = { code: 'SIGN_REFUSED', vi: `Trang đầu của văn bản được đặt xoay ${angle}°; chưa hỗ trợ ghi chữ ký dạng chữ lên trang xoay. Hãy lưu lại văn bản với trang không xoay rồi ký.` };
      await expect(signAttachment(f, out, tokens.agency(), { ref: '05/QĐ-UBND' })).rejects.toMatchObject(refused);
      await expect(signCopy(f, out, tokens.agency(), { form: 'SAO Y', agency: 'UBND tỉnh Thử Nghiệm' })).rejects.toMatchObject(refused);
      expect(existsSync(out)).toBe(false);
    }
    const upright = join(dir, 'rotated-360.signed.pdf');
    const r = await signAttachment(await rotated(360), upright, tokens.agency(), { ref: '05/QĐ-UBND' });
    expect(pdftotext(upright).split('\n')[0]!.trim()).toBe(r.text);
  });
});
