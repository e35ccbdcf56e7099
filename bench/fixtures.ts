/** Bench inputs made the same way by every bench that needs them. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeBasePdf } from '../test/fixtures-gen/base-pdf';
import { addSignature } from '../test/fixtures-gen/pades';
import { identity } from '../test/fixtures-gen/test-certs';

/** A PDF padded to about `mb` MB with a leader signature and an agency signature, in memory. */
export async function twoSignaturePdf(mb: number): Promise<Buffer> {
  const base = await makeBasePdf({ padBytes: mb * 1024 * 1024 });
  const one = addSignature(base, { signer: identity('rsa'), widget: { page: 0, rect: [330, 470, 510, 550] } });
  return addSignature(one, { signer: identity('agency'), widget: { page: 0, rect: [300, 480, 360, 540] } });
}

/** The same, written to a fresh temporary folder (the caller removes `dir`). */
export async function twoSignaturePdfFile(mb: number): Promise<{ pdf: Buffer; file: string; dir: string }> {
  const pdf = await twoSignaturePdf(mb);
  const dir = mkdtempSync(join(tmpdir(), 'vanthu-bench-'));
  const file = join(dir, 'two-signatures.pdf');
  writeFileSync(file, pdf);
  return { pdf, file, dir };
}
