/**
 * Many files, one login: the caller opens the token session once and passes its KeySigner; files are
 * signed one after another (a PKCS#11 session is not re-entrant). Which jobs are already done is the
 * caller's question, answered by the one rule in resume.ts (the sign.batch service asks it).
 */
import * as z from 'zod';
import { isAppError, type ErrorPayload } from '../../../contract/errors';
import type { KeySigner } from '../../crypto/signer';
import { asSignError, type SignResult } from './common';
import { issuePdf, type IssueOptions } from './issue';
import { signAttachment, signCopy, type AttachmentOptions, type CopyOptions } from './text-stamp';

export type BatchJob =
  | { kind: 'issue'; input: string; output: string; options: IssueOptions }
  | { kind: 'appendix'; input: string; output: string; options: AttachmentOptions }
  | { kind: 'copy'; input: string; output: string; options: CopyOptions };

export interface BatchItemResult {
  input: string;
  output: string;
  status: 'signed' | 'skipped' | 'failed';
  result?: SignResult;
  error?: ErrorPayload;
}

/**
 * Progress after each job, JSON-safe (plain numbers, strings and objects: no Date, no bytes), so a
 * contract method can forward it unchanged as its progress event. `index` is the job's 0-based place in
 * the list; `done` counts jobs finished so far (signed, skipped or failed) out of `total`.
 */
export interface BatchProgress { done: number; total: number; index: number; item: BatchItemResult }

const resultSchema = z.looseObject({
  output: z.string(), bytes: z.number(), sha256: z.string(), signingTime: z.string(),
  signatures: z.array(z.object({ fieldName: z.string(), byteRange: z.array(z.number()), revisionEnd: z.number() })),
});
export const batchItemResultSchema = z.object({
  input: z.string(), output: z.string(), status: z.enum(['signed', 'skipped', 'failed']),
  result: resultSchema.optional(),
  error: z.object({ code: z.string(), message: z.string(), data: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional() }).optional(),
});
/** The payload schema of a batch progress event (for the contract). */
export const batchProgressSchema = z.object({ done: z.number().int(), total: z.number().int(), index: z.number().int(), item: batchItemResultSchema });

export interface BatchOptions {
  onProgress?: (p: BatchProgress) => void;
  /** Stop at the first failure (e.g. the token was pulled); default false: go on and report. */
  stopOnError?: boolean;
  /** The signature PIN held for this batch (core/token/batch-pin.ts): wiped when the batch ends, however it ends. */
  batchPin?: { wipe(): void };
}

export async function signBatch(jobs: readonly BatchJob[], signer: KeySigner, opts: BatchOptions = {}): Promise<BatchItemResult[]> {
  try {
    return await signEach(jobs, signer, opts);
  } finally {
    opts.batchPin?.wipe();
  }
}

async function signEach(jobs: readonly BatchJob[], signer: KeySigner, opts: BatchOptions): Promise<BatchItemResult[]> {
  const results: BatchItemResult[] = [];
  for (const [index, job] of jobs.entries()) {
    let item: BatchItemResult;
    try {
      const result = await runJob(job, signer);
      item = { input: job.input, output: job.output, status: 'signed', result };
    } catch (e) {
      const err = isAppError(e) ? e : asSignError(e);
      item = { input: job.input, output: job.output, status: 'failed', error: err.toPayload() };
    }
    results.push(item);
    opts.onProgress?.({ done: results.length, total: jobs.length, index, item });
    if (item.status === 'failed' && (opts.stopOnError || isFatalTokenError(item.error!.code))) break;
  }
  return results;
}

function runJob(job: BatchJob, signer: KeySigner): Promise<SignResult> {
  switch (job.kind) {
    case 'issue': return issuePdf(job.input, job.output, signer, job.options);
    case 'appendix': return signAttachment(job.input, job.output, signer, job.options);
    case 'copy': return signCopy(job.input, job.output, signer, job.options);
  }
}

/** Errors after which every later file would fail the same way: stop rather than hammer the token. */
function isFatalTokenError(code: string): boolean {
  return ['TOKEN_REMOVED', 'TOKEN_ABSENT', 'TOKEN_LOCKED', 'TOKEN_NOT_LOGGED_IN', 'TOKEN_PIN_INCORRECT', 'TOKEN_CERT_EXPIRED'].includes(code);
}
