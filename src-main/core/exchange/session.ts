import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { openRegister, type AgencyInfo, type Register } from '../register/index';
import { loadExchangeConfig, transportFrom, type ExchangeConfig } from './config';
import { SyncEngine } from './sync/engine';
import type { SyncEvent } from './sync/context';
import { registerPort } from './sync/register-port';
import { TransportError, type ExchangeTransport } from './transport/types';

/**
 * A workstation's exchange over its register file: the face every caller (CLI, backend) opens, so
 * they share one way of finding the configuration, the secret and the register. Without a
 * configuration the inbox still works (packages delivered by hand); every hub call fails as offline.
 */
export interface ExchangeSession {
  reg: Register;
  engine: SyncEngine;
  config: ExchangeConfig | null;
  close(): void;
}

class Offline implements ExchangeTransport {
  readonly dialect = 'offline';
  private fail(): never {
    throw new TransportError('retry', 'exchange not configured');
  }
  send = async () => this.fail();
  listReceived = async () => this.fail();
  fetch = async () => this.fail();
  ack = async () => this.fail();
  listSent = async () => this.fail();
}

export function exchangeConfigPath(dbPath: string): string {
  return join(dirname(dbPath), 'exchange.json');
}

/**
 * `reg`: the register already open on `dbPath` (the register worker's own connection), so the exchange
 * writes through the same connection as every other register call; without it, the session opens one
 * and closes it with itself.
 */
export function openExchange(opts: { dbPath: string; agency: AgencyInfo; configFile?: string; reg?: Register; onEvent?: (e: SyncEvent) => void }): ExchangeSession {
  const file = opts.configFile ?? exchangeConfigPath(opts.dbPath);
  const config = opts.configFile || existsSync(file) ? loadExchangeConfig(file) : null;
  const transport = config ? transportFrom(config, dirname(opts.dbPath)) : new Offline();
  const reg = opts.reg ?? openRegister(opts.dbPath, { agency: opts.agency });
  const self = { OrganId: config?.organId ?? (opts.agency.code || 'unconfigured'), OrganName: config?.organName ?? opts.agency.name };
  const engine = new SyncEngine({
    port: registerPort(reg),
    transport,
    self,
    config: config ? { incomingBook: config.incomingBook, recallChannel: config.recallChannel, pollMs: config.pollMs } : {},
    onEvent: opts.onEvent,
  });
  return {
    reg,
    engine,
    config,
    close: () => {
      (transport as { close?: () => void }).close?.();
      if (!opts.reg) reg.dispose();
    },
  };
}
