import { describe, expect, it } from 'vitest';
import { migrate } from '../../src-main/core/db/migrate';
import { insertDigitized } from '../../src-main/core/register/digitized';
import { digitizedRecord, isDigitizedHere } from '../../src-main/core/scan/provenance';
import { dbAt, tables } from './helpers';

const SHA = 'ab'.repeat(32);

describe('0060-digitized', () => {
  it('adds the provenance table to a database at the previous version', () => {
    const { db, path } = dbAt(30);
    expect(tables(db)).not.toContain('digitized_files');
    migrate(db, path, { target: 60 });
    expect(tables(db)).toContain('digitized_files');
  });

  it('answers only for recorded, conforming bytes; rows are append-only and checked', () => {
    const { db } = dbAt(60);
    expect(isDigitizedHere(db, SHA)).toBe(false);
    insertDigitized(db, { sha256: SHA, source: 'scan', pageCount: 2, conforms: true, ocr: true, actor: 'vanthu' });
    insertDigitized(db, { sha256: 'cd'.repeat(32), source: 'import', pageCount: 1, conforms: false, ocr: false, actor: 'vanthu' });
    expect(isDigitizedHere(db, SHA)).toBe(true);
    expect(isDigitizedHere(db, SHA.toUpperCase())).toBe(true);
    expect(isDigitizedHere(db, 'cd'.repeat(32))).toBe(false);
    expect(digitizedRecord(db, SHA)).toMatchObject({ source: 'scan', pageCount: 2, conforms: true, ocr: true });
    expect(() => db.prepare("UPDATE digitized_files SET conforms = 1").run()).toThrow(/PROVENANCE_APPEND_ONLY/);
    expect(() => db.prepare('DELETE FROM digitized_files').run()).toThrow(/PROVENANCE_APPEND_ONLY/);
    expect(() => insertDigitized(db, { sha256: 'XYZ', source: 'scan', pageCount: 1, conforms: true, ocr: false, actor: 'a' })).toThrow(/CHECK/);
  });
});

describe('the Điều 17.4.c gate', () => {
  it('refuses bytes not digitised here, and recorded bytes that do not conform (with the check’s summary)', async () => {
    const { requireDigitizedHere, sha256Hex } = await import('../../src-main/core/scan/provenance');
    const { db } = dbAt(60);
    const pdf = Buffer.from('%PDF-1.7\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\nxref\n0 3\n0000000000 65535 f \n0000000009 00000 n \n0000000054 00000 n \ntrailer<</Size 3/Root 1 0 R>>\nstartxref\n101\n%%EOF\n');
    expect(() => requireDigitizedHere(db, pdf)).toThrow(expect.objectContaining({ code: 'SIGN_REFUSED', vi: expect.stringContaining('không do máy này số hóa') }));
    insertDigitized(db, { sha256: sha256Hex(pdf), source: 'import', pageCount: 1, conforms: false, ocr: false, actor: 't' });
    expect(() => requireDigitizedHere(db, pdf)).toThrow(expect.objectContaining({ code: 'SIGN_REFUSED', vi: expect.stringContaining('Không đạt tiêu chuẩn số hóa') }));
  });
});
