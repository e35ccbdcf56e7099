import type { Indication, SubIndication } from './report';

/** Vietnamese reason for each sub-indication: the tail of "Không hợp lệ — …" / "Không xác định — …". */
const REASON_VI: Record<SubIndication, string> = {
  FORMAT_FAILURE: 'cấu trúc chữ ký không đúng quy cách',
  HASH_FAILURE: 'nội dung đã bị thay đổi sau khi ký',
  SIG_CRYPTO_FAILURE: 'chữ ký không khớp với chứng thư số',
  REVOKED: 'chứng thư số đã bị thu hồi',
  SIG_CONSTRAINTS_FAILURE: 'chữ ký thiếu thuộc tính bắt buộc',
  CHAIN_CONSTRAINTS_FAILURE: 'chứng thư số không được phép dùng để ký',
  CERTIFICATE_CHAIN_GENERAL_FAILURE: 'không kiểm tra được chuỗi chứng thư',
  NO_CERTIFICATE_CHAIN_FOUND: 'chứng thư số không do tổ chức cung cấp dịch vụ tin cậy cấp',
  NO_SIGNING_CERTIFICATE_FOUND: 'không tìm thấy chứng thư số của người ký',
  OUT_OF_BOUNDS_NO_POE: 'chứng thư số đã hết hạn tại thời điểm ký (thời điểm ký do người ký tự khai)',
  OUT_OF_BOUNDS_NOT_REVOKED: 'chứng thư số đã hết hạn',
  NOT_YET_VALID: 'chứng thư số chưa có hiệu lực tại thời điểm ký',
  EXPIRED: 'chứng thư số đã hết hạn tại thời điểm ký',
  REVOCATION_OUT_OF_BOUNDS_NO_POE: 'thông tin thu hồi không còn hiệu lực',
  TRY_LATER: 'chưa kiểm tra được tình trạng thu hồi của chứng thư số',
  CRYPTO_CONSTRAINTS_FAILURE: 'thuật toán ký không còn an toàn',
  DISALLOWED_MODIFICATION: 'văn bản bị sửa sau khi ký',
};

export function reasonVi(sub: SubIndication): string {
  return REASON_VI[sub];
}

/** "Hợp lệ", "Không hợp lệ — …", "Không xác định — …". */
export function verdictVi(indication: Indication, sub?: SubIndication, detailVi?: string): string {
  if (indication === 'TOTAL_PASSED') return 'Hợp lệ';
  const why = detailVi ?? (sub ? REASON_VI[sub] : 'không rõ lý do');
  return indication === 'TOTAL_FAILED' ? `Không hợp lệ — ${why}` : `Không xác định — ${why}`;
}

/** Worst first: any failure beats indeterminate beats passed. */
export function worst(a: Indication, b: Indication): Indication {
  const rank: Record<Indication, number> = { TOTAL_PASSED: 0, INDETERMINATE: 1, TOTAL_FAILED: 2 };
  return rank[a] >= rank[b] ? a : b;
}
