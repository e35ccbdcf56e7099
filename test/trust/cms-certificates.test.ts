/**
 * Reading a signature's certificates from its DER without verification (used to collect B-LT
 * validation data cheaply) agrees with the verifier's full CMS parser on every legitimate file of the
 * interop suite — our writer's, @signpdf's, NSS's BER CMS (read by the fallback), SKI signer ids, EdDSA —
 * and refuses what is not plain DER rather than guessing.
 */
import { describe, expect, it } from 'vitest';
import { cmsCertificates } from '../../src-main/core/trust/cms-certificates';
import { verifyCms } from '../../src-main/core/verify/cms';
import { PdfFile } from '../../src-main/core/pdf/parse/document';
import { signatureEntries } from '../../src-main/core/pdf/parse/signatures';
import { CASES } from '../verify/interop/cases';

describe('certificates of a CMS read without verification', () => {
  it('agrees with the full parser on every legitimate interop file', async () => {
    let compared = 0;
    let signersNamed = 0;
    let stamped = 0;
    for (const c of CASES.filter((k) => k.kind === 'legit')) {
      const file = new PdfFile(await c.make());
      for (const entry of signatureEntries(file)) {
        if (!entry.contents) continue;
        const full = verifyCms(entry.contents.bytes, null);
        const quick = cmsCertificates(entry.contents.bytes);
        if (!quick) continue; // not plain DER (BER from NSS): the caller uses the full parser
        compared += 1;
        // Signature time-stamp tokens are found where the verifier finds them.
        expect(quick.timestamps.length, c.name).toBe(full.unsigned.get('1.2.840.113549.1.9.16.2.14')?.length ?? 0);
        stamped += quick.timestamps.length;
        expect(quick.certificates.map((d) => d.toString('hex')), c.name).toEqual(full.certificates.map((x) => x.der.toString('hex')));
        // A signer named by issuer and serial is found; one named by key identifier is left to the full parser.
        if (quick.signer) {
          signersNamed += 1;
          expect(quick.signer.equals(full.signer!.der), c.name).toBe(true);
        }
      }
    }
    expect(compared).toBeGreaterThan(15);
    expect(signersNamed).toBeGreaterThan(15);
    expect(stamped).toBeGreaterThan(0);
  }, 120_000);

  it('refuses truncated, indefinite-length and non-CMS bytes', () => {
    expect(cmsCertificates(Buffer.from('3080060904', 'hex'))).toBeNull();
    expect(cmsCertificates(Buffer.from('30820fff0609', 'hex'))).toBeNull();
    expect(cmsCertificates(Buffer.alloc(64))).toBeNull();
    expect(cmsCertificates(Buffer.from('3003020101', 'hex'))).toBeNull();
  });
});
