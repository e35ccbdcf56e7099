/**
 * The one resume rule, for every face: an earlier output counts as this job done when it starts with
 * the exact input bytes and its last signature is by this signer and verifies, followed by nothing but
 * long-term validation data (the B-LT DSS revision, a B-LTA document timestamp) that issuing itself
 * appends. Only our own last signature is judged: the verdict on what preceded it would not change by
 * signing again, and the input was checked when the output was first made.
 */
import { LT_KINDS } from '../../verify/changes';
import type { VerifyOptions, VerifyPdf } from './leader-check';
import { defaultVerifyPdf } from './leader-check';

export async function isEarlierOutput(input: Uint8Array, output: Uint8Array, signerCertificate: Buffer, trust: Pick<VerifyOptions, 'trustDir' | 'trustAnchors'>, verify?: VerifyPdf): Promise<boolean> {
  if (output.byteLength <= input.byteLength || Buffer.compare(output.subarray(0, input.byteLength), input) !== 0) return false;
  const report = await (verify ?? (await defaultVerifyPdf()))(output, { ...trust, offline: true });
  const last = report.signatures.filter((s) => !s.isDocTimestamp).at(-1);
  if (!last) return false;
  const ok = last.indication === 'TOTAL_PASSED' || (last.indication === 'INDETERMINATE' && last.subIndication === 'TRY_LATER');
  const onlyValidationDataAfter = last.revisionEnd === output.byteLength || last.changesAfter.every((c) => c.allowed && LT_KINDS.has(c.kind));
  return ok && last.certificate === signerCertificate.toString('base64') && last.revisionEnd > input.byteLength && onlyValidationDataAfter;
}
