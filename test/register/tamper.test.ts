import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDict, PDFHexString, PDFName, PDFDocument } from '@cantoo/pdf-lib';
import { describe, expect, it } from 'vitest';
import { main } from '../../src-main/cli/main';
import type { CliIo } from '../../src-main/cli/io';
import { openDatabase, type Db } from '../../src-main/core/db/connection';
import { DigitizedFiles } from '../../src-main/core/register/digitized';
import { TRACKED_TABLES, type TrackedTable } from '../../src-main/core/register/entity-state';
import { openRegister, restoreDatabase, tokenCheckpointSigner } from '../../src-main/core/register/index';
import { openTokenService } from '../../src-main/core/token';
import { loadPki } from '../helpers/pki';
import { dbAt, insertBook, insertDoc } from '../migrations/helpers';
import { AGENCY, expectAppError, incoming, outgoing, tempDir, testClock } from './helpers';

function io(): CliIo & { lines: string[] } {
  const lines: string[] = [];
  return { lines, out: (l) => lines.push(l), err: (l) => lines.push(l), env: {}, readPin: async () => Buffer.alloc(0) };
}

/** A register with rows in every tracked table, closed up to 31 March (so a checkpoint exists), then closed. */
async function populated(): Promise<{ dir: string; dbPath: string }> {
  const dir = tempDir('vanthu-tamper-');
  const dbPath = join(dir, 'register.db');
  const clock = testClock('2026-03-10T09:00:00+07:00');
  const reg = openRegister(dbPath, { agency: AGENCY, clock });
  const d = reg.registration.register(incoming({ Subject: 'Về việc kiểm kê tài sản công' })).document;
  reg.registration.register(incoming());
  reg.handling.transition(d.id, 'submit');
  reg.handling.transition(d.id, 'assign', { assignments: [{ role: 'chu_tri', unit: 'Phòng Tài chính' }] });
  reg.registration.register(outgoing());
  const file = join(dir, 'a.txt');
  writeFileSync(file, 'tệp đính kèm');
  await reg.attachments.attach(d.id, { path: file, name: 'a.txt' });
  reg.dossiers.create({ FileCode: { OrganId: '000.00.12.H40', FileCatalog: 2026, FileNotation: 'HS-01' }, Title: 'Hồ sơ kiểm kê' });
  reg.dossiers.file({ OrganId: '000.00.12.H40', FileCatalog: 2026, FileNotation: 'HS-01' }, d.id);
  // A paper original digitised here (the Điều 17.4.c exception), recorded through the register.
  new DigitizedFiles(reg.ctx).record({ sha256: 'a'.repeat(64), source: 'scan', pageCount: 2, conforms: true, ocr: true });
  clock.set('2026-04-01T08:00:00+07:00');
  await reg.closures.close('den', '2026-03-31');
  reg.dispose();
  return { dir, dbPath };
}

/** A copy of the register (database, attachments' folder, checkpoints, installation key) to tamper with. */
function copyOf(src: { dir: string }): { dir: string; dbPath: string } {
  const dir = tempDir('vanthu-tamper-copy-');
  cpSync(src.dir, dir, { recursive: true });
  return { dir, dbPath: join(dir, 'register.db') };
}

async function verify(dbPath: string, ...extra: string[]): Promise<{ code: number; report: { ok: boolean; entities: Array<{ table: string; rowId: number; kind: string; field: string | null; chainValue: string | null; tableValue: string | null; messageVi: string }>; problems: unknown[]; checkpoints: Array<{ ok: boolean; kind: string; messageVi: string }> } }> {
  const o = io();
  const code = await main(['register', 'audit', 'verify', '--db', dbPath, '--json', ...extra], o);
  return { code, report: JSON.parse(o.lines[0]!) };
}

/** What an attacker with the file and `sqlite3` does: triggers off, foreign keys off, then raw SQL. */
function tamper(dbPath: string, sql: (db: Db) => number): number {
  const db = openDatabase(dbPath);
  db.pragma('foreign_keys = OFF');
  for (const { name } of db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as Array<{ name: string }>) db.exec(`DROP TRIGGER "${name}"`);
  const rowid = sql(db);
  db.close();
  return rowid;
}

const firstRow = (db: Db, t: TrackedTable) => (db.prepare(`SELECT min(rowid) AS r FROM ${t}`).get() as { r: number }).r;

