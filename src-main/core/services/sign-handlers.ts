import { randomBytes } from 'node:crypto';
import { PDFDocument } from '@cantoo/pdf-lib';
import { AppError, isAppError } from '../../contract/errors';
import { dateInVietnam } from '../../contract/time';
import type { Handlers } from '../../contract/dispatch';
import type { SignResultDto, signMethods } from '../../contract/sign';
import type { Settings } from '../config';
import type { Logger } from '../log';
import type { KeySigner } from '../crypto/signer';
import { issueBoxes, leaderImage, sealOver } from '../pdf/layout/placement';
import { extractLines } from '../pdf/layout/text-lines';
import { approvePdf, isUnknownRevocation, requireLeaderSignature, type IssueResult, type LeaderRevocationOptions, type SignResult } from '../pdf/sign/index';
import { chainToAnchorOnline } from '../pdf/sign/chain-check';
import { aiaCacheDir, type AiaOptions } from '../trust/aia';
import { chooseKey, type TokenService } from '../token';
import { verifyPdf, type SignatureReport } from '../verify/index';
import { derivedName, type StoredFile, type Workspace } from '../workspace';
import { jobKey, runBatch, SignedJobs, type JobInput } from './sign-batch';
import { planJob, runPlanned, type PlanContext } from './sign-plan';
import { entryOf, recordFieldsOf, recordIssued, reserve, underReservation, type IssuingRegister, type Reservation } from './sign-register';
import { toReportDto, type RevocationDeps } from './verify-handlers';

export interface SignDeps {
  workspace: Workspace;
  tokens: TokenService;
  settings: Pick<Settings, 'trustDir' | 'sealMm' | 'demo' | 'tsaUrl'>;
  /** The agency's red seal as the profile saved in "Cài đặt" gives it (PNG and real diameter), read at each call. */
  seal: () => Promise<{ image: Buffer; mm: number }>;
  /** Intermediate CA certificates (DER) that complete the chain embedded in agency signatures. */
  intermediates: readonly Buffer[];
  /** The verifier's revocation cache and OCSP/CRL mirrors, used by the leader check before issuing. */
  revocation: RevocationDeps;
  /** Where a clerk's choice to issue despite an unknown revocation status is recorded. */
  log?: Logger;
  /** Sends a backend event (sign.progress) to every connected screen; none in the CLI. */
  publish?: (event: string, payload: unknown) => void;
  /**
   * The Điều 17.4.c gate of a digitised issue (no leader signature): throws unless these very bytes were
   * digitised by this workstation and met the standard. Provenance is kept here, never read off the file.
   */
  requireDigitizedHere: (bytes: Uint8Array) => Promise<void>;
  /** The register's cấp số (reservation, issued entry, cancelled number), on the register's worker. */
  register: IssuingRegister;
}

/**
 * A digitised issue skips the leader check, so it must first pass the provenance gate. A number typed
 * without a sổ is checked against the register: a số and ký hiệu the sổ đi already holds for that year
 * is refused (the number is the register's to give).
 */
async function gateDigitized(deps: Pick<SignDeps, 'requireDigitizedHere' | 'register'>, job: JobInput, bytes: Uint8Array): Promise<void> {
  if (job.kind !== 'issue') return;
  if (job.digitized) await deps.requireDigitizedHere(bytes);
  if (job.book || job.number === undefined || job.notation === undefined) return;
  const year = Number(job.date.slice(0, 4));
  const { document } = await deps.register['register.codeUsed']({ year, number: job.number, notation: job.notation });
  if (document) {
    throw new AppError('CONFLICT', `Số ${document.code} đã có trong sổ văn bản đi năm ${year}; mỗi số chỉ được cấp một lần.`,
      `typed number ${job.number}/${job.notation} of ${year} already in the register (document ${document.id})`, { field: 'number' });
  }
}

type SignerFields = { token: string; keyId?: string | undefined; contextPin?: string | undefined; allowUntrustedChain?: boolean | undefined };

/**
 * sign.inspect / approve / issue / appendix / copy / batch over workspace files. The login PIN never
 * passes here: the token must already be logged in (token.login); the signer is the token service's,
 * shared with the token screen. Outputs become new workspace files; the input is never touched.
 */
