import { AppError } from '../../contract/errors';
import type { RegisterContext } from './context';
import { invalid, notFound } from './errors';
import { dossierSchema, issuePaths, type DossierInput } from './records';

export interface FileCode {
  OrganId: string;
  FileCatalog: number;
  FileNotation: string;
}

/** Mã hồ sơ: `<OrganId>.<năm>.<số và ký hiệu hồ sơ>` (docs/register.md, "Hồ sơ"). */
export function fileCodeText(fc: FileCode): string {
  return `${fc.OrganId}.${fc.FileCatalog}.${fc.FileNotation}`;
}

/** Hồ sơ with the Phụ lục VI fields; a document is linked into as many as needed, never copied. */
export class Dossiers {
  constructor(private readonly ctx: RegisterContext) {}

  create(raw: DossierInput, act: { actor?: string } = {}): { id: number; code: string } {
    const parsed = dossierSchema.safeParse(raw);
    if (!parsed.success) throw invalid('Thông tin hồ sơ không hợp lệ.', `dossier: ${issuePaths(parsed.error)}`);
    const d = parsed.data;
    return this.ctx.write(() => {
      const id = Number(this.ctx.db.prepare(
        `INSERT INTO dossiers (OrganId, FileCatalog, FileNotation, Title, Maintenance, Rights, Creator, Language, StartDate, EndDate, Description)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(d.FileCode.OrganId, d.FileCode.FileCatalog, d.FileCode.FileNotation, d.Title, d.Maintenance ?? null, d.Rights ?? null, d.Creator ?? null, d.Language ?? null, d.StartDate ?? null, d.EndDate ?? null, d.Description ?? null).lastInsertRowid);
      this.ctx.log({ actor: this.ctx.actorOf(act), action: 'dossier.create', entity: 'dossier', entityId: id, after: d });
      return { id, code: fileCodeText(d.FileCode) };
    });
  }

  /** Inside the caller's transaction: the next DocOrdinal unless one is given. */
  link(fc: FileCode, docId: number, ordinal?: number): void {
    const { db } = this.ctx;
    const d = db.prepare('SELECT id FROM dossiers WHERE OrganId = ? AND FileCatalog = ? AND FileNotation = ?').get(fc.OrganId, fc.FileCatalog, fc.FileNotation) as { id: number } | undefined;
    if (!d) throw new AppError('NOT_FOUND', 'Không tìm thấy hồ sơ theo mã hồ sơ đã nhập.', `dossier ${fileCodeText(fc)}`);
    const next = ordinal ?? ((db.prepare('SELECT max(DocOrdinal) AS m FROM dossier_documents WHERE dossier_id = ?').get(d.id) as { m: number | null }).m ?? 0) + 1;
    db.prepare('INSERT INTO dossier_documents (dossier_id, doc_id, DocOrdinal) VALUES (?, ?, ?)').run(d.id, docId, next);
  }

  file(fc: FileCode, docId: number, act: { actor?: string } = {}): void {
    this.ctx.write(() => {
      this.ctx.getDoc(docId);
      this.link(fc, docId);
      this.ctx.log({ actor: this.ctx.actorOf(act), action: 'dossier.file', entity: 'document', entityId: docId, after: fc });
    });
  }

  /** Phụ lục VI hồ sơ fields, with DocTotal and PageTotal computed from the linked documents. */
  get(id: number): Record<string, unknown> {
    const { db } = this.ctx;
    const d = db.prepare('SELECT * FROM dossiers WHERE id = ?').get(id) as Record<string, unknown> | undefined;
    if (!d) throw notFound('hồ sơ', id);
    const t = db.prepare('SELECT count(*) AS n, coalesce(sum(d.PageAmount), 0) AS p FROM dossier_documents x JOIN documents d ON d.id = x.doc_id WHERE x.dossier_id = ?').get(id) as { n: number; p: number };
    const docs = db.prepare('SELECT x.DocOrdinal, d.id FROM dossier_documents x JOIN documents d ON d.id = x.doc_id WHERE x.dossier_id = ? ORDER BY x.DocOrdinal').all(id);
    return { ...d, FileCode: { OrganId: d.OrganId, FileCatalog: d.FileCatalog, FileNotation: d.FileNotation }, DocTotal: t.n, PageTotal: t.p, documents: docs };
  }
}
