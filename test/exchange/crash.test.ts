import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src-main/core/db/connection';
import { buildEdxml } from '../../src-main/core/exchange/edxml/index';
import { EvidenceLog } from '../../src-main/core/exchange/evidence';
import type { Hub } from '../../src-main/hub/server';
import { repoRoot } from '../helpers/pki';
import { AGENCY_A, AGENCY_B, sampleDocument } from './samples';
import { SECRETS, TLS, tempDir, testHub, transportFor } from './helpers';
import { workstation } from './workstation';

let hub: Hub;
afterEach(async () => hub?.close());

describe('crash safety and the evidence chain', () => {
  it('kill -9 between store and ack: after restart one row, one register entry, the ack sent, the chain intact', async () => {
    hub = await testHub();
    const ta = transportFor(hub, AGENCY_A.OrganId);
    await ta.send(buildEdxml(sampleDocument()), 'edoc', []);
    ta.close();
    const dir = tempDir('vanthu-crash-');
    // Asynchronous spawn: the hub lives in this process and must keep answering.
    const child = await new Promise<{ signal: NodeJS.Signals | null; stdout: string }>((resolve) => {
      const p = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'crash-child.ts'), dir, hub.url, AGENCY_B.OrganId, SECRETS[AGENCY_B.OrganId]!, TLS.ca], { cwd: repoRoot });
      let stdout = '';
      p.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      p.on('exit', (_code, signal) => resolve({ signal, stdout }));
    });
    expect(child.signal).toBe('SIGKILL');
    expect(child.stdout).not.toContain('not killed');
    expect(hub.store.pending(AGENCY_B.OrganId, 'edoc')).toHaveLength(1);

    const b = workstation(hub, AGENCY_B, { dir });
    expect(b.engine.inbox.list()).toMatchObject([{ state: 'RECEIVED', acked: 0 }]);
    const r = await b.engine.syncOnce();
    expect(r).toMatchObject({ received: 0, duplicates: 0, error: null });
    expect(b.engine.inbox.list()).toMatchObject([{ state: 'RECEIVED', acked: 1 }]);
    expect(hub.store.pending(AGENCY_B.OrganId, 'edoc')).toHaveLength(0);
    expect(b.reg.handling.queue({ direction: 'den' })).toHaveLength(1);
    const chain = b.engine.evidence.verify();
    expect(chain).toMatchObject({ ok: true, problems: [] });
    expect(chain.records).toBeGreaterThan(3);
    b.close();

    // Tampering is detected: an edited record breaks its hash, a removed one leaves a gap.
    const db = openDatabase(join(dir, 'register.db'));
    db.prepare("UPDATE exchange_evidence SET detail = '{}' WHERE seq = 2").run();
    db.prepare('DELETE FROM exchange_evidence WHERE seq = 3').run();
    const report = new EvidenceLog(db, () => '').verify();
    db.close();
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual(expect.arrayContaining([{ seq: 2, problem: 'hash' }, { seq: 4, problem: 'gap' }, { seq: 4, problem: 'link' }]));
  }, 90_000);
});