export function signHandlers(deps: SignDeps): Handlers<typeof signMethods> {
  const signed = new SignedJobs();
  // Batches run one after another: a second submission of the same jobs while the first still runs
  // must find the first one's outputs, not sign the same files again.
  let batchQueue: Promise<unknown> = Promise.resolve();
  const plan: PlanContext = {
    common: { intermediates: [...deps.intermediates], ...(deps.settings.tsaUrl ? { tsa: { url: deps.settings.tsaUrl } } : {}) },
    trustDir: deps.settings.trustDir,
    revocation: deps.revocation,
    // Unknown revocation is refused unless the clerk accepts it for this call (the demo too: it runs its own source).
    acceptUnknownRevocation: false,
    // Replaced at each call by the saved profile's seal (withSeal): a seal changed in "Cài đặt" applies at once.
    stamp: () => { throw new Error('seal not read for this call'); },
  };

  /** The plan with the saved profile's seal image. */
  const withSeal = async (): Promise<PlanContext> => {
    const { image } = await deps.seal();
    return { ...plan, stamp: () => image };
  };

  /** Stores a signer's scratch output and verifies it as the clerk will see it. */
  const finish = async (scratch: string, name: string, result: SignResult): Promise<SignResultDto> => {
    const stored = deps.workspace.adopt(scratch, name);
    const verification = toReportDto(await verifyPdf(deps.workspace.read(stored.fileId).bytes, { trustDir: deps.settings.trustDir, offline: false, ...plan.revocation }));
    return { ...stored, signingTime: result.signingTime, verification, ...issuedOf(result) };
  };

  // The file is checked before the token is touched: a wrong file says so, whatever the token's state.
  // With a sổ, the number is reserved only once the file, the entry's fields and the key have passed,
  // so those refusals cost no number; whatever fails after it cancels the number (sign-register.ts).
  const signOne = async (job: JobInput, fields: SignerFields): Promise<SignResultDto> => {
    const { file, bytes } = deps.workspace.readPdf(job.fileId);
    await gateDigitized(deps, job, bytes);
    const entry = await entryOf(deps, job, file, bytes);
    const plan = await withSeal();
    // A copy's text carries no number: only an issue is planned with the reservation's.
    const unregistered = entry?.kind === 'issue' ? null : planJob(plan, job);
    const signer = await signerFor(fields);
    const reservation = entry ? await reserve(deps.register, entry, file) : null;
    const scratch = deps.workspace.scratchPath();
    const sign = async () => {
      const planned = unregistered ?? planJob(plan, job, reservation!);
      return { planned, result: await runPlanned(planned, bytes, scratch, signer) };
    };
    const { planned, result } = reservation ? await underReservation(deps.register, reservation, sign) : await sign();
    if ('unknownRevocationAccepted' in result && result.unknownRevocationAccepted) {
      deps.log?.warn('issued although the leader certificate revocation status is unknown (clerk accepted)', {
        file: file.name, sha256: file.sha256, leader: result.leader?.signerName ?? null, reasons: result.leaderReport?.reasons ?? [],
        ...(reservation ? { registered: reservation.code } : {}),
      });
    }
    const name = derivedName(file.name, planned.suffix);
    const registered = reservation ? await recordIssued(deps.register, reservation, { path: scratch, name }, result, signer.certificate) : null;
    const out = await finish(scratch, name, result);
    signed.remember(jobKey(job, file.sha256, signer), { fileId: out.fileId, name: out.name, size: out.size, sha256: out.sha256, signingTime: out.signingTime, summaryVi: out.verification.summaryVi });
    return registered ? { ...out, registered } : out;
  };
  // The chain rule again at signing (sign.key asked it before the PIN): no face can skip it by not asking.
  // Issuers the token, --chain and the intermediate store lack come from the AIA addresses (cached), and
  // the signature embeds them: recipients then build the chain without the network.
  const aia: AiaOptions = { cacheDir: aiaCacheDir(deps.revocation.revocationCacheDir) };
  const signerFor = async (i: SignerFields): Promise<KeySigner> => {
    const signer = pickSigner(deps.tokens, i.token, i.keyId, i.contextPin);
    if (i.allowUntrustedChain) return signer;
    const chain = await chainToAnchorOnline(signer.certificate, [...signer.chain, ...deps.intermediates], deps.settings.trustDir, aia);
    const fetched = chain.filter((c) => !signer.chain.some((d) => d.equals(c)) && !deps.intermediates.some((d) => d.equals(c)));
    return fetched.length ? { ...signer, chain: [...signer.chain, ...fetched] } : signer;
  };

  return {
    'sign.inspect': async ({ fileId, sealMm, acceptUnknownRevocation, book, date, notation, kind }) => {
      const r = await inspect(deps, plan, fileId, sealMm ?? (await deps.seal()).mm, acceptUnknownRevocation ?? plan.acceptUnknownRevocation);
      const n = notation ?? r.record.notation;
      const next = book
        ? await deps.register['register.nextNumber']({ book, date: date ?? dateInVietnam(), kind: kind ?? 'issue', ...(n && kind !== 'copy' ? { notation: n } : {}) })
        : null;
      return { ...r, next };
    },
    'sign.nextNumber': ({ book, date, notation, kind }) => deps.register['register.nextNumber']({ book, date, kind: kind ?? 'issue', ...(notation ? { notation } : {}) }),
    'sign.key': async ({ token, keyId, allowUntrustedChain }) => {
      const certificates = deps.tokens.listCertificates(token);
      const key = chooseKey(certificates, keyId);
      // Asked before the PIN: a chain no recipient can build is refused here, naming the missing issuer.
      if (!allowUntrustedChain) {
        const pool = [...certificates.filter((c) => c !== key).map((c) => Buffer.from(c.certificate, 'base64')), ...deps.intermediates];
        await chainToAnchorOnline(Buffer.from(key.certificate, 'base64'), pool, deps.settings.trustDir, aia);
      }
      return { keyId: key.keyId, commonName: key.commonName, notAfter: key.notAfter };
    },
    'sign.approve': async (i) => {
      const { file, bytes } = deps.workspace.readPdf(i.fileId);
      const image = deps.workspace.read(i.image).bytes;
      const signer = await signerFor(i);
      const scratch = deps.workspace.scratchPath();
      const result = await approvePdf(bytes, scratch, signer, {
        ...plan.common, image, ...(i.page !== undefined ? { page: i.page } : {}), ...(i.rect ? { rect: i.rect } : {}),
      });
      return finish(scratch, derivedName(file.name, 'phe-duyet'), result);
    },
    'sign.issue': async ({ token, keyId, contextPin, allowUntrustedChain, ...job }) => signOne({ kind: 'issue', ...job }, { token, keyId, contextPin, allowUntrustedChain }),
    'sign.appendix': async ({ token, keyId, contextPin, allowUntrustedChain, ...job }) => signOne({ kind: 'appendix', ...job }, { token, keyId, contextPin, allowUntrustedChain }),
    'sign.copy': async ({ token, keyId, contextPin, allowUntrustedChain, ...job }) => signOne({ kind: 'copy', ...job }, { token, keyId, contextPin, allowUntrustedChain }),
    'sign.batch': async (i) => {
      const sealed = await withSeal();
      const batchDeps = {
        workspace: deps.workspace, trustDir: deps.settings.trustDir, plan: (j: JobInput, reserved?: Reservation) => planJob(sealed, j, reserved), register: deps.register,
        requireDigitizedHere: deps.requireDigitizedHere,
        check: (j: JobInput, bytes: Uint8Array) => gateDigitized(deps, j, bytes), ...(deps.publish ? { publish: deps.publish } : {}),
      };
      const run = batchQueue.then(async () => runBatch(batchDeps, signed, i.jobs, await signerFor(i), i.operationId ?? randomBytes(12).toString('base64url')));
      batchQueue = run.catch(() => undefined);
      return run;
    },
  };
}

