import type { ChainAnchors } from './anchors';
import { chainHead } from './audit';
import type { Checkpoint } from './checkpoint';
import type { ActOptions, RegisterContext } from './context';
import type { DocumentDto } from './dto';
import { invalid } from './errors';
import { dateInVietnam } from '../../contract/time';
import { isoDaySchema } from '../../contract/register';

export interface ClosureDto {
  book: string;
  until: string;
  closedAt: string;
  actor: string;
}

/**
 * Đóng sổ: a closure freezes a sổ's entries up to a date (the SQL triggers of migration 0030 enforce
 * it for every writer). See docs/register.md, "Đóng sổ".
 */
export class Closures {
  private readonly covering;

  constructor(private readonly ctx: RegisterContext, private readonly anchors: ChainAnchors) {
    this.covering = ctx.db.prepare('SELECT 1 FROM closures WHERE book_id = ? AND until_date >= ? AND substr(until_date, 1, 4) = substr(?, 1, 4)');
  }

  isClosed(doc: DocumentDto): boolean {
    if (!doc.regDate) return false;
    return this.covering.get(doc.book, doc.regDate, doc.regDate) !== undefined;
  }

  /**
   * Closes the sổ up to `until` (inclusive): those entries become read-only in SQL, and a checkpoint
   * of the chain at that moment is signed and stored (printed later on the sổ's closing page).
   */
  async close(bookId: string, until: string, act: ActOptions = {}): Promise<{ book: string; until: string; entries: number; checkpoint: Checkpoint }> {
    const d = isoDaySchema.safeParse(until);
    if (!d.success) throw invalid('Ngày đóng sổ không hợp lệ (định dạng YYYY-MM-DD).', 'close date');
    this.ctx.book(bookId);
    if (d.data > dateInVietnam(this.ctx.now())) throw invalid('Không thể đóng sổ cho ngày trong tương lai.', 'close in the future');
    const { db } = this.ctx;
    const closed = this.ctx.write(() => {
      db.prepare('INSERT INTO closures (book_id, until_date, closed_at, actor) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING').run(bookId, d.data, this.ctx.nowIso(), this.ctx.actorOf(act));
      const entries = (db.prepare('SELECT count(*) AS n FROM documents WHERE book_id = ? AND reg_date <= ? AND substr(reg_date, 1, 4) = ?').get(bookId, d.data, d.data.slice(0, 4)) as { n: number }).n;
      this.ctx.log({ actor: this.ctx.actorOf(act), action: 'book.close', entity: 'book', entityId: bookId, after: { until: d.data, entries } });
      return { book: bookId, until: d.data, entries, head: chainHead(db) };
    });
    const { checkpoint } = await this.anchors.write('close', { book: bookId, until: d.data }, closed.head);
    return { book: closed.book, until: closed.until, entries: closed.entries, checkpoint };
  }

  list(bookId?: string): ClosureDto[] {
    return this.ctx.db.prepare(`SELECT book_id AS book, until_date AS "until", closed_at AS closedAt, actor FROM closures ${bookId ? 'WHERE book_id = ?' : ''} ORDER BY book_id, until_date`).all(...(bookId ? [bookId] : [])) as ClosureDto[];
  }
}
