import * as z from 'zod';
import { PAGE_SIZE_MAX, YEAR_MAX, YEAR_MIN } from '../../contract/limits';
import { nfc } from '../../contract/text';
import type { ActOptions, RegisterContext } from './context';
import { documentDto, type AssignmentDto, type AttachmentDto, type DocumentDetailDto, type DocumentDto, type RecipientDto, type StatusEventDto, type TransitionDto } from './dto';
import { invalid, notFound } from './errors';
import { issuePaths } from './records';
import { runSearch, searchQuerySchema, type SearchPage, type SearchQuery } from './search';

const listQuerySchema = z.strictObject({
  book: z.string().max(32),
  year: z.number().int().min(YEAR_MIN).max(YEAR_MAX),
  page: z.number().int().min(1).max(10_000_000).default(1),
  pageSize: z.number().int().min(1).max(PAGE_SIZE_MAX).default(50),
});

/** How many nơi nhận a văn bản đi's list row names (its page shows them all). */
const LIST_RECIPIENTS = 3;

/** Reading and search: a document with its history, register pages in number order, saved searches. */
export class Reading {
  constructor(private readonly ctx: RegisterContext, private readonly attachments: (docId: number) => AttachmentDto[]) {}

  get(id: number): DocumentDetailDto {
    const { db } = this.ctx;
    const document = this.ctx.getDoc(id);
    const recipients = db.prepare('SELECT id, OrganId, OrganName, status_code AS statusCode, status_at AS statusAt FROM recipients WHERE doc_id = ? ORDER BY ord').all(id) as RecipientDto[];
    const assignments = db.prepare('SELECT id, role, unit, person, opinion, due_date AS dueDate, assigned_by AS assignedBy, assigned_at AS assignedAt FROM assignments WHERE doc_id = ? ORDER BY id').all(id) as AssignmentDto[];
    const statusHistory = db.prepare('SELECT id, recipient_id AS recipientId, code, at, note FROM status_events WHERE doc_id = ? ORDER BY id').all(id) as StatusEventDto[];
    const transitions = db.prepare('SELECT id, from_state AS "from", to_state AS "to", at, actor, note FROM transitions WHERE doc_id = ? ORDER BY id').all(id) as TransitionDto[];
    return { document, recipients, assignments, statusHistory, transitions, attachments: this.attachments(id) };
  }

  /**
   * A register page in number order (the book as printed). Pages are cut by number, not by OFFSET:
   * numbers are gap-free, so page k starts after number (k−1)·size, found through the index at any depth.
   */
  list(q: { book: string; year: number; page?: number; pageSize?: number }): SearchPage<DocumentDto> {
    const parsed = listQuerySchema.safeParse(q);
    if (!parsed.success) throw invalid('Điều kiện xem sổ không hợp lệ.', `list: ${issuePaths(parsed.error)}`);
    const p = parsed.data;
    const rows = this.ctx.db
      .prepare('SELECT * FROM documents WHERE book_id = ? AND year = ? AND number > ? ORDER BY number LIMIT ?')
      .all(p.book, p.year, (p.page - 1) * p.pageSize, p.pageSize) as Record<string, unknown>[];
    const total = (this.ctx.db.prepare('SELECT last_number AS n FROM book_counters WHERE book_id = ? AND year = ?').get(p.book, p.year) as { n: number } | undefined)?.n ?? 0;
    return { items: this.withRecipients(rows.map(documentDto)), page: p.page, pageSize: p.pageSize, total, totalCapped: false };
  }

  search(q: SearchQuery): SearchPage<DocumentDto & { score: number | null }> {
    const parsed = searchQuerySchema.safeParse(q);
    if (!parsed.success) throw invalid('Điều kiện tìm kiếm không hợp lệ.', `search: ${issuePaths(parsed.error)}`);
    const r = runSearch(this.ctx.db, parsed.data);
    // bm25 can be -0, which JSON turns into 0: normalise so both transports agree.
    return { ...r, items: this.withRecipients(r.items.map((row) => ({ ...documentDto(row), score: row.score === null ? null : row.score + 0 }))) };
  }

  /** A page's văn bản đi with their first nơi nhận, for the list's "Nơi ban hành / nơi nhận" column: one query per page. */
  private withRecipients<T extends DocumentDto>(items: T[]): T[] {
    const ids = items.filter((d) => d.direction === 'di').map((d) => d.id);
    if (ids.length === 0) return items;
    const rows = this.ctx.db
      .prepare('SELECT doc_id, OrganName FROM recipients WHERE doc_id IN (SELECT value FROM json_each(?)) AND ord <= ? ORDER BY doc_id, ord')
      .all(JSON.stringify(ids), LIST_RECIPIENTS) as Array<{ doc_id: number; OrganName: string }>;
    const names = new Map<number, string[]>();
    for (const r of rows) names.set(r.doc_id, [...(names.get(r.doc_id) ?? []), r.OrganName]);
    return items.map((d) => (d.direction === 'di' ? { ...d, recipients: names.get(d.id) ?? [] } : d));
  }

  saveSearch(name: string, q: SearchQuery, act: ActOptions = {}): { id: number; name: string } {
    const parsedName = z.string().transform(nfc).pipe(z.string().trim().min(1).max(200)).safeParse(name);
    const parsed = searchQuerySchema.safeParse(q);
    if (!parsedName.success || !parsed.success) throw invalid('Tên hoặc điều kiện tìm kiếm không hợp lệ.', 'saved search invalid');
    return this.ctx.write(() => {
      const id = Number(this.ctx.db.prepare('INSERT INTO saved_searches (name, query, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET query = excluded.query').run(parsedName.data, JSON.stringify(q), this.ctx.nowIso()).lastInsertRowid);
      this.ctx.log({ actor: this.ctx.actorOf(act), action: 'search.save', entity: 'saved_search', entityId: parsedName.data, after: q });
      return { id, name: parsedName.data };
    });
  }

  savedSearches(): Array<{ id: number; name: string; query: SearchQuery }> {
    return (this.ctx.db.prepare('SELECT id, name, query FROM saved_searches ORDER BY name').all() as Array<{ id: number; name: string; query: string }>).map((r) => ({ ...r, query: JSON.parse(r.query) as SearchQuery }));
  }

  runSavedSearch(name: string, page = 1): SearchPage<DocumentDto & { score: number | null }> {
    const row = this.ctx.db.prepare('SELECT query FROM saved_searches WHERE name = ?').get(name) as { query: string } | undefined;
    if (!row) throw notFound('tìm kiếm đã lưu', name);
    return this.search({ ...(JSON.parse(row.query) as SearchQuery), page });
  }
}
