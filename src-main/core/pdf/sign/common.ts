import { AppError, isAppError } from '../../../contract/errors';
import { isoVietnam } from '../../../contract/time';
import type { KeySigner } from '../../crypto/signer';
import { x509Of } from '../../crypto/x509';
import { assertCertificateUsable } from '../../token/choose';

import type { TsaOptions } from '../../cms/timestamp';
import { PendingFile } from '../../fsx/pending-file';
import { isSameFile } from '../../fsx/same-file';
import { IncrementalSigner, PlaceholderTooSmall, type SignedRevision } from './incremental-signer';

// Certificate validity is the token layer's rule; the signer re-checks it at signing time.
export { assertCertificateUsable };

export interface CommonSignOptions {
  /** RFC 3161 TSA: B-T when set, B-B otherwise. */
  tsa?: TsaOptions;
  /** Signing time (claimed, /M and visible text); default now. */
  now?: Date;
  /** DER intermediates that complete the embedded chain when the token stores only the signer's certificate. */
  intermediates?: readonly Buffer[];
}

/** The per-revision options every flow passes through to the signer. */
export function revisionExtras(opts: CommonSignOptions): { tsa?: TsaOptions; intermediates?: readonly Buffer[] } {
  return { ...(opts.tsa ? { tsa: opts.tsa } : {}), ...(opts.intermediates ? { intermediates: opts.intermediates } : {}) };
}

/** JSON-safe outcome of one signing call. */
export interface SignResult {
  output: string;
  bytes: number;
  /** SHA-256 of the output, hex. */
  sha256: string;
  /** ISO 8601 +07:00, the instant written to /M and shown in visible text. */
  signingTime: string;
  signatures: Array<{ fieldName: string; byteRange: number[]; revisionEnd: number }>;
}

import { readInput, type PdfInput } from './read-input';

export { readInput, type PdfInput };

/** The output of a signing call: its temp file, into which the input goes first (once), then the new revisions. */
export interface SignOutput {
  readonly file: PendingFile;
  /** Queues the input's bytes and their flush to disk in the background; later calls do nothing. */
  writeInput(): void;
}

/**
 * Opens the output of a signing call: refuses an output that is the input (originals are never
 * written, whatever path, link or hard link names them), reads the input once, and writes it into the
 * output's temp file and flushes it to disk in the background, so the I/O of the bytes that do not
 * change overlaps the verification, parsing and signing. `body` gets the bytes and the output; if it
 * throws, the temp file is removed and nothing appears at `output`.
 *
 * `prepare`, when given, runs on the bytes before the background write starts and its result goes to
 * `body`: pdf.js text extraction runs about twice as slow while 10 MB are being written beside it
 * (measured: 10 → 24 ms), while verification, parsing and signing do not mind the write.
 *
 * `holdInput`: the input is written only when `body` calls `writeInput()` (runSigningJob does at the
 * latest). Issuing calls it once the token holds the first signature: on a slow token the write and
 * its flush then cost nothing before that signature.
 */
export async function withOutput<T, P = undefined>(
  input: PdfInput,
  output: string,
  body: (bytes: Uint8Array, out: SignOutput, prepared: NoInfer<P>) => Promise<T>,
  prepare?: (bytes: Uint8Array) => Promise<P>,
  holdInput = false,
): Promise<T> {
  if (typeof input === 'string' && isSameFile(input, output)) {
    throw new AppError('INPUT_INVALID', 'Tệp kết quả trùng với tệp gốc; tệp gốc không bao giờ bị ghi đè. Hãy chọn tên hoặc thư mục khác cho tệp kết quả.', `output ${output} is the input ${input}`);
  }
  const bytes = readInput(input);
  const prepared = (prepare ? await prepare(bytes) : undefined) as P;
  const file = PendingFile.open(output);
  let inputQueued = false;
  const out: SignOutput = {
    file,
    writeInput: () => {
      if (inputQueued) return;
      inputQueued = true;
      file.append(bytes);
      file.flushInBackground();
    },
  };
  try {
    if (!holdInput) out.writeInput();
    return await body(bytes, out, prepared);
  } catch (e) {
    await file.abort();
    throw e;
  }
}

/**
 * Runs a signing job on the input bytes and commits the output that withOutput opened (the input is
 * already queued there; the new revisions follow). A /Contents placeholder that proves too small (a
 * large TSA token) rebuilds the whole job with twice the room, from the untouched input. Any failure
 * leaves no output file.
 */
export async function runSigningJob(
  inputBytes: Uint8Array,
  out: SignOutput,
  now: Date,
  job: (s: IncrementalSigner) => Promise<void>,
): Promise<SignResult> {
  let signed: IncrementalSigner | null = null;
  for (let boost = 0; boost <= 2 && !signed; boost++) {
    const s = await IncrementalSigner.open(inputBytes, boost);
    try {
      await job(s);
      await s.settle();
      signed = s;
    } catch (e) {
      if (!(e instanceof PlaceholderTooSmall) || boost === 2) throw asSignError(e);
    }
  }
  const [head, ...revisions] = signed!.outputChunks();
  if (head !== inputBytes) throw new Error('signed file does not start with the input buffer');
  out.writeInput();
  for (const r of revisions) out.file.append(r);
  await out.file.commit();
  return {
    output: out.file.path,
    bytes: signed!.byteLength,
    sha256: signed!.sha256(),
    signingTime: isoVietnam(now),
    signatures: signed!.revisions.map((r: SignedRevision) => ({ fieldName: r.fieldName, byteRange: [...r.byteRange], revisionEnd: r.revisionEnd })),
  };
}

export function asSignError(e: unknown): AppError {
  if (isAppError(e)) return e;
  return new AppError('SIGN_FAILED', 'Ký số không thành công; chưa tạo tệp kết quả.', `sign: ${(e as Error)?.message ?? String(e)}`, undefined, { cause: e });
}

/** Common name of the signer certificate (NFC), for locating the signer block and /Name. */
export function certificateCommonName(der: Buffer): string {
  const subject = x509Of(der).subject;
  const cn = subject.split('\n').find((l) => l.startsWith('CN='));
  return (cn ? cn.slice(3) : subject).normalize('NFC');
}

export { MM_TO_PT } from '../layout/geometry';
