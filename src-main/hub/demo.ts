import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../core/fsx/atomic-write';
import { writeSecret } from '../core/exchange/secrets';
import type { HubStore } from './store';

/** A demo province: three agencies so a newcomer sees documents go round (fictitious codes). */
export const DEMO_AGENCIES = [
  { code: '000.00.00.H99', name: 'UBND tỉnh Thử Nghiệm (bản trình diễn)' },
  { code: '000.00.01.H99', name: 'Sở Nội vụ tỉnh Thử Nghiệm' },
  { code: '000.00.02.H99', name: 'Sở Tài chính tỉnh Thử Nghiệm' },
] as const;

/**
 * Registers the demo agencies with fresh secrets and writes, for each, a workstation folder holding
 * `exchange.json` and its secret (0600): point a workstation's data folder at it to join the province.
 */
export function seedDemoProvince(store: HubStore, dataDir: string, hubUrl: string, caFile: string | undefined): string[] {
  const dirs: string[] = [];
  for (const a of DEMO_AGENCIES) {
    const secret = randomBytes(32).toString('hex');
    store.upsertAgency({ code: a.code, name: a.name, systemid: a.code, secret });
    const dir = join(dataDir, 'demo-workstations', a.code);
    mkdirSync(dir, { recursive: true });
    writeSecret(dir, 'exchange-hmac', Buffer.from(secret));
    const cfg = { endpoint: hubUrl, systemid: a.code, organId: a.code, organName: a.name, tls: caFile ? { ca: caFile } : {} };
    writeFileAtomic(join(dir, 'exchange.json'), [Buffer.from(`${JSON.stringify(cfg, null, 2)}\n`)]);
    dirs.push(dir);
  }
  return dirs;
}
