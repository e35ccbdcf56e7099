import { createHash } from 'node:crypto';
import { AppError } from '../../contract/errors';
import type { Db } from '../db/connection';
import { checkConformance, failingPagesVi } from './conformance';

export interface DigitizedRecord {
  sha256: string;
  source: 'scan' | 'import';
  pageCount: number;
  conforms: boolean;
  ocr: boolean;
  actor: string;
  createdAt: string;
}

export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

export function digitizedRecord(db: Db, sha256: string): DigitizedRecord | null {
  const row = db.prepare('SELECT sha256, created_at, source, page_count, conforms, ocr, actor FROM digitized_files WHERE sha256 = ?').get(sha256.toLowerCase()) as
    | { sha256: string; created_at: string; source: 'scan' | 'import'; page_count: number; conforms: number; ocr: number; actor: string }
    | undefined;
  return row ? { sha256: row.sha256, createdAt: row.created_at, source: row.source, pageCount: row.page_count, conforms: row.conforms === 1, ocr: row.ocr === 1, actor: row.actor } : null;
}

/**
 * Whether the agency-signature exception for digitised documents (regulation Điều 17.4.c) may apply to
 * these exact bytes: this workstation produced them and they met the digitisation standard. Whatever
 * the file says about itself is never consulted.
 */
export function isDigitizedHere(db: Db, sha256: string): boolean {
  return digitizedRecord(db, sha256)?.conforms === true;
}


/**
 * The gate of the exception: the agency may sign without a leader's signature only a PDF this
 * workstation digitised (these exact bytes) and that met the standard. Throws SIGN_REFUSED, in
 * Vietnamese, with the conformance summary when the recorded file falls short.
 */
export function requireDigitizedHere(db: Db, bytes: Uint8Array): void {
  const record = digitizedRecord(db, sha256Hex(bytes));
  if (!record) {
    throw new AppError('SIGN_REFUSED',
      'Tệp này không do máy này số hóa, nên không được ký số của cơ quan khi chưa có chữ ký số của người có thẩm quyền (Điều 17.4.c). Hãy số hóa bản giấy ở màn hình "Số hóa", hoặc trình lãnh đạo ký trước.',
      'digitised exception refused: bytes not in digitized_files', { digitizedHere: false });
  }
  if (!record.conforms) {
    const report = checkConformance(Buffer.from(bytes));
    throw new AppError('SIGN_REFUSED', ['Tệp số hóa không đạt tiêu chuẩn (Điều 10.2), không ký số của cơ quan được.', report.summaryVi, ...failingPagesVi(report)].join('\n'),
      'digitised exception refused: recorded file does not conform', { digitizedHere: true, conforms: false });
  }
}
