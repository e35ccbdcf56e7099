import { resolve } from 'node:path';
import { loadSettings } from '../core/config';
import { openExchange, type ExchangeSession } from '../core/exchange/session';
import { defaultDbPath } from './commands/register';
import { flagString, type CliIo } from './io';

/**
 * What `inbox`, `send` and `sync` share: the register file (`--db`, else the workstation's), the
 * exchange configuration (`--config`, else exchange.json beside the register) and the agency.
 */
export function cliSession(io: CliIo, flags: Map<string, string | true>): ExchangeSession {
  const dbPath = resolve(flagString(flags, 'db') ?? defaultDbPath(io.env));
  const settings = io.env.VANTHU_CONFIG ? loadSettings(io.env) : null;
  const agency = settings ? settings.agency : { name: 'Cơ quan chưa cấu hình', code: '', abbr: 'VP' };
  const configFile = flagString(flags, 'config');
  return openExchange({ dbPath, agency, configFile: configFile ? resolve(configFile) : undefined });
}
