import { describe, expect, it } from 'vitest';
import { latestVersion } from '../../src-main/core/db/migrate';
import { MIGRATIONS } from '../../src-main/core/db/migrations/index';
import { AuditLog, baselineIfNeeded, rowHash, type AuditRow } from '../../src-main/core/register/audit';
import { TouchTracker } from '../../src-main/core/register/entity-state';
import { incoming, tempRegister } from './helpers';

describe('audit trail', () => {
  it('records who, what, when, before and after for each action', () => {
    const { reg } = tempRegister();
    const d = reg.registration.register(incoming(), { actor: 'nguyen.van.a' }).document;
    reg.handling.transition(d.id, 'submit', { actor: 'nguyen.van.a' });
    const trail = reg.audit.trail({ entity: 'document', entityId: d.id });
    expect(trail.map((r) => r.action)).toEqual(['document.submit', 'document.register']);
    expect(trail[0]).toMatchObject({ actor: 'nguyen.van.a', at: '2026-03-10T09:00:00+07:00' });
    expect(JSON.parse(trail[0]!.before as string)).toEqual({ state: 'registered' });
    expect(JSON.parse(trail[0]!.after as string)).toMatchObject({ state: 'submitted' });
    expect(reg.audit.verify()).toMatchObject({ ok: true, problems: [] });
  });

  it('refuses UPDATE and DELETE through SQL', () => {
    const { reg } = tempRegister();
    reg.registration.register(incoming());
    expect(() => reg.db.prepare("UPDATE audit SET actor = 'x'").run()).toThrow(/AUDIT_APPEND_ONLY/);
    expect(() => reg.db.prepare('DELETE FROM audit').run()).toThrow(/AUDIT_APPEND_ONLY/);
  });

  it('Đ5.1 detects rows edited or deleted by someone who drops the triggers', () => {
    const make = () => {
      const { reg } = tempRegister();
      for (let i = 0; i < 5; i++) reg.registration.register(incoming());
      reg.db.exec('DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;');
      return reg;
    };
    const edited = make();
    edited.db.prepare("UPDATE audit SET actor = 'ke.gian' WHERE id = 3").run();
    expect(edited.audit.verify()).toMatchObject({ ok: false, problems: [{ id: 3, kind: 'edited' }] });

    const rehashed = make();
    // Editing a row and recomputing its own hash still breaks the link to the next row.
    const row = rehashed.db.prepare('SELECT * FROM audit WHERE id = 2').get() as AuditRow;
    rehashed.db.prepare("UPDATE audit SET actor = 'ke.gian', hash = ? WHERE id = 2").run(rowHash({ ...row, actor: 'ke.gian' }));
    expect(rehashed.audit.verify().problems).toEqual([{ id: 3, kind: 'broken_link', messageVi: 'Mục nhật ký 3: đứt chuỗi.' }]);

    const middle = make();
    middle.db.prepare('DELETE FROM audit WHERE id = 2').run();
    expect(middle.audit.verify().problems.map((p) => p.kind).sort()).toEqual(['broken_link', 'deleted']);

    const tail = make();
    const last = (tail.db.prepare('SELECT max(id) AS m FROM audit').get() as { m: number }).m;
    tail.db.prepare('DELETE FROM audit WHERE id = ?').run(last);
    expect(tail.audit.verify()).toMatchObject({ ok: false, problems: [{ id: last, kind: 'deleted' }] });
  });

  it('đóng sổ is in the trail and makes the entries read-only', async () => {
    const { reg, clock } = tempRegister();
    const d = reg.registration.register(incoming()).document;
    clock.set('2026-03-31T17:00:00+07:00');
    expect(await reg.closures.close('den', '2026-03-31')).toMatchObject({ book: 'den', until: '2026-03-31', entries: 1, checkpoint: { reason: 'close', book: 'den' } });
    expect(reg.audit.trail({ entity: 'book', entityId: 'den' })[0]).toMatchObject({ action: 'book.close' });
    expect(() => reg.db.prepare('UPDATE documents SET Subject = ? WHERE id = ?').run('x', d.id)).toThrow(/REGISTER_CLOSED/);
    expect(reg.closures.list('den')).toEqual([expect.objectContaining({ until: '2026-03-31' })]);
  });

  it('Đ5.1 a migration that keeps every registered row (an index dropped) adds no baseline; one that may change rows does', () => {
    const { reg } = tempRegister();
    reg.registration.register(incoming());
    const tracker = new TouchTracker(reg.db);
    const log = new AuditLog(reg.db, tracker);
    const baselines = () => reg.audit.trail({ entity: 'database', limit: 1000 }).filter((e) => e.action === 'audit.baseline').length;
    const first = baselines();
    expect(first).toBeGreaterThan(0);
    const next = latestVersion() + 1;
    const step = { version: next, name: 'next', up() {} };
    reg.ctx.write(() => baselineIfNeeded(reg.db, log, tracker, next, reg.ctx.nowIso(), [...MIGRATIONS, { ...step, keepsRows: true }]));
    expect(baselines()).toBe(first);
    reg.ctx.write(() => baselineIfNeeded(reg.db, log, tracker, next, reg.ctx.nowIso(), [...MIGRATIONS, step]));
    expect(baselines()).toBeGreaterThan(first);
    expect(reg.audit.verify().ok).toBe(true);
    expect(MIGRATIONS.find((m) => m.name === '0095-register-indexes')?.keepsRows).toBe(true);
  });
});
