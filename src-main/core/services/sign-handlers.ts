import { PDFDocument } from '@cantoo/pdf-lib';
import { AppError, isAppError } from '../../contract/errors';
import type { Handlers } from '../../contract/dispatch';
import type { PageRectDto, SignResultDto, TextBoxDto, signMethods } from '../../contract/sign';
import { decree30Day, decree30Month, decree30Number } from '../../contract/text';
import type { Settings } from '../config';
import type { KeySigner } from '../crypto/signer';
import { textWidth } from '../pdf/appearance/text';
import type { FontFace } from '../pdf/appearance/fonts';
import { findDateGaps, findNumberGap, findSignerBlock, signatureRectInBlock, type Gap } from '../pdf/layout/decree30';
import { extractLines, type TextLine } from '../pdf/layout/text-lines';
import { issuePdf, requireLeaderSignature, signAttachment, signCopy, type TextSpot } from '../pdf/sign/index';
import type { TokenService } from '../token';
import { verifyPdf, type SignatureReport } from '../verify/index';
import { derivedName, type StoredFile, type Workspace } from '../workspace';
import { toReportDto } from './verify-handlers';

export interface SignDeps {
  workspace: Workspace;
  tokens: TokenService;
  settings: Pick<Settings, 'trustDir' | 'sealMm' | 'demo'>;
  /** Red seal PNG of the agency. */
  stamp: () => Buffer;
  /** Intermediate CA certificates (DER) that complete the chain embedded in agency signatures. */
  intermediates: readonly Buffer[];
}

const MM_TO_PT = 72 / 25.4;
/** The leader image's aspect when the leader signature is invisible (as the approval flow draws it). */
const SIGNATURE_IMAGE_ASPECT = 2.5;
/** The faces the issuing flow writes with: the number upright, day and month italic (Phụ lục I). */
const FACE: Record<'number' | 'day' | 'month', FontFace> = { number: 'regular', day: 'italic', month: 'italic' };

/**
 * sign.inspect / issue / appendix / copy over workspace files. The PIN never passes here: the token
 * must already be logged in (token.login); the signer is the token service's, shared with the token
 * screen. Outputs become new workspace files; the input is never touched.
 */
export function signHandlers(deps: SignDeps): Handlers<typeof signMethods> {
  const verifyResult = async (file: StoredFile): Promise<SignResultDto['verification']> => {
    const { bytes } = deps.workspace.read(file.fileId);
    return toReportDto(await verifyPdf(bytes, { trustDir: deps.settings.trustDir, offline: false }));
  };
  const finish = async (scratch: string, name: string, signingTime: string): Promise<SignResultDto> => {
    const stored = deps.workspace.adopt(scratch, name);
    return { ...stored, signingTime, verification: await verifyResult(stored) };
  };
  const common = { intermediates: deps.intermediates };

  return {
    'sign.inspect': async ({ fileId, sealMm }) => inspect(deps, fileId, sealMm ?? deps.settings.sealMm),

    'sign.issue': async ({ fileId, token, keyId, number, notation, date, sealMm, positions }) => {
      const { file, bytes } = deps.workspace.readPdf(fileId);
      const day = parseIsoDay(date);
      const signer = pickSigner(deps.tokens, token, keyId);
      const scratch = deps.workspace.scratchPath();
      const texts = { number: decree30Number(number), day: decree30Day(day.day), month: decree30Month(day.month) };
      const result = await issuePdf(bytes, scratch, signer, {
        ...common, number, notation, date: day, sealMm, stamp: deps.stamp(),
        trust: { trustDir: deps.settings.trustDir }, offline: true,
        ...(positions?.number ? { numberAt: centred(positions.number, texts.number, FACE.number) } : {}),
        ...(positions?.day ? { dayAt: centred(positions.day, texts.day, FACE.day) } : {}),
        ...(positions?.month ? { monthAt: centred(positions.month, texts.month, FACE.month) } : {}),
        ...(positions?.seal ? { sealRect: positions.seal } : {}),
      });
      return finish(scratch, derivedName(file.name, `so-${texts.number}-da-ky`), result.signingTime);
    },

    'sign.appendix': async ({ fileId, token, keyId, ref }) => {
      const { file, bytes } = deps.workspace.readPdf(fileId);
      const scratch = deps.workspace.scratchPath();
      const result = await signAttachment(bytes, scratch, pickSigner(deps.tokens, token, keyId), { ...common, ref });
      return finish(scratch, derivedName(file.name, 'da-ky'), result.signingTime);
    },

    'sign.copy': async ({ fileId, token, keyId, form, agency }) => {
      const { file, bytes } = deps.workspace.readPdf(fileId);
      const scratch = deps.workspace.scratchPath();
      const result = await signCopy(bytes, scratch, pickSigner(deps.tokens, token, keyId), { ...common, form, agency });
      return finish(scratch, derivedName(file.name, 'ban-sao'), result.signingTime);
    },
  };
}

/**
 * The agency's KeySigner: the given key, or the first certificate on the token that is valid now and
 * has a private key. The token must be logged in already; this says so in words the clerk can act on.
 */
