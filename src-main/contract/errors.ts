/**
 * Errors that cross the API. `code` is stable and machine-readable; `vi` is the sentence the clerk
 * reads; `detail` is English diagnostic text for the log, never shown raw in the UI and never holding
 * a PIN or personal data.
 */
export const ERROR_CODES = [
  'INPUT_INVALID',
  'UNKNOWN_METHOD',
  'UNAUTHORIZED',
  'NOT_FOUND',
  'CONFLICT',
  'OFFLINE',
  'INTERNAL',
  'TOKEN_LIBRARY_MISSING',
  'TOKEN_LIBRARY_INVALID',
  'TOKEN_LIBRARY_WRONG_ARCH',
  'TOKEN_ABSENT',
  'TOKEN_REMOVED',
  'TOKEN_NOT_LOGGED_IN',
  'TOKEN_PIN_INCORRECT',
  'TOKEN_PIN_INVALID',
  'TOKEN_LOCKED',
  'TOKEN_KEY_NOT_FOUND',
  'TOKEN_MECHANISM_UNSUPPORTED',
  'TOKEN_CERT_EXPIRED',
  'TOKEN_CERT_NOT_YET_VALID',
  'TOKEN_ERROR',
  'PDF_INVALID',
  'PDF_TOO_LARGE',
  'SIGN_REFUSED',
  'SIGN_FAILED',
  'VERIFY_FAILED',
  'IO_ERROR',
  'DB_ERROR',
  'DB_TOO_NEW',
  'REGISTER_CLOSED',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorPayload {
  code: ErrorCode;
  /** Vietnamese sentence for the clerk. */
  message: string;
  /** Extra machine-readable facts the UI may use (remaining PIN tries, field names…). */
  data?: Record<string, string | number | boolean | null>;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly vi: string;
  readonly data: ErrorPayload['data'];

  /** @param detail English, for the log; must not carry secrets. */
  constructor(code: ErrorCode, vi: string, detail?: string, data?: ErrorPayload['data'], options?: { cause?: unknown }) {
    super(detail ?? code, options);
    this.name = 'AppError';
    this.code = code;
    this.vi = vi;
    this.data = data;
  }

  toPayload(): ErrorPayload {
    return this.data === undefined ? { code: this.code, message: this.vi } : { code: this.code, message: this.vi, data: this.data };
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

/** Generic Vietnamese text for codes raised without a specific sentence. */
export const GENERIC_VI: Record<'INPUT_INVALID' | 'UNKNOWN_METHOD' | 'UNAUTHORIZED' | 'INTERNAL', string> = {
  INPUT_INVALID: 'Dữ liệu gửi lên không hợp lệ.',
  UNKNOWN_METHOD: 'Chức năng không tồn tại.',
  UNAUTHORIZED: 'Yêu cầu không được phép.',
  INTERNAL: 'Đã xảy ra lỗi nội bộ. Vui lòng thử lại hoặc liên hệ bộ phận kỹ thuật.',
};
