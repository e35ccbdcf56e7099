import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyPdf, type VerifyOptions } from '../../src-main/core/verify/index';
import { clearRevocationCache } from '../../src-main/core/verify/revocation';
import { loadPki } from '../helpers/pki';
import { makeBasePdf } from '../fixtures-gen/base-pdf';
import { signWithP12 } from '../fixtures-gen/signpdf';
import { appendUpdate, editDict, nextObjectNumber } from '../fixtures-gen/incremental';
import { freePort, RevocationServers, serialOf } from '../fixtures-gen/revocation-server';
import { PdfFile } from '../../src-main/core/pdf/parse/document';
import { catalog } from '../../src-main/core/pdf/parse/acroform';

const pki = loadPki();
const servers = new RevocationServers([serialOf(join(pki.certs, 'leader2.crt'))], new Date(Date.now() - 3600_000));
let good: Buffer;
let revoked: Buffer;
let deadUrl: string;

beforeAll(async () => {
  await servers.start();
  const base = await makeBasePdf();
  good = await signWithP12(base, { p12: 'agency' });
  revoked = await signWithP12(base, { p12: 'leader2' });
  deadUrl = `http://127.0.0.1:${await freePort()}/nothing`;
});
afterAll(() => servers.stop());
beforeEach(() => clearRevocationCache());

const online = (extra: Partial<VerifyOptions> = {}): VerifyOptions => ({ trustDir: pki.trustDir, ocspUrlOverride: servers.ocspUrl, crlUrlOverride: servers.crlUrl, networkTimeoutMs: 2000, ...extra });

/** Adds a /DSS with one OCSP response in a new revision (PAdES B-LT). */
function withDss(pdf: Buffer, ocsp: Buffer): Buffer {
  const file = new PdfFile(pdf);
  const rev = file.lastRevision;
  const root = file.trailer(rev).get('Root') as { num: number };
  const n = nextObjectNumber(pdf);
  return appendUpdate(pdf, { objects: [
    { num: n, body: Buffer.concat([Buffer.from(`<</Length ${ocsp.length}>>\nstream\n`), ocsp, Buffer.from('\nendstream')]) },
    { num: n + 1, body: `<</OCSPs [${n} 0 R]>>` },
    { num: root.num, body: editDict(catalog(file, rev)!, { DSS: `${n + 1} 0 R` }) },
  ] });
}

describe('revocation', () => {
  it('OCSP good → TOTAL_PASSED, source ocsp', async () => {
    const r = await verifyPdf(good, online());
    expect(r.overall).toBe('TOTAL_PASSED');
    expect(r.signatures[0]!.revocation).toMatchObject({ status: 'good', source: 'ocsp' });
  });
  it('Đ3.2 OCSP revoked → TOTAL_FAILED / REVOKED', async () => {
    const r = await verifyPdf(revoked, online());
    expect(r.signatures[0]).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'REVOKED' });
    expect(r.signatures[0]!.summaryVi).toBe('Không hợp lệ — chứng thư số đã bị thu hồi');
    expect(r.signatures[0]!.revocation!.source).toBe('ocsp');
  });
  it('OCSP responder down → CRL fallback finds the revocation', async () => {
    const r = await verifyPdf(revoked, online({ ocspUrlOverride: deadUrl }));
    expect(r.signatures[0]).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'REVOKED' });
    expect(r.signatures[0]!.revocation!.source).toBe('crl');
  });
  it('every source down → INDETERMINATE / TRY_LATER with the reason', async () => {
    const r = await verifyPdf(good, online({ ocspUrlOverride: deadUrl, crlUrlOverride: deadUrl }));
    expect(r.signatures[0]).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER' });
    expect(r.signatures[0]!.reasons.join(' ')).toContain('OCSP');
    expect(r.signatures[0]!.summaryVi).toBe('Không xác định — chưa kiểm tra được tình trạng thu hồi của chứng thư số');
  });
  it('offline without embedded data → TRY_LATER; with a disk cache filled online → answered from the cache', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'vanthu-revcache-'));
    const off = await verifyPdf(good, online({ offline: true }));
    expect(off.signatures[0]).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER' });
    await verifyPdf(good, online({ revocationCacheDir: cacheDir }));
    clearRevocationCache();
    const cached = await verifyPdf(good, online({ offline: true, revocationCacheDir: cacheDir }));
    expect(cached.overall).toBe('TOTAL_PASSED');
    expect(cached.signatures[0]!.revocation!.source).toBe('cache');
  });
  it('embedded DSS OCSP answers offline, and the DSS revision is an allowed change', async () => {
    const pdf = withDss(good, servers.ocspResponse(join(pki.certs, 'agency.crt')));
    const r = await verifyPdf(pdf, online({ offline: true }));
    expect(r.overall).toBe('TOTAL_PASSED');
    expect(r.signatures[0]!.revocation!.source).toBe('dss');
    expect(r.signatures[0]!.changesAfter).toEqual([expect.objectContaining({ kind: 'DSS', allowed: true })]);
  });
});
