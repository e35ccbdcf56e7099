import { AppError } from '../../../contract/errors';
import { AGENCY_NAME_MAX_CHARS, REF_MAX_CHARS } from '../../../contract/limits';
import { nfc } from '../../../contract/text';
import { isoVietnam } from '../../../contract/time';
import { COPY_FORMS, type CopyForm } from '../../../contract/vocabulary';
import type { KeySigner } from '../../crypto/signer';
import { textAppearance } from '../appearance/text';
import { assertCertificateUsable, certificateCommonName, MM_TO_PT, revisionExtras, runSigningJob, withOutput, type CommonSignOptions, type PdfInput, type SignResult } from './common';

/** Text-only agency signatures at the top right of page 1 (ô 14; docs/signing.md, "Appendix and copy text signatures"). */
const FONT_SIZE = 10;
const RIGHT_MARGIN = 15 * MM_TO_PT;
const TOP_MARGIN = 8 * MM_TO_PT;

export interface AttachmentOptions extends CommonSignOptions {
  /** Số/ký hiệu of the main document, e.g. "12/QĐ-UBND". */
  ref: string;
}

export { COPY_FORMS, type CopyForm };

export interface CopyOptions extends CommonSignOptions {
  form: CopyForm;
  /** Tên cơ quan sao. */
  agency: string;
}

/** Agency signature on a separate appendix/attachment file: "<số/ký hiệu>; <ISO 8601 +07:00>". */
export async function signAttachment(input: PdfInput, output: string, signer: KeySigner, opts: AttachmentOptions): Promise<SignResult & { text: string }> {
  const ref = nfc(opts.ref).trim();
  if (ref.length === 0 || ref.length > REF_MAX_CHARS) throw new AppError('INPUT_INVALID', 'Số, ký hiệu văn bản không hợp lệ.', `ref length ${ref.length}`);
  const now = opts.now ?? new Date();
  return textStamp(input, output, signer, opts, now, `${ref}; ${isoVietnam(now)}`, 'PhuLuc', 'Ký số tệp đính kèm');
}

/** Electronic copy signature: "<SAO Y|SAO LỤC|TRÍCH SAO>; <tên cơ quan sao>; <ISO 8601 +07:00>". */
export async function signCopy(input: PdfInput, output: string, signer: KeySigner, opts: CopyOptions): Promise<SignResult & { text: string }> {
  const form = nfc(opts.form) as CopyForm;
  if (!COPY_FORMS.includes(form)) throw new AppError('INPUT_INVALID', `Hình thức sao phải là ${COPY_FORMS.join(', ')}.`, `form ${opts.form}`);
  const agency = nfc(opts.agency).trim();
  if (agency.length === 0 || agency.length > AGENCY_NAME_MAX_CHARS) throw new AppError('INPUT_INVALID', 'Tên cơ quan sao không hợp lệ.', `agency length ${agency.length}`);
  const now = opts.now ?? new Date();
  return textStamp(input, output, signer, opts, now, `${form}; ${agency}; ${isoVietnam(now)}`, 'BanSao', `Ký số bản sao điện tử (${form.toLowerCase()})`);
}

async function textStamp(input: PdfInput, output: string, signer: KeySigner, opts: CommonSignOptions, now: Date, text: string, prefix: string, reason: string): Promise<SignResult & { text: string }> {
  assertCertificateUsable(signer, now);
  const result = await withOutput(input, output, (bytes, out) => runSigningJob(bytes, out, now, async (s) => {
    const page = s.doc.getPage(0);
    // The text goes at the top right as the reader sees the page. On a page shown turned (/Rotate) that
    // corner is elsewhere in user space and the text would need the inverse turn; until that is built
    // and checked by rendering, refuse rather than stamp sideways text into the wrong corner.
    const rotation = (((page.getRotation().angle % 360) + 360) % 360);
    if (rotation !== 0) {
      throw new AppError('SIGN_REFUSED', `Trang đầu của văn bản được đặt xoay ${rotation}°; chưa hỗ trợ ghi chữ ký dạng chữ lên trang xoay. Hãy lưu lại văn bản với trang không xoay rồi ký.`, `page 1 /Rotate ${rotation}`);
    }
    const box = page.getCropBox();
    const ap = await textAppearance(s.doc, text, FONT_SIZE);
    const rect = { x: box.x + box.width - RIGHT_MARGIN - ap.width, y: box.y + box.height - TOP_MARGIN - ap.height, width: ap.width, height: ap.height };
    await s.sign({
      signer, page: 0, rect, appearance: ap.ref, namePrefix: prefix, signingTime: now,
      name: certificateCommonName(signer.certificate), reason, ...revisionExtras(opts),
    });
  }));
  return { ...result, text };
}
