/**
 * Agency issuing signature (ký phát hành, VGCA "SignIssued"): "Thêm số", "Thêm ngày", "Đóng dấu".
 *
 * Decision: one incremental revision — one agency signature with one widget — per element (number,
 * day, month, seal), not one signature carrying several widgets. poppler 22.12 lists every extra widget
 * of a signature field as an unsigned signature (docs/signing.md, "Four agency signatures"), and per-element revisions are what
 * VGCA writes, so validators already in use read them as the expected pattern. All four are signed in
 * one token session; the file is loaded and hashed once (see incremental-signer.ts). Each text widget
 * covers only the blank it fills; the seal widget overlaps the leader's signature widget only.
 */
import { AppError } from '../../../contract/errors';
import { DOC_NUMBER_MAX, NOTATION_MAX_CHARS, SEAL_MM_DEFAULT, SEAL_MM_MAX, SEAL_MM_MIN } from '../../../contract/limits';
import { decree30Day, decree30Month, decree30Number, isNotationShape, nfc } from '../../../contract/text';
import { dayInVietnam, isDocumentDay, type CalendarDay } from '../../../contract/time';
import type { KeySigner } from '../../crypto/signer';
import type { SignatureReport } from '../../verify/report';
import { imageAppearance, pngInfo } from '../appearance/image';
import { TextFont, type TextAppearance } from '../appearance/text';
import type { PageRect } from '../layout/geometry';
import { centreText, ISSUE_FACE, issueBoxes, leaderImage, sealOver, type TextSpot } from '../layout/placement';
import { extractLines, openTextPages } from '../layout/text-lines';
import { PdfFile } from '../parse/document';
import { loadTrustAnchors } from '../../verify/trust';
import { assertCertificateUsable, certificateCommonName, readInput, revisionExtras, runSigningJob, withOutput, type CommonSignOptions, type PdfInput, type SignResult } from './common';
import type { IncrementalSigner } from './incremental-signer';
import { defaultVerifyPdf, isUnknownRevocation, requireLeaderSignature, type LeaderRevocationOptions, type VerifyOptions, type VerifyPdf } from './leader-check';

export type { TextSpot };

export interface IssueOptions extends CommonSignOptions {
  /** Số (1…); written with a leading zero below 10. */
  number: number;
  /** Ký hiệu, e.g. "QĐ-UBND" (recorded in /Reason; the page already prints it). */
  notation: string;
  /** Issue date; default the signing day in Vietnam time. */
  date?: CalendarDay;
  /** Red seal PNG with transparency. */
  stamp: Uint8Array;
  /** Real seal diameter in mm (settings or --seal-mm); default SEAL_MM_DEFAULT. The PNG's dpi is ignored. */
  sealMm?: number;
  /** "digitized": the agency digitised the document itself, so no leader signature is required. */
  jobType?: 'issue' | 'digitized';
  /** Trust for the leader check, and where it asks about revocation (cache, OCSP/CRL mirrors). */
  trust?: Pick<VerifyOptions, 'trustDir' | 'trustAnchors'> & LeaderRevocationOptions;
  /** Leader check without network: embedded DSS and the fresh cache only; default false. */
  offline?: boolean;
  /**
   * The clerk's explicit choice to issue although no revocation status of the leader's certificate
   * could be had; default false (refused). The result says when it was used.
   */
  acceptUnknownRevocation?: boolean;
  /** Explicit positions; default found from page 1 text. */
  numberAt?: TextSpot;
  dayAt?: TextSpot;
  monthAt?: TextSpot;
  /**
   * Printed signer name that locates the signer block when no visible leader widget gives the seal's
   * place (digitised documents, invisible leader signatures); default the leader certificate's name.
   */
  signerName?: string;
  /** Explicit seal square (points); default from the leader's signature widget. */
  sealRect?: PageRect;
  /** Injected verifier (tests, UI); default src-main/core/verify's verifyPdf. */
  verifyPdf?: VerifyPdf;
  /** PAdES B-LT: append the validation data of every signature (DSS); default true. */
  validationData?: boolean;
}

