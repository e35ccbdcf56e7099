import { AppError, type ErrorCode } from '../../contract/errors';
import { isPkcs11Error } from './pkcs11-api';

/** Vietnamese sentences for every token error the clerk can meet. */
export const TOKEN_VI = {
  TOKEN_LIBRARY_MISSING: 'Không tìm thấy thư viện trình điều khiển token (PKCS#11) tại đường dẫn đã chọn. Hãy cài đặt phần mềm của nhà cung cấp chứng thư số.',
  TOKEN_LIBRARY_INVALID: 'Tệp đã chọn không phải thư viện trình điều khiển token (PKCS#11) hợp lệ.',
  TOKEN_LIBRARY_WRONG_ARCH: 'Thư viện trình điều khiển token không cùng kiến trúc với ứng dụng (ví dụ bản 32-bit trên máy 64-bit). Hãy cài bản trình điều khiển phù hợp.',
  TOKEN_ABSENT: 'Không tìm thấy token. Hãy cắm token vào máy rồi thử lại.',
  TOKEN_REMOVED: 'Token đã bị rút ra hoặc mất kết nối. Hãy cắm lại token và đăng nhập lại.',
  TOKEN_NOT_LOGGED_IN: 'Chưa đăng nhập token. Hãy nhập mã PIN trước khi ký.',
  TOKEN_PIN_INCORRECT: 'Mã PIN không đúng. Lưu ý: nhập sai nhiều lần token sẽ bị khóa.',
  TOKEN_PIN_INCORRECT_FINAL: 'Mã PIN không đúng. Chỉ còn một lần thử: nếu nhập sai tiếp, token sẽ bị khóa.',
  TOKEN_PIN_INVALID: 'Mã PIN không hợp lệ (độ dài hoặc ký tự không được token chấp nhận).',
  TOKEN_LOCKED: 'Token đã bị khóa do nhập sai mã PIN quá số lần cho phép. Hãy liên hệ tổ chức cung cấp chứng thư số để mở khóa.',
  TOKEN_KEY_NOT_FOUND: 'Không tìm thấy khóa bí mật tương ứng với chứng thư số đã chọn trên token.',
  TOKEN_MECHANISM_UNSUPPORTED: 'Token không hỗ trợ thuật toán ký cần thiết.',
  TOKEN_CERT_EXPIRED: 'Chứng thư số đã hết hạn, không thể dùng để ký.',
  TOKEN_CERT_NOT_YET_VALID: 'Chứng thư số chưa đến ngày có hiệu lực, không thể dùng để ký.',
  TOKEN_ERROR: 'Token báo lỗi. Hãy rút token ra, cắm lại và thử lại.',
} as const;

export function tokenError(code: ErrorCode & keyof typeof TOKEN_VI, detail: string, data?: AppError['data'], cause?: unknown): AppError {
  return new AppError(code, TOKEN_VI[code], detail, data, cause === undefined ? undefined : { cause });
}

// CKR_* values (PKCS#11 v2.40) that decide which contract code a failure becomes.
const CKR = {
  GENERAL_ERROR: 0x05,
  DEVICE_ERROR: 0x30,
  DEVICE_MEMORY: 0x31,
  DEVICE_REMOVED: 0x32,
  FUNCTION_CANCELED: 0x50,
  KEY_HANDLE_INVALID: 0x60,
  KEY_TYPE_INCONSISTENT: 0x63,
  KEY_FUNCTION_NOT_PERMITTED: 0x68,
  MECHANISM_INVALID: 0x70,
  MECHANISM_PARAM_INVALID: 0x71,
  OBJECT_HANDLE_INVALID: 0x82,
  PIN_INCORRECT: 0xa0,
  PIN_INVALID: 0xa1,
  PIN_LEN_RANGE: 0xa2,
  PIN_EXPIRED: 0xa3,
  PIN_LOCKED: 0xa4,
  SESSION_CLOSED: 0xb0,
  SESSION_HANDLE_INVALID: 0xb3,
  TOKEN_NOT_PRESENT: 0xe0,
  TOKEN_NOT_RECOGNIZED: 0xe1,
  USER_NOT_LOGGED_IN: 0x101,
  USER_PIN_NOT_INITIALIZED: 0x102,
  CRYPTOKI_NOT_INITIALIZED: 0x190,
  SLOT_ID_INVALID: 0x03,
} as const;

export const CKR_CODES = CKR;

/** Codes after which the cached session (and login state) of a token is gone. */
export function sessionLost(code: number): boolean {
  return code === CKR.DEVICE_REMOVED || code === CKR.TOKEN_NOT_PRESENT || code === CKR.SESSION_HANDLE_INVALID
    || code === CKR.SESSION_CLOSED || code === CKR.SLOT_ID_INVALID;
}

/**
 * Turns whatever pkcs11js threw into an AppError. PIN failures are handled by the login code, which
 * knows the token's PIN counters; here they only get a generic mapping.
 */
export function mapPkcs11Error(e: unknown, context: string): AppError {
  if (e instanceof AppError) return e;
  if (isPkcs11Error(e)) {
    const detail = `${context}: ${e.method} returned ${e.message} (0x${e.code.toString(16)})`;
    const data = { ckr: e.code, method: e.method };
    switch (e.code) {
      case CKR.PIN_INCORRECT: return tokenError('TOKEN_PIN_INCORRECT', detail, data, e);
      case CKR.PIN_INVALID: case CKR.PIN_LEN_RANGE: return tokenError('TOKEN_PIN_INVALID', detail, data, e);
      case CKR.PIN_LOCKED: case CKR.PIN_EXPIRED: case CKR.USER_PIN_NOT_INITIALIZED: return tokenError('TOKEN_LOCKED', detail, data, e);
      case CKR.DEVICE_REMOVED: case CKR.SESSION_HANDLE_INVALID: case CKR.SESSION_CLOSED: case CKR.SLOT_ID_INVALID:
        return tokenError('TOKEN_REMOVED', detail, data, e);
      case CKR.TOKEN_NOT_PRESENT: case CKR.TOKEN_NOT_RECOGNIZED: return tokenError('TOKEN_ABSENT', detail, data, e);
      case CKR.USER_NOT_LOGGED_IN: return tokenError('TOKEN_NOT_LOGGED_IN', detail, data, e);
      case CKR.KEY_HANDLE_INVALID: case CKR.OBJECT_HANDLE_INVALID: return tokenError('TOKEN_KEY_NOT_FOUND', detail, data, e);
      case CKR.MECHANISM_INVALID: case CKR.MECHANISM_PARAM_INVALID: case CKR.KEY_TYPE_INCONSISTENT: case CKR.KEY_FUNCTION_NOT_PERMITTED:
        return tokenError('TOKEN_MECHANISM_UNSUPPORTED', detail, data, e);
      default: return tokenError('TOKEN_ERROR', detail, data, e);
    }
  }
  // NativeError without a CKR code: "PKCS11 module not loaded yet" after close(), argument errors.
  const msg = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return tokenError('TOKEN_ERROR', `${context}: ${msg}`, undefined, e);
}

/** Runs a synchronous PKCS#11 call and maps its failure. */
export function p11<T>(context: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw mapPkcs11Error(e, context);
  }
}