/** One column per table an attacker might rewrite, and how to insert a row nobody registered. */
const EDITS: Record<TrackedTable, { column: string; value: string | number; insert: string }> = {
  books: { column: 'name', value: 'Sổ giả', insert: "INSERT INTO books (id, direction, kind, name, created_at) VALUES ('gia', 'den', 'normal', 'Sổ giả', 'x')" },
  book_counters: { column: 'last_number', value: 1, insert: "INSERT INTO book_counters (book_id, year, last_number) VALUES ('den', 2025, 9)" },
  documents: { column: 'Subject', value: 'Trích yếu bị sửa', insert: "INSERT INTO documents (book_id, direction, state, year, number, reg_date, TypeName, Subject, created_at) VALUES ('den', 'den', 'registered', 2026, 99, '2026-04-02', 'Công văn', 'Văn bản chèn thêm', 'x')" },
  recipients: { column: 'OrganName', value: 'Nơi nhận giả', insert: "INSERT INTO recipients (doc_id, ord, OrganName) VALUES (3, 9, 'Nơi nhận giả')" },
  assignments: { column: 'unit', value: 'Phòng khác', insert: "INSERT INTO assignments (doc_id, role, unit, assigned_by, assigned_at) VALUES (1, 'phoi_hop', 'Phòng giả', 'x', 'x')" },
  status_events: { column: 'code', value: '05', insert: "INSERT INTO status_events (doc_id, code, at) VALUES (1, '06', 'x')" },
  transitions: { column: 'actor', value: 'ke.gian', insert: "INSERT INTO transitions (doc_id, to_state, at, actor) VALUES (1, 'completed', 'x', 'ke.gian')" },
  closures: { column: 'until_date', value: '2026-01-31', insert: "INSERT INTO closures (book_id, until_date, closed_at, actor) VALUES ('di', '2026-03-31', 'x', 'ke.gian')" },
  attachments: { column: 'sha256', value: 'f'.repeat(64), insert: `INSERT INTO attachments (doc_id, sha256, name, mime, size, added_at) VALUES (1, '${'e'.repeat(64)}', 'b.pdf', 'application/pdf', 1, 'x')` },
  blobs: { column: 'refcount', value: 7, insert: `INSERT INTO blobs (sha256, size, refcount) VALUES ('${'e'.repeat(64)}', 1, 1)` },
  dossiers: { column: 'Title', value: 'Hồ sơ bị sửa', insert: "INSERT INTO dossiers (OrganId, FileCatalog, FileNotation, Title) VALUES ('000.00.12.H40', 2026, 'HS-99', 'Hồ sơ giả')" },
  dossier_documents: { column: 'DocOrdinal', value: 9, insert: 'INSERT INTO dossier_documents (dossier_id, doc_id, DocOrdinal) VALUES (1, 2, 2)' },
  digitized_files: { column: 'source', value: 'import', insert: `INSERT INTO digitized_files (sha256, created_at, source, page_count, conforms, ocr, actor) VALUES ('${'b'.repeat(64)}', 'x', 'scan', 1, 1, 0, 'ke.gian')` },
};

