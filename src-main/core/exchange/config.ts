import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import * as z from 'zod';
import { AppError } from '../../contract/errors';
import { readSecret } from './secrets';
import { SdkTransport } from './transport/sdk';
import type { ExchangeTransport } from './transport/types';

/**
 * The workstation's exchange settings (a JSON file, `--config` or `exchange.json` in the data folder).
 * No secret appears here: the HMAC key is read from the secret store by name.
 */
export const exchangeConfigSchema = z.strictObject({
  dialect: z.literal('sdk').default('sdk'),
  endpoint: z.url().refine((u) => u.startsWith('https://'), 'https only'),
  systemid: z.string().min(1).max(64),
  organId: z.string().regex(/^[0-9A-Za-z._-]{1,35}$/),
  organName: z.string().min(1).max(200),
  secretName: z.string().default('exchange-hmac'),
  tls: z.strictObject({ ca: z.string().optional(), cert: z.string().optional(), key: z.string().optional() }).default({}),
  incomingBook: z.string().default('den'),
  recallChannel: z.enum(['status13', 'package', 'both']).default('status13'),
  pollMs: z.number().int().min(5_000).default(60_000),
  timeoutMs: z.number().int().min(1_000).default(60_000),
});
export type ExchangeConfig = z.output<typeof exchangeConfigSchema>;

export function loadExchangeConfig(file: string): ExchangeConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new AppError('NOT_FOUND', 'Chưa có cấu hình kết nối trục liên thông (exchange.json).', `exchange config ${file}: ${(e as Error).message}`);
  }
  const r = exchangeConfigSchema.safeParse(raw);
  if (!r.success) throw new AppError('INPUT_INVALID', 'Cấu hình kết nối trục liên thông không hợp lệ.', `exchange config: ${r.error.issues.map((i) => i.path.join('.')).join(', ')}`);
  // Certificate paths are relative to the configuration file.
  const base = dirname(resolve(file));
  const at = (p?: string) => (p ? resolve(base, p) : undefined);
  return { ...r.data, tls: { ca: at(r.data.tls.ca), cert: at(r.data.tls.cert), key: at(r.data.tls.key) } };
}

/** The dialect is configuration (docs/exchange.md §2): one branch per adapter file. */
export function transportFrom(cfg: ExchangeConfig, dataDir: string): ExchangeTransport & { close(): void } {
  const read = (p?: string) => (p ? readFileSync(p) : undefined);
  return new SdkTransport({
    endpoint: cfg.endpoint,
    systemid: cfg.systemid,
    organId: cfg.organId,
    secret: readSecret(dataDir, cfg.secretName),
    tls: { ca: read(cfg.tls.ca), cert: read(cfg.tls.cert), key: read(cfg.tls.key) },
    timeoutMs: cfg.timeoutMs,
  });
}
