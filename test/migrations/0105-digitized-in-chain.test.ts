import { describe, expect, it } from 'vitest';
import { latestVersion } from '../../src-main/core/db/migrate';
import { MIGRATIONS } from '../../src-main/core/db/migrations/index';
import { AuditLog, baselineIfNeeded } from '../../src-main/core/register/audit';
import { insertDigitized } from '../../src-main/core/register/digitized';
import { TouchTracker } from '../../src-main/core/register/entity-state';
import { incoming, tempRegister } from '../register/helpers';

describe('0105-digitized-in-chain', () => {
  it('Đ17.4.c the digitised-here records join the chain: the rows present become its reference alone, a row added later behind the register shows', () => {
    const { reg } = tempRegister();
    reg.registration.register(incoming());
    // A record written the old way, by the scanner's own connection: not in the chain.
    insertDigitized(reg.db, { sha256: 'a'.repeat(64), source: 'scan', pageCount: 1, conforms: true, ocr: false, actor: 'vanthu' });
    expect(reg.audit.verify().entities).toContainEqual(expect.objectContaining({ table: 'digitized_files', kind: 'unlogged' }));

    const step = MIGRATIONS.find((m) => m.name === '0105-digitized-in-chain')!;
    expect(step).toMatchObject({ keepsRows: true, chains: ['digitized_files'] });
    // The same step one version on (this register is already at the latest): what an upgrade from 100 does.
    const tracker = new TouchTracker(reg.db);
    const next = latestVersion() + 1;
    reg.ctx.write(() => baselineIfNeeded(reg.db, new AuditLog(reg.db, tracker), tracker, next, reg.ctx.nowIso(), [...MIGRATIONS, { ...step, version: next }]));
    const states = (reg.db.prepare("SELECT state FROM audit WHERE action = 'audit.baseline' ORDER BY id DESC LIMIT 1").get() as { state: string }).state;
    expect(states.split('\n').map((l) => l.split('\t')[0])).toEqual(['digitized_files']);
    expect(reg.audit.verify()).toMatchObject({ ok: true, entities: [] });

    insertDigitized(reg.db, { sha256: 'b'.repeat(64), source: 'import', pageCount: 1, conforms: true, ocr: false, actor: 'ke.gian' });
    expect(reg.audit.verify().entities).toContainEqual(expect.objectContaining({ table: 'digitized_files', kind: 'unlogged' }));
    reg.dispose();
  });
});