export interface IssueResult extends SignResult {
  number: string;
  day: string;
  month: string;
  /** Where the number, day and month were written (the placement the screen proposes for the same file). */
  spots: { number: TextSpot; day: TextSpot; month: TextSpot };
  seal: PageRect;
  leader: { fieldName: string; signerName: string | null } | null;
  /** The verifier's report on the leader's signature, as the leader check judged it (null when digitised). */
  leaderReport: SignatureReport | null;
  /** True when the leader's revocation status was unknown and issued on acceptUnknownRevocation. */
  unknownRevocationAccepted: boolean;
  /** The DSS revision holds revocation data for every signer's certificate (validates offline). */
  ltv: boolean;
}

export async function issuePdf(input: PdfInput, output: string, signer: KeySigner, opts: IssueOptions): Promise<IssueResult> {
  const now = opts.now ?? new Date();
  if (!Number.isInteger(opts.number) || opts.number < 1 || opts.number > DOC_NUMBER_MAX) {
    throw new AppError('INPUT_INVALID', 'Số văn bản phải là số nguyên dương.', `number ${opts.number}`);
  }
  const notation = nfc(opts.notation).trim();
  if (notation.length > NOTATION_MAX_CHARS || !isNotationShape(notation)) {
    throw new AppError('INPUT_INVALID', 'Ký hiệu văn bản không hợp lệ (ví dụ đúng: QĐ-UBND, UBND-VP).', `notation ${JSON.stringify(opts.notation)}`);
  }
  if (opts.date && !isDocumentDay(opts.date)) throw new AppError('INPUT_INVALID', 'Ngày ban hành không hợp lệ.', `date ${JSON.stringify(opts.date)}`);
  const sealMm = opts.sealMm ?? SEAL_MM_DEFAULT;
  if (!(sealMm >= SEAL_MM_MIN && sealMm <= SEAL_MM_MAX)) throw new AppError('INPUT_INVALID', `Đường kính con dấu phải từ ${SEAL_MM_MIN} đến ${SEAL_MM_MAX} mm.`, `sealMm ${sealMm}`);
  pngInfo(opts.stamp);
  assertCertificateUsable(signer, now);
  const date = opts.date ?? dayInVietnam(now);
  const numberText = decree30Number(opts.number);
  const dayText = decree30Day(date.day);
  const monthText = decree30Month(date.month);

  // One parse of the input serves the page-1 text and the leader check: at 10 MB its %%EOF and
  // cross-reference scans cost ~1.7 ms each time.
  let parsed: PdfFile | undefined;
  const parseInput = (bytes: Uint8Array): PdfFile => (parsed ??= new PdfFile(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)));
  return withOutput(input, output, async (bytes, out, located) => {
    // The text search ran first (see withOutput). The leader check runs beside the loading of the file
    // and the building of the first revision (an OCSP round trip for the leader's certificate is spent
    // on them); the token is asked for nothing before the check has passed (the gate below). The leader's verdict is reported first whatever else
    // failed: it is the reason the clerk needs to hear.
    // The trust folder is read once for the whole issue: the leader check, the agency's revocation and
    // the validation data all take these anchors.
    const trust = withAnchors(opts.trust);
    // The leader's ByteRange digest and the agency signatures share one SHA-256 pass over the input
    // (crypto/prefix-digest.ts, found by memory).
    const checked = leaderCheck(bytes, signer.certificate, { ...opts, trust }, parsed);
    checked.catch(() => {}); // awaited on every path below
    try {
      if (located.status === 'rejected') throw located.reason;
      const spots = located.value;
      let seal: PageRect | null = null;
      let ltv = false;
      const ltvWanted = opts.validationData ?? true;
      const pool = [...(opts.intermediates ?? []), ...signer.chain];
      const signerName = certificateCommonName(signer.certificate);
      const result = await runSigningJob(bytes, out, now, async (s) => {
        s.gate(checked);
        // Each revision is queued: the token signs one while the next is built (incremental-signer.ts).
        const upright = await TextFont.embed(s.doc, 'regular', [numberText]);
        await queueText(s, signer, signerName, opts, now, upright.appearance(numberText, spots.number.size), spots.number, 'ThemSo', `Thêm số ${numberText}/${notation}`);
        // Everything below runs while the token signs: nothing of it delays the first signature.
        const leader = await checked;
        await s.signing();
        // The input's write to the output file (10 MB: a copy into the page cache and its flush) waits
        // until now, beside the token's signing (see withOutput's holdInput).
        out.writeInput();
        // The agency certificate's revocation answer (an OCSP round trip) is asked beside the token's
        // signing; the validation data below then finds it in the cache instead of asking after the
        // last signature. Its outcome is judged there, not here.
        const warmed = ltvWanted ? askAgencyRevocation(signer.certificate, pool, { ...opts, trust }, now) : Promise.resolve();
        // One italic subset for day and month: written with the day, referenced again by the month.
        const italic = await TextFont.embed(s.doc, 'italic', [dayText, monthText]);
        await queueText(s, signer, signerName, opts, now, italic.appearance(dayText, spots.day.size), spots.day, 'ThemNgay', `Thêm ngày ${dayText}`);
        await queueText(s, signer, signerName, opts, now, italic.appearance(monthText, spots.month.size), spots.month, 'ThemThang', `Thêm tháng ${monthText}`);
        seal ??= opts.sealRect ?? (await sealFromLeader(bytes, leader, opts.signerName, sealMm));
        const ap = await imageAppearance(s.doc, opts.stamp, seal.width, seal.height);
        await s.queue({
          signer, page: seal.page, rect: seal, appearance: ap, namePrefix: 'DongDau', signingTime: now,
          name: signerName, reason: `Ký phát hành văn bản số ${numberText}/${notation}`,
          ...revisionExtras(opts),
        });
        await warmed;
        if (ltvWanted) {
          const { embedValidationData } = await validationData();
          // With a TSA configured, a document timestamp follows the DSS (B-LTA).
          ltv = await embedValidationData(s, { ...trust, offline: opts.offline ?? false, now, pool, ownSigner: signer.certificate, ...(opts.tsa ? { tsa: opts.tsa } : {}) });
        }
      });
      const leader = await checked;
      return {
        ...result, number: numberText, day: dayText, month: monthText, spots, seal: seal!,
        leader: leader ? { fieldName: leader.fieldName, signerName: leader.signerName } : null,
        leaderReport: leader,
        unknownRevocationAccepted: leader !== null && isUnknownRevocation(leader),
        ltv,
      };
    } catch (e) {
      await checked; // a refused leader signature is thrown here, before anything else
      throw e;
    }
  }, async (bytes: Uint8Array) => (await Promise.allSettled([locateSpots(bytes, opts, date, () => parseInput(bytes))]))[0]!, true);
}

