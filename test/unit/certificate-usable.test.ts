import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assertCertificateUsable } from '../../src-main/core/token/choose';
import { certPath, loadPki } from '../helpers/pki';

describe('assertCertificateUsable (the signer refuses a certificate out of validity)', () => {
  const pki = loadPki();
  const der = readFileSync(certPath(pki, 'agency', 'der'));
  const { validFrom, validTo } = new X509Certificate(der);

  it('takes the validity from the DER: before, inside, after', () => {
    expect(() => assertCertificateUsable({ certificate: der }, new Date(Date.parse(validFrom) - 1000))).toThrow(expect.objectContaining({ code: 'TOKEN_CERT_NOT_YET_VALID' }));
    expect(() => assertCertificateUsable({ certificate: der.toString('base64') }, new Date(Date.parse(validFrom) + 1000))).not.toThrow();
    expect(() => assertCertificateUsable({ certificate: der }, new Date(Date.parse(validTo) + 1000))).toThrow(expect.objectContaining({ code: 'TOKEN_CERT_EXPIRED' }));
  });

  it('refuses a certificate whose date does not read (month 13), which Node parses but prints as no date', () => {
    // notAfter's UTCTime YYMMDDhhmmssZ, its month made 13: OpenSSL still parses the certificate.
    const text = der.toString('latin1');
    const times = [...text.matchAll(/\x17\x0d(\d{12}Z)/g)];
    expect(times).toHaveLength(2);
    const bad = Buffer.from(der);
    bad.write('13', times[1]!.index! + 4, 'latin1');
    const x = new X509Certificate(bad);
    expect(Number.isNaN(Date.parse(x.validTo))).toBe(true);
    expect(() => assertCertificateUsable({ certificate: bad }, new Date(Date.parse(validFrom) + 1000))).toThrow(expect.objectContaining({ code: 'INPUT_INVALID' }));
  });
});
