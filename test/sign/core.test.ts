import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument, PDFName } from '@cantoo/pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IncrementalSigner, lastXrefStyle } from '../../src-main/core/pdf/sign/incremental-signer';
import { makeSampleDocument } from '../../src-main/core/pdf/sign/sample-document';
import { signAttachment } from '../../src-main/core/pdf/sign/index';
import { cmsPrint, extractSignatures, opensslVerify, pdfsig, qpdfCheck } from './helpers/oracles';
import { useSignEnv } from './helpers/env';
import { startTestTsa, type TestTsa } from './helpers/tsa';
import { issuingChain, p12Signer } from './helpers/software-signer';
import { isPrefix } from './helpers/fixtures';

const { pki, tokens, dir } = useSignEnv('core');

async function signInvisible(input: Uint8Array, signer = tokens.agency()): Promise<Buffer> {
  const s = await IncrementalSigner.open(input);
  await s.sign({ signer, page: 0, rect: null, appearance: null, namePrefix: 'Test', signingTime: new Date(), reason: 'Kiểm thử ký số', name: 'Văn thư', intermediates: issuingChain(pki) });
  return Buffer.from(s.result());
}

describe('incremental PAdES B-B', () => {
  for (const classicXref of [false, true]) {
    it(`appends a revision in the input's xref style (${classicXref ? 'classic table' : 'xref stream'}) and keeps the input as a prefix`, async () => {
      const input = Buffer.from(await makeSampleDocument({ classicXref }));
      const once = await signInvisible(input, tokens.leader());
      const twice = await signInvisible(once);
      expect(isPrefix(input, once)).toBe(true);
      expect(isPrefix(once, twice)).toBe(true);
      expect(lastXrefStyle(twice)).toBe(classicXref ? 'table' : 'stream');
      const f = join(dir, `inc-${classicXref}.pdf`);
      writeFileSync(f, twice);
      qpdfCheck(f);
      const sigs = pdfsig(pki, f);
      expect(sigs.map((s) => s.signature)).toEqual(['Signature is Valid.', 'Signature is Valid.']);
      expect(sigs.map((s) => s.certificate)).toEqual(['Certificate is Trusted.', 'Certificate is Trusted.']);
      expect(sigs.map((s) => s.totalDocumentSigned)).toEqual([false, true]);
      for (const sig of extractSignatures(twice)) expect(opensslVerify(pki, sig).output).toMatch(/Verification successful/);
    });
  }

  it('writes the PAdES baseline attributes and no signing-time', async () => {
    const out = await signInvisible(await makeSampleDocument());
    const [sig] = extractSignatures(out);
    const printed = cmsPrint(sig!);
    expect(printed).toMatch(/contentType/);
    expect(printed).toMatch(/messageDigest/);
    expect(printed).toMatch(/id-smime-aa-signingCertificateV2/);
    expect(printed).not.toMatch(/signingTime/);
    expect(out.toString('latin1')).toMatch(/\/SubFilter \/ETSI\.CAdES\.detached/);
    // /Reason in UTF-16BE with BOM: "Kiểm thử ký số".
    expect(out.toString('latin1')).toContain(`/Reason <FEFF${Buffer.from('Kiểm thử ký số', 'utf16le').swap16().toString('hex').toUpperCase()}>`);
    // Chain embedded: the token holds only the signer's certificate; the configured intermediate
    // completes it, and the self-signed root stays out.
    expect(printed.match(/cert_info:/g)?.length).toBe(2);
    expect(printed).toMatch(/VANTHU Test Issuing CA/);
  });

  it('signs with RSASSA-PSS and ECDSA P-256 on the token', async () => {
    const input = await makeSampleDocument({ classicXref: true });
    const pss = await signInvisible(input, tokens.agency(pki.keyIds.agency, 'RSA_PSS_SHA256'));
    const ec = await signInvisible(pss, tokens.leader(pki.keyIds.leaderEc));
    const f = join(dir, 'pss-ec.pdf');
    writeFileSync(f, ec);
    const sigs = extractSignatures(ec);
    expect(cmsPrint(sigs[0]!)).toMatch(/rsassaPss/);
    expect(cmsPrint(sigs[1]!)).toMatch(/ecdsa-with-SHA256/);
    for (const sig of sigs) expect(opensslVerify(pki, sig).ok).toBe(true);
    expect(pdfsig(pki, f).map((s) => s.signature)).toEqual(['Signature is Valid.', 'Signature is Valid.']);
  });

  it('a changed byte in the covered range is caught by pdfsig and OpenSSL', async () => {
    const out = await signInvisible(await makeSampleDocument());
    const tampered = Buffer.from(out);
    const at = tampered.indexOf('Điều 2'.normalize('NFC'), 0, 'latin1');
    const pos = at > 0 ? at : 200;
    tampered[pos] = tampered[pos]! ^ 0x01;
    const f = join(dir, 'tampered.pdf');
    writeFileSync(f, tampered);
    expect(pdfsig(pki, f)[0]!.signature).toMatch(/Digest Mismatch/);
    expect(opensslVerify(pki, extractSignatures(tampered)[0]!).ok).toBe(false);
  });

  it('refuses a document certified with DocMDP P=1 (no change allowed), and writes nothing', async () => {
    const doc = await PDFDocument.load(await makeSampleDocument());
    const ctx = doc.context;
    const certSig = ctx.obj({ Type: 'Sig', Reference: [ctx.obj({ Type: 'SigRef', TransformMethod: 'DocMDP', TransformParams: { Type: 'TransformParams', P: 1, V: '1.2' } })] });
    doc.catalog.set(PDFName.of('Perms'), ctx.obj({ DocMDP: ctx.register(certSig) }));
    const out = join(dir, 'docmdp.pdf');
    await expect(signAttachment(await doc.save(), out, tokens.agency(), { ref: '01/TB-UBND' }))
      .rejects.toMatchObject({ code: 'SIGN_REFUSED', vi: expect.stringContaining('không cho phép bất kỳ thay đổi nào') });
    expect(() => readFileSync(out)).toThrow();
  });

  it('refuses a file that is not a PDF, and writes nothing', async () => {
    const out = join(dir, 'never.pdf');
    await expect(signAttachment(Buffer.from('%PDF-1.7\nnot really'), out, tokens.agency(), { ref: '01/TB-UBND' }))
      .rejects.toMatchObject({ code: 'PDF_INVALID' });
    expect(() => readFileSync(out)).toThrow();
  });
});