/** The trust options with the folder's anchors read (once), so no later step reads the folder again. */
function withAnchors(trust: IssueOptions['trust']): IssueOptions['trust'] {
  if (!trust?.trustDir || trust.trustAnchors) return trust;
  const { trustDir, ...rest } = trust;
  return { ...rest, trustAnchors: loadTrustAnchors(trustDir) };
}

/**
 * The leader rule alone (null for digitised documents), so a caller can refuse before asking for the
 * agency PIN; issuePdf runs it again on the bytes it signs.
 */
export async function assertIssuable(input: PdfInput, agencyCertificate: Buffer, opts: LeaderCheckOptions): Promise<SignatureReport | null> {
  return leaderCheck(readInput(input), agencyCertificate, opts);
}

type LeaderCheckOptions = Pick<IssueOptions, 'jobType' | 'verifyPdf' | 'offline' | 'trust' | 'now' | 'acceptUnknownRevocation'>;

async function leaderCheck(bytes: Uint8Array, agencyCertificate: Buffer, opts: LeaderCheckOptions, file?: PdfFile): Promise<SignatureReport | null> {
  if ((opts.jobType ?? 'issue') !== 'issue') return null;
  const verify = opts.verifyPdf ?? (await defaultVerifyPdf());
  const report = await verify(bytes, {
    ...opts.trust, offline: opts.offline ?? false, now: opts.now ?? new Date(), ...(file ? { file } : {}),
  });
  return requireLeaderSignature(report, agencyCertificate, opts.acceptUnknownRevocation ?? false);
}

