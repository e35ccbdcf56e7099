import type { Db } from '../db/connection';
import type { ActOptions, RegisterContext } from './context';

export interface DigitizedInput {
  sha256: string;
  source: 'scan' | 'import';
  pageCount: number;
  conforms: boolean;
  ocr: boolean;
}

/**
 * The row itself (table `digitized_files`, migration 0060). Recording the same bytes twice keeps the
 * first record: the provenance is of the content, not of the run. True when a row was added.
 */
export function insertDigitized(db: Db, r: DigitizedInput & { actor: string; createdAt?: string }): boolean {
  return db.prepare(`INSERT INTO digitized_files (sha256, created_at, source, page_count, conforms, ocr, actor)
                     VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING`)
    .run(r.sha256, r.createdAt ?? new Date().toISOString(), r.source, r.pageCount, r.conforms ? 1 : 0, r.ocr ? 1 : 0, r.actor).changes > 0;
}

/**
 * The digitised-here records, written by the register so that each is in the audit chain: they decide
 * which files may be issued without a leader's signature (Điều 17.4.c), so a row added behind the
 * register's back must show in `audit verify` (docs/threat-model.md).
 */
export class DigitizedFiles {
  constructor(private readonly ctx: RegisterContext) {}

  record(r: DigitizedInput, act: ActOptions = {}): boolean {
    const actor = this.ctx.actorOf(act);
    return this.ctx.write(() => {
      const added = insertDigitized(this.ctx.db, { ...r, actor, createdAt: this.ctx.nowIso() });
      if (added) this.ctx.log({ actor, action: 'digitize.record', entity: 'digitized_file', entityId: r.sha256, after: { ...r } });
      return added;
    });
  }
}
