import { chmodSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../contract/errors';
import { writeFileAtomic } from '../fsx/atomic-write';

/**
 * Exchange secrets (the systemid HMAC key, a TLS key passphrase). No OS keychain is reachable from
 * this build, so they live in a 0600 file per secret under the data folder; a file that others can
 * read is refused rather than used. Values never reach logs, the evidence log or error text.
 */
const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

function pathOf(dataDir: string, name: string): string {
  if (!NAME.test(name)) throw new AppError('INPUT_INVALID', 'Tên khóa bí mật không hợp lệ.', 'secret name');
  return join(dataDir, 'secrets', name);
}

export function writeSecret(dataDir: string, name: string, value: Buffer): void {
  const dir = join(dataDir, 'secrets');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = pathOf(dataDir, name);
  writeFileAtomic(path, [value]);
  chmodSync(path, 0o600);
}

export function readSecret(dataDir: string, name: string): Buffer {
  const path = pathOf(dataDir, name);
  if (!existsSync(path)) throw new AppError('NOT_FOUND', 'Chưa cấu hình khóa bí mật kết nối trục liên thông.', `secret ${name} missing`);
  if (process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0) {
    throw new AppError('CONFLICT', 'Tệp khóa bí mật có quyền truy cập quá rộng; hãy đặt quyền 600.', `secret ${name} is readable by others`);
  }
  return readFileSync(path);
}
