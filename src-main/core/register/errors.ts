import { AppError, isAppError } from '../../contract/errors';

/**
 * SQLite failures a clerk can cause (closed period, duplicate số/ký hiệu, a busy file) become
 * AppErrors with a Vietnamese sentence; anything else is a DB_ERROR with the detail for the log.
 */
export function mapDbError(e: unknown): AppError {
  if (isAppError(e)) return e;
  const err = e as { code?: string; message?: string };
  const msg = err.message ?? String(e);
  if (msg.includes('REGISTER_CLOSED')) {
    return new AppError('REGISTER_CLOSED', 'Sổ đã được đóng cho kỳ này: không thể thêm, sửa hoặc xóa mục đã đóng sổ.', msg);
  }
  if (msg.includes('AUDIT_APPEND_ONLY')) {
    return new AppError('CONFLICT', 'Nhật ký hệ thống chỉ được ghi thêm, không được sửa hoặc xóa.', msg);
  }
  if (err.code === 'SQLITE_CONSTRAINT_UNIQUE' || err.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    if (msg.includes('CodeNumber')) return new AppError('CONFLICT', 'Số và ký hiệu văn bản này đã được dùng trong năm.', msg);
    if (msg.includes('documents.number')) return new AppError('CONFLICT', 'Số này đã được cấp trong sổ.', msg);
    return new AppError('CONFLICT', 'Dữ liệu bị trùng với mục đã có.', msg);
  }
  if (err.code === 'SQLITE_BUSY' || err.code === 'SQLITE_LOCKED') {
    return new AppError('DB_ERROR', 'Cơ sở dữ liệu đang bận. Vui lòng thử lại sau giây lát.', msg);
  }
  return new AppError('DB_ERROR', 'Lỗi cơ sở dữ liệu sổ văn bản.', msg, undefined, { cause: e });
}

export function notFound(what: string, id: number | string): AppError {
  return new AppError('NOT_FOUND', `Không tìm thấy ${what}.`, `${what} ${id} not found`);
}

export function invalid(vi: string, detail: string): AppError {
  return new AppError('INPUT_INVALID', vi, detail);
}
