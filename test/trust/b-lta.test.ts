/**
 * Issue 10 item 3, PAdES B-LTA: after the agency's signature and the B-LT DSS revision, a document
 * time-stamp (/DocTimeStamp, ETSI.RFC3161) from the test `openssl ts` TSA over the whole file. The
 * verifier reports it; pdfsig lists it and `qpdf --check` accepts the file; `openssl cms` accepts every signature
 * and `openssl ts -verify` the time-stamp over its ByteRange; offline with an empty cache every
 * signature is TOTAL_PASSED; the input stays a byte prefix of the output.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approvePdf } from '../../src-main/core/pdf/sign/index';
import { IncrementalSigner } from '../../src-main/core/pdf/sign/incremental-signer';
import { embedValidationData } from '../../src-main/core/pdf/sign/validation-data';
import { startDemoResponder, type DemoResponder } from '../../src-main/core/trust/demo-responder';
import { demoCaFiles } from '../../src-main/core/config';
import { clearRevocationCache } from '../../src-main/core/verify/revocation';
import { verifyPdf } from '../../src-main/core/verify/index';
import { dssCertificates } from '../../src-main/core/verify/dss';
import { PdfFile } from '../../src-main/core/pdf/parse/document';
import { loadPki } from '../helpers/pki';
import { SIGNATURE_PNG, isPrefix, tempDir, writeSample } from '../sign/helpers/fixtures';
import { extractSignatures, opensslVerify, pdfsig, qpdfCheck } from '../sign/helpers/oracles';
import { issuingChain, p12Signer } from '../sign/helpers/software-signer';
import { startTestTsa, type TestTsa } from '../sign/helpers/tsa';

const pki = loadPki();
const dir = tempDir('b-lta');
let tsa: TestTsa;
let responder: DemoResponder;
let approved: Buffer;
let out: string;

/** Leader (P12), one agency signature time-stamped, then B-LT and B-LTA through embedValidationData. */
async function issueLta(name: string, classicXref: boolean): Promise<{ approved: Buffer; out: string }> {
  const leader = join(dir, `${name}-leader.pdf`);
  await approvePdf(await writeSample(dir, `${name}-input.pdf`, { signerName: 'Trần Thị Bình', classicXref }), leader, p12Signer(pki, 'leader2'), { image: SIGNATURE_PNG, intermediates: issuingChain(pki) });
  const approved = readFileSync(leader);
  const s = await IncrementalSigner.open(approved);
  const agency = p12Signer(pki, 'agency');
  const now = new Date();
  await s.sign({ signer: agency, page: 0, rect: null, appearance: null, namePrefix: 'DongDau', signingTime: now, intermediates: issuingChain(pki), tsa: { url: tsa.url } });
  const ltv = await embedValidationData(s, {
    trustDir: pki.trustDir, ocspUrlOverride: responder.ocspUrl, crlUrlOverride: responder.crlUrl, revocationCacheDir: mkdtempSync(join(dir, 'cache-')),
    offline: false, now, pool: issuingChain(pki), tsa: { url: tsa.url },
  });
  expect(ltv).toBe(true);
  const out = join(dir, `${name}-issued.pdf`);
  writeFileSync(out, s.result());
  return { approved, out };
}

beforeAll(async () => {
  tsa = await startTestTsa(pki);
  responder = await startDemoResponder(demoCaFiles());
  ({ approved, out } = await issueLta('stream', false));
});
afterAll(async () => {
  await tsa?.stop();
  await responder?.stop();
});

describe('PAdES B-LTA', () => {
  it('the last revision is a document time-stamp over the DSS revision; offline with an empty cache every signature is TOTAL_PASSED', async () => {
    const bytes = readFileSync(out);
    expect(isPrefix(approved, bytes)).toBe(true);
    const text = bytes.toString('latin1');
    expect(text.lastIndexOf('/DocTimeStamp')).toBeGreaterThan(text.lastIndexOf('/DSS'));
    expect(text).toMatch(/\/SubFilter\s*\/ETSI\.RFC3161/);
    clearRevocationCache();
    const report = await verifyPdf(bytes, { trustDir: pki.trustDir, offline: true });
    expect(report.signatures.map((x) => x.indication)).toEqual(['TOTAL_PASSED', 'TOTAL_PASSED', 'TOTAL_PASSED']);
    // The TSA of the agency's signature time-stamp travels in the DSS with the signers' chains.
    const tsaCert = execFileSync('openssl', ['x509', '-in', join(tsa.dir, 'tsa.crt'), '-outform', 'DER']);
    expect(dssCertificates(new PdfFile(bytes)).some((c) => c.der.equals(tsaCert))).toBe(true);
    const stamp = report.signatures[2]!;
    expect(stamp.isDocTimestamp).toBe(true);
    expect(stamp.timestamp?.valid ?? true).toBe(true);
    expect(stamp.changesAfter).toEqual([]);
    for (const s of report.signatures.slice(0, 2)) expect(s.changesAfter.every((c) => c.allowed)).toBe(true);
  });

  it('pdfsig and qpdf accept the file; openssl accepts both signatures and the time-stamp over its ByteRange', () => {
    const entries = pdfsig(pki, out);
    expect(entries).toHaveLength(3);
    for (const e of entries.slice(0, 2)) expect(e.signature).toMatch(/Signature is Valid/);
    // poppler 22.12 lists an ETSI.RFC3161 time-stamp (its TSA, the whole document covered) but does not
    // verify that SubFilter: "not yet been verified", never invalid. openssl ts verifies it below.
    expect(entries[2]).toMatchObject({ signerName: 'VANTHU Test TSA', totalDocumentSigned: true });
    expect(entries[2]!.signature).not.toMatch(/Invalid|failed/i);
    expect(qpdfCheck(out)).toMatch(/No syntax or stream encoding errors/);
    const sigs = extractSignatures(readFileSync(out));
    for (const sig of sigs.slice(0, 2)) expect(opensslVerify(pki, sig).ok).toBe(true);
    const tsDir = mkdtempSync(join(dir, 'ts-'));
    writeFileSync(join(tsDir, 'data.bin'), sigs[2]!.content);
    writeFileSync(join(tsDir, 'token.der'), sigs[2]!.cms);
    const verified = execFileSync('openssl', ['ts', '-verify', '-data', join(tsDir, 'data.bin'), '-in', join(tsDir, 'token.der'), '-token_in', '-CAfile', join(pki.certs, 'chain.pem')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(verified).toMatch(/Verification: OK/);
  });

  it('a file with classic cross-reference tables gets the same: offline TOTAL_PASSED, qpdf clean', async () => {
    const classic = await issueLta('classic', true);
    expect(isPrefix(classic.approved, readFileSync(classic.out))).toBe(true);
    clearRevocationCache();
    const report = await verifyPdf(readFileSync(classic.out), { trustDir: pki.trustDir, offline: true });
    expect(report.signatures.map((x) => [x.indication, x.isDocTimestamp ?? false])).toEqual([['TOTAL_PASSED', false], ['TOTAL_PASSED', false], ['TOTAL_PASSED', true]]);
    expect(qpdfCheck(classic.out)).toMatch(/No syntax or stream encoding errors/);
  });
});