export function pickSigner(tokens: TokenService, ref: string, keyId: string | undefined): KeySigner {
  const tok = tokens.listTokens().find((t) => t.ref === ref);
  if (!tok) throw new AppError('TOKEN_ABSENT', 'Không tìm thấy thiết bị ký số đã chọn; hãy cắm token và thử lại.', 'token ref not present');
  if (!tok.loggedIn) {
    throw new AppError('TOKEN_NOT_LOGGED_IN', 'Token của cơ quan chưa đăng nhập. Hãy đăng nhập ở màn hình "Thiết bị ký số" rồi ký lại.', 'sign without login');
  }
  const id = keyId ?? tokens.listCertificates(ref).find((c) => c.hasPrivateKey && !c.outOfValidity)?.keyId;
  if (!id) throw new AppError('TOKEN_KEY_NOT_FOUND', 'Token không có chứng thư số còn hiệu lực kèm khóa bí mật để ký.', 'no usable certificate');
  return tokens.createTokenSigner(ref, id);
}

async function inspect(deps: SignDeps, fileId: string, sealMm: number) {
  const { bytes } = deps.workspace.readPdf(fileId);
  const first = await extractLines(bytes, [0]);
  if (first.pageCount === 0) throw new AppError('PDF_INVALID', 'Tệp PDF không có trang nào.', 'no pages');
  const lastIndex = first.pageCount - 1;
  const last = lastIndex === 0 ? first : await extractLines(bytes, [lastIndex]);
  const sizes = await pageSizes(bytes, [0, lastIndex]);
  const leader = await leaderStatus(bytes, deps.settings.trustDir);
  const numberGap = findNumberGap(first.lines);
  const dateGaps = findDateGaps(first.lines);
  return {
    pageCount: first.pageCount,
    firstPage: sizes[0]!,
    lastPage: sizes[1]!,
    leader: {
      present: leader.present,
      verified: leader.verified,
      summaryVi: leader.summaryVi,
      signerName: leader.report?.signerName ?? null,
      widget: leader.report?.widget ? { page: leader.report.widget.page, ...leader.report.widget.rect } : null,
    },
    proposed: {
      number: numberGap ? box(numberGap) : null,
      day: dateGaps ? box(dateGaps.day) : null,
      month: dateGaps ? box(dateGaps.month) : null,
      seal: proposedSeal(leader.report, last.lines, sealMm),
    },
    sealMm,
  };
}

/** The leader's signature as the issuing rule sees it (requireLeaderSignature decides, not us). */
async function leaderStatus(bytes: Buffer, trustDir: string): Promise<{ present: boolean; verified: boolean; summaryVi: string; report: SignatureReport | null }> {
  const report = await verifyPdf(bytes, { trustDir, offline: true });
  const personal = report.signatures.filter((s) => !s.signerIsOrganisation);
  try {
    // No agency certificate is chosen yet: an empty one excludes nothing but organisation signatures.
    const s = requireLeaderSignature(report, Buffer.alloc(0), true);
    return { present: true, verified: true, summaryVi: s.summaryVi, report: s };
  } catch (e) {
    if (!isAppError(e) || e.code !== 'SIGN_REFUSED') throw e;
    return { present: personal.length > 0, verified: false, summaryVi: e.vi, report: personal.at(-1) ?? null };
  }
}

/**
 * Where the seal would go (signing.md §5): a square of the real diameter whose right edge is at the
 * left third of the leader's image, centred on it vertically; from the signer block when the leader
 * signature is invisible. Display only: without an explicit position issuePdf places the seal itself.
 */
function proposedSeal(leader: SignatureReport | null, lastLines: TextLine[], sealMm: number): PageRectDto | null {
  const s = sealMm * MM_TO_PT;
  let img: PageRectDto | null = null;
  if (leader?.widget && leader.widget.rect.width > 1 && leader.widget.rect.height > 1) img = { page: leader.widget.page, ...leader.widget.rect };
  if (!img && leader?.signerName) {
    const block = findSignerBlock(lastLines, leader.signerName);
    if (block) img = { page: block.page, ...signatureRectInBlock(block, SIGNATURE_IMAGE_ASPECT) };
  }
  if (!img) return null;
  return { page: img.page, x: img.x + img.width / 3 - s, y: img.y + img.height / 2 - s / 2, width: s, height: s };
}

/** Crop-box sizes (what a viewer shows) of the given 0-based pages. */
async function pageSizes(bytes: Uint8Array, pages: number[]): Promise<Array<{ width: number; height: number }>> {
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false, throwOnInvalidObject: false });
  } catch (e) {
    throw new AppError('PDF_INVALID', 'Tệp PDF bị hỏng hoặc sai cấu trúc.', `page sizes: ${(e as Error).message}`);
  }
  return pages.map((p) => {
    const box = doc.getPage(p).getCropBox();
    return { width: box.width, height: box.height };
  });
}

const box = (g: Gap): TextBoxDto => ({ page: g.page, x: g.x0, width: g.x1 - g.x0, baseline: g.baseline, size: g.size });

function centred(b: TextBoxDto, text: string, face: FontFace): TextSpot {
  return { page: b.page, x: b.x + b.width / 2 - textWidth(text, b.size, face) / 2, baseline: b.baseline, size: b.size };
}

function parseIsoDay(s: string): { year: number; month: number; day: number } {
  const [year, month, day] = s.split('-').map(Number) as [number, number, number];
  const d = new Date(Date.UTC(year, month - 1, day));
  if (year < 1990 || year > 2100 || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) {
    throw new AppError('INPUT_INVALID', 'Ngày ban hành không hợp lệ.', `bad date ${s}`);
  }
  return { year, month, day };
}
