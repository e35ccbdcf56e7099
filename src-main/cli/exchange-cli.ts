import { basename, dirname, resolve } from 'node:path';
import { AppError } from '../contract/errors';
import { registerDbPath } from '../core/config';
import { settingsFromFlags, withBackend, type CliBackend } from './backend-client';
import { defaultDbPath } from './commands/register';
import { flagString, type CliIo } from './io';

/**
 * What `inbox`, `send` and `sync` share: the backend the screens use (the contract's exchange methods,
 * served inside the register worker on the register's own connection), over the register file
 * (`--db`, else the workstation's) with the exchange configuration beside it or named by `--config`.
 */
export async function withExchange<T>(io: CliIo, flags: Map<string, string | true>, run: (b: CliBackend) => Promise<T>): Promise<T> {
  const db = resolve(flagString(flags, 'db') ?? defaultDbPath(io.env));
  // The register file is the data folder's register.db: the backend finds exchange.json and the secrets beside it.
  if (registerDbPath(dirname(db)) !== db) throw new AppError('INPUT_INVALID', `--db phải là tệp register.db trong thư mục dữ liệu (đã cho: ${basename(db)}).`, `--db ${db} is not <dir>/register.db`);
  const config = flagString(flags, 'config');
  return withBackend({ ...settingsFromFlags(flags, io), dataDir: dirname(db) }, run, config ? { exchangeConfig: resolve(config) } : {});
}