/** What sign.issue reports beyond any signature: the texts, where they went, after whose signature. */
function issuedOf(r: SignResult | IssueResult | (SignResult & { text: string })): Pick<SignResultDto, 'issued' | 'text'> {
  if ('text' in r) return { text: r.text };
  if (!('spots' in r)) return {};
  return {
    issued: {
      number: r.number, day: r.day, month: r.month, spots: r.spots, seal: r.seal,
      leaderSigner: r.leader?.signerName ?? null, digitized: r.leader === null,
      unknownRevocationAccepted: r.unknownRevocationAccepted, ltv: r.ltv,
    },
  };
}

/**
 * The agency's KeySigner, the key chosen by the one rule of core/token/choose.ts (named, or the only
 * usable one). The token must be logged in already; this says so in words the clerk can act on.
 * `contextPin` answers keys that ask for a second PIN before each signature (CKA_ALWAYS_AUTHENTICATE):
 * each request gets a fresh Buffer, which the token core wipes after C_Login.
 */
export function pickSigner(tokens: TokenService, ref: string, keyId: string | undefined, contextPin?: string): KeySigner {
  const tok = tokens.listTokens().find((t) => t.ref === ref);
  if (!tok) throw new AppError('TOKEN_ABSENT', 'Không tìm thấy thiết bị ký số đã chọn; hãy cắm token và thử lại.', 'token ref not present');
  if (!tok.loggedIn) {
    throw new AppError('TOKEN_NOT_LOGGED_IN', 'Token của cơ quan chưa đăng nhập. Hãy đăng nhập ở màn hình "Thiết bị ký số" rồi ký lại.', 'sign without login');
  }
  const chosen = chooseKey(tokens.listCertificates(ref), keyId);
  // Private keys are private objects: only after login can the token say this certificate has none.
  if (chosen.privateKeyStatus === 'absent') {
    throw new AppError('TOKEN_KEY_NOT_FOUND', `Chứng thư số ${chosen.keyId} trên token không kèm khóa bí mật, không ký được.`, `no private key for ${chosen.keyId}`);
  }
  return tokens.createTokenSigner(ref, chosen.keyId, contextPin === undefined ? {} : { pinCallback: async () => Buffer.from(contextPin, 'utf8') });
}

