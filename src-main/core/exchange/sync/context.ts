import { createHash } from 'node:crypto';
import { isoVietnam } from '../../../contract/time';
import type { Organization } from '../edxml/model';
import type { EvidenceLog } from '../evidence';
import type { ExchangeTransport } from '../transport/types';
import type { RegisterPort } from './port';

/** Every tunable of the sync engine, with the defaults of docs/exchange.md §3 and §1. */
export interface SyncConfig {
  /** Sổ that receives incoming documents. */
  incomingBook: string;
  /** How a recall goes out: status 13, a type-1 package, or both (docs/exchange.md §3). */
  recallChannel: 'status13' | 'package' | 'both';
  backoffBaseMs: number;
  backoffCapMs: number;
  maxSendAttempts: number;
  pollMs: number;
}

export const DEFAULT_SYNC_CONFIG: SyncConfig = {
  incomingBook: 'den',
  recallChannel: 'status13',
  backoffBaseMs: 30_000,
  backoffCapMs: 3_600_000,
  maxSendAttempts: 10,
  pollMs: 60_000,
};

export type SyncEvent =
  | { type: 'progress'; phase: 'reconcile' | 'send' | 'receive' | 'statuses'; done: number; total: number }
  | { type: 'arrived'; inboxId: number; registerDocId: number; subject: string; from: string }
  | { type: 'statusChanged'; documentId: string; organId: string; code: string; registerDocId: number | null };

export interface SyncContext {
  port: RegisterPort;
  transport: ExchangeTransport;
  evidence: EvidenceLog;
  self: Organization;
  config: SyncConfig;
  now: () => Date;
  /** [0, 1): jitter source; injectable so a test can pin it. */
  random: () => number;
  emit: (e: SyncEvent) => void;
}

export function nowIso(ctx: SyncContext): string {
  return isoVietnam(ctx.now());
}

/**
 * Packages above this size are kept in the register's file store, their row holding an empty blob and
 * the SHA-256: SQLite writes a megabyte blob four times slower than a file (overflow pages through
 * the WAL, then the checkpoint), and every received document is a megabyte or more.
 */
export const INLINE_PAYLOAD_MAX = 64 * 1024;
const EMPTY_SHA256 = createHash('sha256').digest('hex');

/** What a row stores for `bytes`: the bytes themselves when small, else nothing (they went to the file store). */
export function storePayload(ctx: SyncContext, bytes: Buffer): { inline: Buffer; sha256: string } {
  if (bytes.length <= INLINE_PAYLOAD_MAX) return { inline: bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
  return { inline: Buffer.alloc(0), sha256: ctx.port.putBlob(bytes) };
}

/** The bytes a row stands for (checked against their hash when they come from the file store). */
export function loadPayload(ctx: SyncContext, inline: Buffer, sha256: string): Buffer {
  return inline.length > 0 || sha256 === EMPTY_SHA256 ? inline : ctx.port.readBlob(sha256);
}

/** Exponential backoff with jitter in [½, 1] of the step (§3). */
export function backoffMs(cfg: SyncConfig, attempts: number, random: () => number): number {
  const step = Math.min(cfg.backoffCapMs, cfg.backoffBaseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(step * (0.5 + random() * 0.5));
}
