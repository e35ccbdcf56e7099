/**
 * Issuing hands the verifier the parse of its input it already made (VerifyOptions.file). The
 * verifier takes it only for the very memory it was made from: a parse of other bytes — here the
 * untouched original beside a tampered copy — is ignored, and the tampered copy still fails.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { approvePdf } from '../../src-main/core/pdf/sign/index';
import { PdfFile } from '../../src-main/core/pdf/parse/document';
import { verifyPdf } from '../../src-main/core/verify/index';
import { loadPki } from '../helpers/pki';
import { SIGNATURE_PNG, tempDir, writeSample } from '../sign/helpers/fixtures';
import { issuingChain, p12Signer } from '../sign/helpers/software-signer';

describe('a parse handed to the verifier', () => {
  it('is used for its own bytes and ignored for any other, so a tampered copy still fails', async () => {
    const pki = loadPki();
    const dir = tempDir('shared-parse');
    const out = join(dir, 'approved.pdf');
    await approvePdf(await writeSample(dir, 'input.pdf', { signerName: 'Trần Thị Bình' }), out, p12Signer(pki, 'leader2'), { image: SIGNATURE_PNG, intermediates: issuingChain(pki) });
    const good = readFileSync(out);
    // One byte of the binary comment on line 2: the file still reads, the signed bytes differ.
    const bad = Buffer.from(good);
    bad[10] = bad[10]! ^ 0x01;
    const opts = { trustDir: pki.trustDir, offline: true, now: new Date() };
    const verdicts = async (bytes: Buffer, file?: PdfFile) => (await verifyPdf(bytes, { ...opts, ...(file ? { file } : {}) })).signatures.map((s) => [s.indication, s.subIndication]);

    const goodAlone = await verdicts(good);
    expect(goodAlone[0]![1]).not.toBe('HASH_FAILURE');
    expect(await verdicts(good, new PdfFile(good))).toEqual(goodAlone);
    // A view of the same memory counts as the same bytes.
    expect(await verdicts(good, new PdfFile(Buffer.from(good.buffer, good.byteOffset, good.byteLength)))).toEqual(goodAlone);

    const badAlone = await verdicts(bad);
    expect(badAlone).toEqual([['TOTAL_FAILED', 'HASH_FAILURE']]);
    expect(await verdicts(bad, new PdfFile(good))).toEqual(badAlone);
  });
});
