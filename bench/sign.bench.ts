/**
 * Agency signature (appendix/attachment text signature, one incremental revision) on 1, 10 and 50 MB
 * PDFs, signed on the SoftHSM agency token through the token core, beside:
 *   floor   — read the file + SHA-256 over it + atomic write (temp, fsync, rename) of the same bytes;
 *   signpdf — @signpdf/placeholder-plain + @signpdf/signpdf with the agency P12 (node-forge), same file.
 * Medians of several runs; ratios and the difference to the floor are computed in this run.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmt, median, sample } from './stats';
import { loadPki } from '../test/helpers/pki';
import { writeFileAtomic } from '../src-main/core/fsx/atomic-write';
import { makeSampleDocument } from '../src-main/core/pdf/sign/sample-document';
import { signAttachment } from '../src-main/core/pdf/sign/index';
import { openTokenService } from '../src-main/core/token/index';

export default async function bench(): Promise<void> {
  const pki = loadPki();
  const dir = mkdtempSync(join(tmpdir(), 'vanthu-bench-sign-'));
  const service = openTokenService({ modules: [pki.module], pollIntervalMs: 60_000 });
  const { default: signpdf } = await import('@signpdf/signpdf');
  const { P12Signer } = await import('@signpdf/signer-p12');
  const { plainAddPlaceholder } = await import('@signpdf/placeholder-plain');
  const p12 = readFileSync(join(pki.p12, 'agency.p12'));
  try {
    const ref = service.findToken(pki.tokens.agency).ref;
    service.login(ref, Buffer.from(pki.userPin));
    const signer = service.createTokenSigner(ref, pki.keyIds.agency);
    console.log('signer: SoftHSM agency token (RSA-2048, CKM via token core); inputs: classic-xref sample + incompressible padding');
    console.log('size    | ours (ms) | floor (ms) | ours−floor | ours/floor | @signpdf P12 (ms) | ours/@signpdf | appended bytes');
    for (const mb of [1, 10, 50]) {
      const input = join(dir, `in-${mb}.pdf`);
      // @signpdf's plain placeholder reads classic xref tables only, so the inputs use one.
      writeFileSync(input, await makeSampleDocument({ classicXref: true, padToBytes: mb * 1024 * 1024 }));
      const out = join(dir, `out-${mb}.pdf`);
      const runs = mb >= 50 ? 5 : 9;
      const inputSize = statSync(input).size;
      let appended = 0;
      const steps = {
        floor: () => {
          const b = readFileSync(input);
          createHash('sha256').update(b).digest();
          writeFileAtomic(join(dir, `floor-${mb}.pdf`), [b]);
        },
        ours: async () => {
          const r = await signAttachment(input, out, signer, { ref: '05/QĐ-UBND' });
          appended = r.bytes - inputSize;
        },
        theirs: async () => {
          const b = readFileSync(input);
          const withPlaceholder = plainAddPlaceholder({ pdfBuffer: b, reason: 'bench', contactInfo: '', name: 'bench', location: '' });
          const signed = await signpdf.sign(withPlaceholder, new P12Signer(p12, { passphrase: pki.p12Password }));
          writeFileAtomic(join(dir, `signpdf-${mb}.pdf`), [signed]);
        },
      };
      // Interleaved, so a busy machine slows all three alike and the ratios stay meaningful.
      const floor: number[] = [], ours: number[] = [], theirs: number[] = [];
      for (let i = 0; i < runs + 1; i++) {
        const f = await sample(1, steps.floor, 0);
        const o = await sample(1, steps.ours, 0);
        const t = await sample(1, steps.theirs, 0);
        if (i === 0) continue; // warm-up
        floor.push(...f); ours.push(...o); theirs.push(...t);
      }
      const o = median(ours), f = median(floor), t = median(theirs);
      console.log(`${String(mb).padStart(3)} MB  | ${fmt(o).padStart(9)} | ${fmt(f).padStart(10)} | ${fmt(o - f).padStart(10)} | ${(o / f).toFixed(2).padStart(10)} | ${fmt(t).padStart(17)} | ${(o / t).toFixed(2).padStart(13)} | ${appended}`);
      rmSync(input);
    }
  } finally {
    service.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
