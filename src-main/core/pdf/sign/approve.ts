import { AppError } from '../../../contract/errors';
import type { KeySigner } from '../../crypto/signer';
import type { Rect } from '../../verify/report';
import { imageAppearance, pngInfo } from '../appearance/image';
import { locateSignerBlock, signatureRectInBlock } from '../layout/decree30';
import { assertCertificateUsable, certificateCommonName, revisionExtras, runSigningJob, withOutput, type CommonSignOptions, type PdfInput, type SignResult } from './common';

export interface ApproveOptions extends CommonSignOptions {
  /** Blue handwritten-signature PNG with transparency. */
  image: Uint8Array;
  /** 0-based page; default the page of the signer block (searched from the last page). */
  page?: number;
  /** Explicit rect (points); default centred between title and name of the signer block. */
  rect?: Rect;
  /** Printed name to look for; default the certificate's common name. */
  signerName?: string;
  reason?: string;
}

/** Leader approval (ký phê duyệt, ô 7c): visible signature with the blue PNG, no text. */
export async function approvePdf(input: PdfInput, output: string, signer: KeySigner, opts: ApproveOptions): Promise<SignResult & { page: number; rect: Rect }> {
  const now = opts.now ?? new Date();
  assertCertificateUsable(signer, now);
  const info = pngInfo(opts.image);
  const name = opts.signerName ?? certificateCommonName(signer.certificate);
  const result = await withOutput(input, output, async (bytes, out) => {
    const { page, rect } = opts.rect
      ? { page: opts.page ?? -1, rect: opts.rect }
      : await locateSignature(bytes, name, info.width / info.height, opts.page);
    const signed = await runSigningJob(bytes, out, now, async (s) => {
      const p = page < 0 ? s.doc.getPageCount() - 1 : page;
      if (p >= s.doc.getPageCount()) throw new AppError('INPUT_INVALID', `Văn bản không có trang ${p + 1}.`, `page ${p} out of range`);
      const appearance = await imageAppearance(s.doc, opts.image, rect.width, rect.height);
      await s.sign({
        signer, page: p, rect, appearance, namePrefix: 'PheDuyet', signingTime: now,
        name, reason: opts.reason ?? 'Phê duyệt văn bản', ...revisionExtras(opts),
      });
    });
    return { ...signed, page, rect };
  });
  return result;
}

async function locateSignature(bytes: Uint8Array, name: string, aspect: number, page?: number): Promise<{ page: number; rect: Rect }> {
  const block = await locateSignerBlock(bytes, name, page);
  if (!block) {
    throw new AppError('INPUT_INVALID', `Không tìm thấy khối chữ ký có tên "${name}" trong văn bản; hãy chỉ định trang và vị trí đặt chữ ký.`, 'signer block not found');
  }
  return { page: block.page, rect: signatureRectInBlock(block, aspect) };
}