describe('tamper evidence: every registered row against the audit chain', () => {
  it('an untouched register verifies, with its đóng sổ checkpoint', async () => {
    const reg = await populated();
    const { code, report } = await verify(reg.dbPath);
    expect(report.entities).toEqual([]);
    expect(report.checkpoints).toEqual([expect.objectContaining({ ok: true, kind: 'ok' })]);
    expect(code).toBe(0);
    const tables = openDatabase(reg.dbPath, { readonly: true });
    for (const t of TRACKED_TABLES) expect((tables.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n, t).toBeGreaterThan(0);
    tables.close();
  });

  it('Đ5.1, Đ15.1 an UPDATE, a DELETE and an INSERT on each registered table make `audit verify` fail naming the row', async () => {
    const base = await populated();
    for (const table of TRACKED_TABLES) {
      const e = EDITS[table];
      const updated = copyOf(base);
      const uRow = tamper(updated.dbPath, (db) => {
        const r = firstRow(db, table);
        db.prepare(`UPDATE ${table} SET ${e.column} = ? WHERE rowid = ?`).run(e.value, r);
        return r;
      });
      const u = await verify(updated.dbPath);
      expect(u.code, `${table} update`).toBe(1);
      expect(u.report.entities, `${table} update`).toContainEqual(expect.objectContaining({ table, rowId: uRow, kind: 'changed', field: e.column, tableValue: String(e.value) }));

      const deleted = copyOf(base);
      const dRow = tamper(deleted.dbPath, (db) => {
        const r = firstRow(db, table);
        db.prepare(`DELETE FROM ${table} WHERE rowid = ?`).run(r);
        return r;
      });
      const d = await verify(deleted.dbPath);
      expect(d.code, `${table} delete`).toBe(1);
      expect(d.report.entities, `${table} delete`).toContainEqual(expect.objectContaining({ table, rowId: dRow, kind: 'deleted' }));

      const inserted = copyOf(base);
      const iRow = tamper(inserted.dbPath, (db) => Number(db.prepare(e.insert).run().lastInsertRowid));
      const i = await verify(inserted.dbPath);
      expect(i.code, `${table} insert`).toBe(1);
      expect(i.report.entities, `${table} insert`).toContainEqual(expect.objectContaining({ table, rowId: iRow, kind: 'unlogged' }));
    }
  });

  it('says in Vietnamese which row and field changed, with the chain value and the table value', async () => {
    const reg = copyOf(await populated());
    tamper(reg.dbPath, (db) => db.prepare("UPDATE documents SET Subject = 'Về việc khác' WHERE id = 1").run().changes);
    const o = io();
    expect(await main(['register', 'audit', 'verify', '--db', reg.dbPath], o)).toBe(1);
    expect(o.lines[0]).toMatch(/KHÔNG toàn vẹn/);
    expect(o.lines).toContainEqual(expect.stringMatching(/Văn bản #1, trường Subject: trong sổ là "Về việc khác", nhật ký ghi "Về việc kiểm kê tài sản công"/));
  });

  it('a row edited outside and then written by the application is still caught (its state before the write)', async () => {
    const base = await populated();
    tamper(base.dbPath, (db) => db.prepare("UPDATE documents SET Subject = 'Đổi ngoài phần mềm' WHERE id = 2").run().changes);
    const reg = openRegister(base.dbPath, { agency: AGENCY, clock: testClock('2026-04-02T09:00:00+07:00') });
    reg.handling.transition(2, 'submit');
    const r = reg.audit.verify();
    reg.dispose();
    expect(r.ok).toBe(false);
    expect(r.entities).toContainEqual(expect.objectContaining({ table: 'documents', rowId: 2, kind: 'changed_outside' }));
  });
});

describe('tamper evidence: a register from before entity states', () => {
  it('is baselined on first open, verifies, and then catches an edit', async () => {
    const { db, path } = dbAt(30);
    insertBook(db);
    const id = insertDoc(db, { Subject: 'Văn bản từ phiên bản cũ' });
    db.close();
    const reg = openRegister(path, { agency: AGENCY, clock: testClock('2026-03-11T09:00:00+07:00') });
    expect(reg.audit.trail({ entity: 'database' }).map((e) => e.action)).toContain('audit.baseline');
    expect(reg.audit.verify()).toMatchObject({ ok: true, entities: [] });
    reg.dispose();
    tamper(path, (d) => d.prepare("UPDATE documents SET Subject = 'Sửa sau nâng cấp' WHERE id = ?").run(id).changes);
    const { code, report } = await verify(path);
    expect(code).toBe(1);
    expect(report.entities).toEqual([expect.objectContaining({ table: 'documents', rowId: id, field: 'Subject', chainValue: 'Văn bản từ phiên bản cũ', tableValue: 'Sửa sau nâng cấp' })]);
  });
});

describe('tamper evidence: checkpoints outside the database', () => {
  it('a chain whose tail was cut (triggers dropped, sqlite_sequence fixed) passes the chain walk but not the checkpoint', async () => {
    const reg = copyOf(await populated());
    tamper(reg.dbPath, (db) => {
      // Remove the đóng sổ entry and what it recorded, then hide the gap from AUTOINCREMENT.
      const last = (db.prepare('SELECT max(id) AS m FROM audit').get() as { m: number }).m;
      db.prepare('DELETE FROM audit WHERE id = ?').run(last);
      db.prepare('DELETE FROM closures').run();
      db.prepare("UPDATE sqlite_sequence SET seq = ? WHERE name = 'audit'").run(last - 1);
      return last;
    });
    const { code, report } = await verify(reg.dbPath);
    expect(report.problems).toEqual([]);
    expect(report.entities).toEqual([]);
    expect(report.checkpoints).toEqual([expect.objectContaining({ ok: false, kind: 'short', messageVi: expect.stringMatching(/ngắn hơn điểm kiểm tra .* phần cuối nhật ký đã bị cắt/) })]);
    expect(code).toBe(1);
  });

  it('a checkpoint file whose content or signature was altered is reported', async () => {
    const base = await populated();
    for (const change of [(c: Record<string, unknown>) => ({ ...c, count: (c.count as number) - 1 }), (c: Record<string, unknown>) => ({ ...c, signature: Buffer.alloc(64, 1).toString('base64') })]) {
      const reg = copyOf(base);
      const dir = `${reg.dbPath}.checkpoints`;
      const file = join(dir, readdirSync(dir)[0]!);
      writeFileSync(file, JSON.stringify(change(JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>)));
      const { code, report } = await verify(reg.dbPath);
      expect(report.checkpoints).toEqual([expect.objectContaining({ ok: false, kind: 'bad_signature', messageVi: expect.stringMatching(/chữ ký không hợp lệ/) })]);
      expect(code).toBe(1);
    }
  });

  it('the printed sổ ends with a closing page showing the checkpoint, carries it in its metadata, and the typed value verifies', async () => {
    const reg = await populated();
    const pdf = join(reg.dir, 'so-den.pdf');
    expect(await main(['register', 'print', '--book', 'den', '--year', '2026', '-o', pdf, '--db', reg.dbPath], io())).toBe(0);
    const cp = JSON.parse(readFileSync(join(`${reg.dbPath}.checkpoints`, readdirSync(`${reg.dbPath}.checkpoints`)[0]!), 'utf8')) as { count: number; head: string };
    const pages = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).split('\f');
    const closing = pages.filter((p) => p.trim()).at(-1)!;
    expect(closing).toContain('TRANG KHÓA SỔ');
    expect(closing).toContain(`${cp.count} mục`);
    expect(closing).toContain(cp.head.slice(0, 32).match(/.{4}/g)!.join(' '));
    const doc = await PDFDocument.load(readFileSync(pdf));
    const info = doc.context.lookup(doc.context.trailerInfo.Info, PDFDict);
    expect((info.get(PDFName.of('VanthuCheckpoint')) as PDFHexString).decodeText()).toBe(`${cp.count}:${cp.head}`);

    // The clerk types what the page says.
    const typed = /--checkpoint (\d+:[0-9a-f]{16})/.exec(closing)![1]!;
    const ok = await verify(reg.dbPath, '--checkpoint', typed);
    expect(ok.code).toBe(0);
    expect(ok.report.checkpoints).toContainEqual(expect.objectContaining({ ok: true, messageVi: expect.stringContaining('trang khóa sổ') }));
    const wrong = await verify(reg.dbPath, '--checkpoint', `${cp.count}:${'0'.repeat(16)}`);
    expect(wrong.code).toBe(1);
    expect(wrong.report.checkpoints).toContainEqual(expect.objectContaining({ ok: false, kind: 'diverged' }));
  });

  it('a backup carries its checkpoint; restore refuses a backup whose chain does not reach it, or without it', async () => {
    const src = copyOf(await populated());
    const reg = openRegister(src.dbPath, { agency: AGENCY, clock: testClock('2026-04-02T09:00:00+07:00') });
    const backup = join(src.dir, 'backup.db');
    const b = await reg.backups.create(backup);
    reg.dispose();
    expect(JSON.parse(readFileSync(`${backup}.checkpoint.json`, 'utf8'))).toMatchObject({ reason: 'backup', count: b.checkpoint.count, head: b.checkpoint.head });

    const cut = join(src.dir, 'cut.db');
    copyFileSync(backup, cut);
    copyFileSync(`${backup}.checkpoint.json`, `${cut}.checkpoint.json`);
    tamper(cut, (db) => {
      db.prepare('DELETE FROM audit WHERE id = ?').run(b.checkpoint.count);
      db.prepare("UPDATE sqlite_sequence SET seq = ? WHERE name = 'audit'").run(b.checkpoint.count - 1);
      return 0;
    });
    expectAppError(() => restoreDatabase(cut, src.dbPath), 'DB_ERROR', /không đạt điểm kiểm tra/);
    const bare = join(src.dir, 'bare.db');
    copyFileSync(backup, bare);
    expectAppError(() => restoreDatabase(bare, src.dbPath), 'DB_ERROR', /không kèm tệp điểm kiểm tra/);
    expect(restoreDatabase(backup, src.dbPath)).toMatchObject({ ok: true, checkpoint: { ok: true, count: b.checkpoint.count } });
    expect((await verify(src.dbPath)).code).toBe(0);
  });

  it('a checkpoint is signed with the agency token when a clerk is logged in, and verifies', async () => {
    const pki = loadPki();
    const svc = openTokenService({ modules: [pki.module] });
    try {
      const ref = svc.findToken(pki.tokens.agency).ref;
      svc.login(ref, Buffer.from(pki.userPin, 'utf8'));
      const signer = tokenCheckpointSigner(svc.createTokenSigner(ref, pki.keyIds.agency));
      const dir = tempDir('vanthu-tamper-token-');
      const reg = openRegister(join(dir, 'register.db'), { agency: AGENCY, clock: testClock('2026-03-10T09:00:00+07:00'), checkpointSigner: () => signer });
      reg.registration.register(incoming());
      const cp = await reg.anchors.daily();
      expect(cp).toMatchObject({ reason: 'daily', signer: { kind: 'token', algorithm: 'RSA_PKCS1_SHA256' } });
      expect(cp!.signer.label).toMatch(/CN=/);
      expect(await reg.anchors.daily()).toBeNull();
      const r = reg.audit.verify();
      reg.dispose();
      expect(r).toMatchObject({ ok: true, checkpoints: [expect.objectContaining({ ok: true })] });
    } finally {
      svc.close();
    }
  });
});
