import { AppError } from '../../../contract/errors';

/**
 * Why a package was refused. The reason is machine-readable (tests and the evidence log use it),
 * the Vietnamese sentence is for the clerk, the detail is English for the log.
 */
export const REFUSAL_REASONS = [
  'DTD_FORBIDDEN',
  'ENTITY_FORBIDDEN',
  'NOT_XML',
  'WRONG_ROOT',
  'WRONG_NAMESPACE',
  'TOO_LARGE',
  'ATTACHMENT_TOO_LARGE',
  'TOO_DEEP',
  'TOO_MANY_ELEMENTS',
  'ATTRIBUTE_TOO_LONG',
  'TEXT_TOO_LONG',
  'BAD_BASE64',
  'BAD_ZIP',
  'ZIP_BOMB',
  'MISSING_FIELD',
  'BAD_VALUE',
] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

const VI: Record<RefusalReason, string> = {
  DTD_FORBIDDEN: 'Gói tin chứa khai báo DTD (không được phép vì lý do an toàn).',
  ENTITY_FORBIDDEN: 'Gói tin dùng thực thể XML không được phép.',
  NOT_XML: 'Tệp không phải gói tin edXML hợp lệ (lỗi cú pháp XML).',
  WRONG_ROOT: 'Gói tin không có phần tử gốc edXML đúng chuẩn.',
  WRONG_NAMESPACE: 'Gói tin dùng không gian tên khác chuẩn QCVN 102:2016.',
  TOO_LARGE: 'Gói tin vượt quá dung lượng cho phép.',
  ATTACHMENT_TOO_LARGE: 'Tệp đính kèm vượt quá dung lượng cho phép.',
  TOO_DEEP: 'Gói tin lồng nhau quá sâu.',
  TOO_MANY_ELEMENTS: 'Gói tin có quá nhiều phần tử.',
  ATTRIBUTE_TOO_LONG: 'Gói tin có thuộc tính quá dài hoặc quá nhiều thuộc tính.',
  TEXT_TOO_LONG: 'Gói tin có trường thông tin quá dài.',
  BAD_BASE64: 'Tệp đính kèm mã hóa base64 bị lỗi.',
  BAD_ZIP: 'Tệp đính kèm nén (zip) bị lỗi.',
  ZIP_BOMB: 'Tệp đính kèm nén có tỷ lệ giải nén bất thường (nghi ngờ tấn công).',
  MISSING_FIELD: 'Gói tin thiếu trường bắt buộc.',
  BAD_VALUE: 'Gói tin có giá trị không hợp lệ.',
};

export class EdxmlRefused extends AppError {
  constructor(readonly reason: RefusalReason, detail: string) {
    super('INPUT_INVALID', VI[reason], `edxml refused (${reason}): ${detail}`, { reason });
    this.name = 'EdxmlRefused';
  }
}

export function refuse(reason: RefusalReason, detail: string): never {
  throw new EdxmlRefused(reason, detail);
}