// Loaded on first use, like the leader check's verifier (they pull in the revocation stack), and kept.
let validationDataModule: Promise<typeof import('./validation-data')> | null = null;
let revocationPathModule: Promise<typeof import('../../verify/chain-revocation')> | null = null;
const validationData = () => (validationDataModule ??= import('./validation-data'));
const revocationPath = () => (revocationPathModule ??= import('../../verify/chain-revocation'));

/** Fills the revocation cache for the agency certificate's chain (chainRevocation's side effect); never throws. */
async function askAgencyRevocation(certificate: Buffer, pool: readonly Buffer[], opts: IssueOptions, now: Date): Promise<void> {
  try {
    const { chainRevocation } = await revocationPath();
    await chainRevocation({ ...opts.trust, certificate, chain: pool, signingTime: now, offline: opts.offline ?? false, now });
  } catch {
    // Whatever went wrong is met again, and reported, when the validation data is collected.
  }
}

async function queueText(s: IncrementalSigner, signer: KeySigner, name: string, opts: IssueOptions, now: Date, ap: TextAppearance, at: TextSpot, prefix: string, reason: string): Promise<void> {
  const rect = { x: at.x, y: at.baseline - ap.baselineOffset, width: ap.width, height: ap.height };
  await s.queue({
    signer, page: at.page, rect, appearance: ap.ref, namePrefix: prefix, signingTime: now,
    name, reason, ...revisionExtras(opts),
  });
}

/** Text spots: explicit, or centred in the blanks found on page 1 (core/pdf/layout/placement.ts). */
async function locateSpots(bytes: Uint8Array, opts: IssueOptions, date: CalendarDay, parse: () => PdfFile): Promise<{ number: TextSpot; day: TextSpot; month: TextSpot }> {
  if (opts.numberAt && opts.dayAt && opts.monthAt) return { number: opts.numberAt, day: opts.dayAt, month: opts.monthAt };
  const boxes = issueBoxes((await extractLines(bytes, [0], (pdf) => openTextPages(pdf, parse))).lines);
  if (boxes.year !== undefined && !opts.dayAt && boxes.year !== date.year) {
    throw new AppError('INPUT_INVALID', `Năm ban hành (${date.year}) khác năm in trên văn bản (${boxes.year}).`, `year ${date.year} vs printed ${boxes.year}`);
  }
  const number = opts.numberAt ?? (boxes.number ? centreText(boxes.number, decree30Number(opts.number), ISSUE_FACE.number) : null);
  const day = opts.dayAt ?? (boxes.day ? centreText(boxes.day, decree30Day(date.day), ISSUE_FACE.day) : null);
  const month = opts.monthAt ?? (boxes.month ? centreText(boxes.month, decree30Month(date.month), ISSUE_FACE.month) : null);
  if (!number) throw new AppError('INPUT_INVALID', 'Không tìm thấy chỗ trống sau "Số:" ở trang đầu; hãy chỉ định vị trí ghi số.', 'number gap not found');
  if (!day || !month) throw new AppError('INPUT_INVALID', 'Không tìm thấy dòng "ngày … tháng … năm …" ở trang đầu; hãy chỉ định vị trí ghi ngày.', 'date gaps not found');
  return { number, day, month };
}

/** The seal over the leader's image (core/pdf/layout/placement.ts); refused when neither widget nor signer block shows where. */
async function sealFromLeader(bytes: Uint8Array, leader: SignatureReport | null, signerName: string | undefined, sealMm: number): Promise<PageRect> {
  const image = await leaderImage(bytes, leader?.widget, signerName ?? leader?.signerName);
  if (!image) {
    throw new AppError('INPUT_INVALID', 'Không xác định được vị trí chữ ký của lãnh đạo để đóng dấu; hãy chỉ định vị trí con dấu.', 'no leader widget and no signer block');
  }
  return sealOver(image, sealMm);
}
