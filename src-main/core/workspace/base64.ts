import { AppError } from '../../contract/errors';
import { MAX_FILE_BYTES } from '../../contract/files';

/** Decodes base64 already shape-checked by the contract; the size bound is checked before decoding. */
export function decodeBase64(b64: string, maxBytes = MAX_FILE_BYTES): Buffer {
  const padding = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
  const size = (b64.length / 4) * 3 - padding;
  if (size > maxBytes) {
    throw new AppError('PDF_TOO_LARGE', `Tệp quá lớn (tối đa ${Math.round(maxBytes / 1024 / 1024)} MB).`, `${size} bytes > ${maxBytes}`);
  }
  return Buffer.from(b64, 'base64');
}
