import type { z } from 'zod';
import { AppError } from '../../contract/errors';
import type { batchJob } from '../../contract/sign';
import { decree30Day, decree30Month, decree30Number } from '../../contract/text';
import { parseIsoDay } from '../../contract/time';
import type { KeySigner } from '../crypto/signer';
import { centreText, ISSUE_FACE } from '../pdf/layout/placement';
import {
  issuePdf, signAttachment, signCopy,
  type AttachmentOptions, type CommonSignOptions, type CopyOptions, type IssueOptions, type IssueResult, type LeaderRevocationOptions, type PdfInput, type SignResult,
} from '../pdf/sign/index';

type JobInput = z.output<typeof batchJob>;

/** A job ready for the core signer: what to run, with which options, and the suffix of its output name. */
export type PlannedJob =
  | { kind: 'issue'; options: IssueOptions; suffix: string }
  | { kind: 'appendix'; options: AttachmentOptions; suffix: string }
  | { kind: 'copy'; options: CopyOptions; suffix: string };

/** What every job takes from the agency settings rather than from the caller. */
export interface PlanContext {
  common: CommonSignOptions;
  trustDir: string;
  /** Where the leader check asks about revocation (the verifier's cache, OCSP/CRL mirrors). */
  revocation: LeaderRevocationOptions;
  /** Issue when the leader's revocation status is unknown, unless the job says otherwise. */
  acceptUnknownRevocation: boolean;
  stamp: () => Buffer;
}

/**
 * Core signer options for a job, from the contract's fields and the agency settings. An issue's number
 * and ký hiệu are the register's reservation when it has a sổ (`reserved`), else the caller's own.
 */
export function planJob(ctx: PlanContext, job: JobInput, reserved?: { number: number; notation: string }): PlannedJob {
  const { common } = ctx;
  switch (job.kind) {
    case 'appendix': return { kind: 'appendix', options: { ...common, ref: job.ref }, suffix: 'da-ky' };
    case 'copy': return { kind: 'copy', options: { ...common, form: job.form, agency: job.agency }, suffix: 'ban-sao' };
    case 'issue': {
      const { positions } = job;
      const number = reserved?.number ?? job.number;
      const notation = reserved?.notation ?? job.notation;
      if (number === undefined || notation === undefined) {
        throw new AppError('INPUT_INVALID', 'Chưa chọn sổ văn bản đi để cấp số.', 'issue without book (or without number and notation)', { field: 'book' });
      }
      const day = parseIsoDay(job.date);
      const texts = { number: decree30Number(number), day: decree30Day(day.day), month: decree30Month(day.month) };
      return {
        kind: 'issue',
        suffix: `so-${texts.number}-da-ky`,
        options: {
          ...common, number, notation, date: day, sealMm: job.sealMm, stamp: ctx.stamp(),
          trust: { trustDir: ctx.trustDir, ...ctx.revocation },
          acceptUnknownRevocation: job.acceptUnknownRevocation ?? ctx.acceptUnknownRevocation,
          jobType: job.digitized ? 'digitized' : 'issue',
          ...(job.signerName ? { signerName: job.signerName } : {}),
          ...(positions?.number ? { numberAt: centreText(positions.number, texts.number, ISSUE_FACE.number) } : {}),
          ...(positions?.day ? { dayAt: centreText(positions.day, texts.day, ISSUE_FACE.day) } : {}),
          ...(positions?.month ? { monthAt: centreText(positions.month, texts.month, ISSUE_FACE.month) } : {}),
          ...(positions?.seal ? { sealRect: positions.seal } : {}),
        },
      };
    }
  }
}

export function runPlanned(p: PlannedJob, input: PdfInput, output: string, signer: KeySigner): Promise<SignResult | IssueResult | (SignResult & { text: string })> {
  switch (p.kind) {
    case 'issue': return issuePdf(input, output, signer, p.options);
    case 'appendix': return signAttachment(input, output, signer, p.options);
    case 'copy': return signCopy(input, output, signer, p.options);
  }
}