async function inspect(deps: SignDeps, plan: PlanContext, fileId: string, sealMm: number, acceptUnknownRevocation: boolean) {
  const { bytes } = deps.workspace.readPdf(fileId);
  const first = await extractLines(bytes, [0]);
  if (first.pageCount === 0) throw new AppError('PDF_INVALID', 'Tệp PDF không có trang nào.', 'no pages');
  const lastIndex = first.pageCount - 1;
  const sizes = await pageSizes(bytes, [0, lastIndex]);
  const leader = await leaderStatus(bytes, { trustDir: plan.trustDir, ...plan.revocation }, acceptUnknownRevocation);
  const boxes = issueBoxes(first.lines);
  const image = await leaderImage(bytes, leader.report?.widget, leader.report?.signerName);
  return {
    pageCount: first.pageCount,
    firstPage: sizes[0]!,
    lastPage: sizes[1]!,
    leader: {
      present: leader.present,
      verified: leader.verified,
      revocationUnknown: leader.report !== null && isUnknownRevocation(leader.report),
      summaryVi: leader.summaryVi,
      signerName: leader.report?.signerName ?? null,
      widget: leader.report?.widget ? { page: leader.report.widget.page, ...leader.report.widget.rect } : null,
    },
    proposed: {
      number: boxes.number,
      day: boxes.day,
      month: boxes.month,
      seal: image ? sealOver(image, sealMm) : null,
    },
    sealMm,
    record: recordFieldsOf(first.lines),
  };
}

/** The leader's signature as the issuing rule sees it (requireLeaderSignature decides, not us). */
async function leaderStatus(bytes: Buffer, trust: { trustDir: string } & LeaderRevocationOptions, acceptUnknownRevocation: boolean): Promise<{ present: boolean; verified: boolean; summaryVi: string; report: SignatureReport | null }> {
  const report = await verifyPdf(bytes, { ...trust, offline: false });
  const personal = report.signatures.filter((s) => !s.signerIsOrganisation);
  try {
    // No agency certificate is chosen yet: an empty one excludes nothing but organisation signatures.
    const s = requireLeaderSignature(report, Buffer.alloc(0), acceptUnknownRevocation);
    return { present: true, verified: true, summaryVi: s.summaryVi, report: s };
  } catch (e) {
    if (!isAppError(e) || e.code !== 'SIGN_REFUSED') throw e;
    return { present: personal.length > 0, verified: false, summaryVi: e.vi, report: personal.at(-1) ?? null };
  }
}

/** Crop-box sizes (what a viewer shows) of the given 0-based pages. */
async function pageSizes(bytes: Uint8Array, pages: number[]): Promise<Array<{ width: number; height: number }>> {
  try {
    const doc = await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false, throwOnInvalidObject: false });
    return pages.map((p) => {
      const box = doc.getPage(p).getCropBox();
      return { width: box.width, height: box.height };
    });
  } catch (e) {
    // Loading, or a page a half-read file lacks: either way the file is damaged for the clerk.
    throw new AppError('PDF_INVALID', 'Tệp PDF bị hỏng hoặc sai cấu trúc.', `page sizes: ${(e as Error).message}`);
  }
}

