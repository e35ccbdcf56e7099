import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../../src-main/cli/io';

export function tempDir(prefix = 'vanthu-exchange-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function captureIo(env: NodeJS.ProcessEnv = {}): CliIo & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l), env, readPin: async () => Buffer.alloc(0) };
}

import { readFileSync } from 'node:fs';
import { startHub, type Hub } from '../../src-main/hub/server';
import type { FaultPlanInput } from '../../src-main/hub/faults';
import { SdkTransport } from '../../src-main/core/exchange/transport/sdk';
import { repoRoot } from '../helpers/pki';
import { AGENCY_A, AGENCY_B, AGENCY_C } from './samples';

export const PKI = join(repoRoot, '.tmp/pki');
export const TLS = {
  ca: join(PKI, 'certs/tls-ca.crt'),
  serverCert: join(PKI, 'certs/tls-server.crt'),
  serverKey: join(PKI, 'keys/tls-server.key'),
  clientCert: join(PKI, 'certs/tls-client.crt'),
  clientKey: join(PKI, 'keys/tls-client.key'),
  rogueCert: join(PKI, 'certs/tls-client-rogue.crt'),
  rogueKey: join(PKI, 'keys/tls-client-rogue.key'),
};

/** Systemid = OrganId in the test province; each agency has its own secret. */
export const SECRETS: Record<string, string> = { [AGENCY_A.OrganId]: 'secret-a', [AGENCY_B.OrganId]: 'secret-b', [AGENCY_C.OrganId]: 'secret-c' };

export async function testHub(opts: { faults?: FaultPlanInput; mtls?: boolean; now?: () => Date } = {}): Promise<Hub> {
  const hub = await startHub({ dataDir: tempDir('vanthu-hub-'), tlsCert: TLS.serverCert, tlsKey: TLS.serverKey, clientCa: opts.mtls ? TLS.ca : undefined, faults: opts.faults, now: opts.now });
  for (const a of [AGENCY_A, AGENCY_B, AGENCY_C]) hub.store.upsertAgency({ code: a.OrganId, name: a.OrganName, systemid: a.OrganId, secret: SECRETS[a.OrganId] });
  return hub;
}

export function transportFor(hub: Hub, organId: string, over: { secret?: string; cert?: string; key?: string; now?: () => Date } = {}): SdkTransport {
  return new SdkTransport({
    endpoint: hub.url,
    systemid: organId,
    organId,
    secret: Buffer.from(over.secret ?? SECRETS[organId]!),
    tls: { ca: readFileSync(TLS.ca), cert: over.cert ? readFileSync(over.cert) : undefined, key: over.key ? readFileSync(over.key) : undefined },
    timeoutMs: 10_000,
    now: over.now,
  });
}