describe('PAdES B-T with an RFC 3161 TSA', () => {
  let tsa: TestTsa;
  beforeAll(async () => { tsa = await startTestTsa(pki); });
  afterAll(async () => { await tsa?.stop(); });

  it('embeds a checked signature timestamp as an unsigned attribute', async () => {
    const out = join(dir, 'bt.pdf');
    const res = await signAttachment(await makeSampleDocument(), out, p12Signer(pki, 'agency'), { ref: '12/QĐ-UBND', tsa: { url: tsa.url } });
    expect(tsa.requests).toBeGreaterThanOrEqual(1);
    const bytes = readFileSync(out);
    const [sig] = extractSignatures(bytes);
    expect(cmsPrint(sig!)).toMatch(/id-smime-aa-timeStampToken/);
    expect(opensslVerify(pki, sig!).ok).toBe(true);
    expect(pdfsig(pki, out)[0]!.signature).toBe('Signature is Valid.');
    expect(res.signatures).toHaveLength(1);
  });

  it('refuses to sign when the TSA is unreachable, and writes nothing', async () => {
    const out = join(dir, 'bt-offline.pdf');
    await expect(signAttachment(await makeSampleDocument(), out, p12Signer(pki, 'agency'), { ref: '12/QĐ-UBND', tsa: { url: 'http://127.0.0.1:9/tsa', timeoutMs: 2000 } }))
      .rejects.toMatchObject({ code: 'OFFLINE', vi: expect.stringContaining('dấu thời gian') });
    expect(() => readFileSync(out)).toThrow();
  });
});
