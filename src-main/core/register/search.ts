import { z } from 'zod';
import { vnFold } from '../../contract/text';
import type { Db } from '../db/connection';
import { bookIdSchema } from './records';
import { isoDaySchema } from '../../contract/register';

/**
 * The FTS5 columns (table doc_fts, created by migration 0020): one per searchable field plus the
 * extracted full text, all folded in the app (vnFold maps đ→d, which unicode61 does not).
 */
export const FTS_COLUMNS = ['code', 'type', 'organ', 'subject', 'signer', 'places', 'note', 'body'] as const;

/** The folded FTS column values of a document row. */
export function ftsValues(r: Record<string, unknown>, body: string): string[] {
  const f = (...xs: unknown[]) => vnFold(xs.filter((x) => typeof x === 'string' && x !== '').join(' '));
  const number = typeof r.number === 'number' ? String(r.number) : '';
  return [
    f(r.CodeNumber, r.CodeNotation, r.CodeNumber && r.CodeNotation ? `${r.CodeNumber}/${r.CodeNotation}` : '', number, r.DocumentId),
    f(r.TypeName),
    f(r.OrganName),
    f(r.Subject),
    f(r.SignerPosition, r.SignerFullName),
    f(r.ToPlaces, r.FileCopyHolder),
    f(r.Description, r.TraceHeaderList),
    vnFold(body),
  ];
}

/** Keeps doc_fts in step with documents and doc_text; called inside the writing transaction. */
export class SearchIndex {
  private readonly insertRow;
  private readonly deleteRow;
  private readonly doc;
  private readonly body;

  constructor(db: Db) {
    this.insertRow = db.prepare(`INSERT INTO doc_fts (rowid, ${FTS_COLUMNS.join(', ')}) VALUES (?, ${FTS_COLUMNS.map(() => '?').join(', ')})`);
    this.deleteRow = db.prepare('DELETE FROM doc_fts WHERE rowid = ?');
    this.doc = db.prepare<[number], Record<string, unknown>>('SELECT * FROM documents WHERE id = ?');
    this.body = db.prepare<[number], { body: string }>('SELECT body FROM doc_text WHERE doc_id = ?');
  }

  /** A new document (no text yet): the row as written, so it need not be read back. */
  add(id: number, row: Record<string, unknown>): void {
    this.insertRow.run(id, ...ftsValues(row, ''));
  }

  reindex(id: number): void {
    const row = this.doc.get(id)!;
    this.deleteRow.run(id);
    this.insertRow.run(id, ...ftsValues(row, this.body.get(id)?.body ?? ''));
  }
}

/**
 * Accent-blind, ranked, paginated search. Text is folded with vnFold on both sides, so "quyet dinh"
 * finds "Quyết định" and "dang" finds "Đặng". Each token becomes a quoted FTS5 prefix term: user input
 * never reaches the FTS5 query grammar.
 */
export const SEARCH_FIELDS = FTS_COLUMNS;
export type SearchField = (typeof FTS_COLUMNS)[number];

const terms = z.string().max(500);
export const searchQuerySchema = z.strictObject({
  text: terms.optional(),
  fields: z.partialRecord(z.enum(FTS_COLUMNS), terms).optional(),
  book: bookIdSchema.optional(),
  direction: z.enum(['den', 'di']).optional(),
  year: z.number().int().min(1900).max(9999).optional(),
  state: z.string().max(20).optional(),
  priorityAtLeast: z.number().int().min(0).max(4).optional(),
  dateFrom: isoDaySchema.optional(),
  dateTo: isoDaySchema.optional(),
  sort: z.enum(['rank', 'newest']).default('rank'),
  page: z.number().int().min(1).max(100_000).default(1),
  pageSize: z.number().int().min(1).max(200).default(20),
});
export type SearchQuery = z.input<typeof searchQuerySchema>;

/** Column weights for bm25: a hit in số/ký hiệu or trích yếu matters more than one in the body. */
const WEIGHTS = [10, 2, 3, 5, 2, 1, 1, 1];
/**
 * A query is answered from its newest RANK_WINDOW matches, read once: that read gives the total (exact
 * up to the window, "more than" beyond it) and the rows to rank. Counting every match of a common word
 * over a million rows, or ranking them all, is what made search slow; a clerk with thousands of
 * matches narrows the query rather than reading page 200.
 */
export const RANK_WINDOW = 2_000;
export const TOTAL_CAP = RANK_WINDOW;

function tokens(s: string): string[] {
  return vnFold(s)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .slice(0, 16);
}

/**
 * Whole words (Vietnamese words are syllables), except a last word of 3 or more letters, which is a
 * prefix because the clerk may still be typing it. Prefixes of one or two letters ("an", "vu") would
 * expand to hundreds of terms over a large register for no gain: such syllables are complete words.
 */
function termGroup(s: string): string | null {
  const t = tokens(s);
  const last = t.length - 1;
  return t.length === 0 ? null : `(${t.map((x, i) => (i === last && x.length >= 3 ? `"${x}"*` : `"${x}"`)).join(' AND ')})`;
}

export function buildMatch(q: { text?: string | undefined; fields?: Partial<Record<SearchField, string>> | undefined }): string | null {
  const parts: string[] = [];
  if (q.text) {
    const g = termGroup(q.text);
    if (g) parts.push(g);
  }
  for (const [field, value] of Object.entries(q.fields ?? {})) {
    const g = value ? termGroup(value) : null;
    if (g) parts.push(`{${field}} : ${g}`);
  }
  return parts.length ? parts.join(' AND ') : null;
}

export interface SearchPage<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
  /** True when there are more than TOTAL_CAP matches and `total` stopped counting. */
  totalCapped: boolean;
}

export function runSearch(db: Db, raw: SearchQuery): SearchPage<Record<string, unknown> & { score: number | null }> {
  const q = searchQuerySchema.parse(raw);
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  if (q.book) { where.push('d.book_id = @book'); params.book = q.book; }
  if (q.direction) { where.push('d.direction = @direction'); params.direction = q.direction; }
  if (q.year) { where.push('d.year = @year'); params.year = q.year; }
  if (q.state) { where.push('d.state = @state'); params.state = q.state; }
  if (q.priorityAtLeast !== undefined) { where.push('d.Priority >= @prio'); params.prio = q.priorityAtLeast; }
  if (q.dateFrom) { where.push('d.reg_date >= @from'); params.from = q.dateFrom; }
  if (q.dateTo) { where.push('d.reg_date <= @to'); params.to = q.dateTo; }
  const match = buildMatch(q);
  const offset = (q.page - 1) * q.pageSize;
  // Newest first keeps deep pages reachable: its walk stops at the page asked for, ranking needs none.
  params.cap = Math.max(TOTAL_CAP + 1, q.sort === 'newest' ? offset + q.pageSize : 0);
  let ids: Array<{ id: number; score: number | null }>;
  let total: number;
  if (match) {
    params.match = match;
    // The documents table joins in only when a filter needs it: otherwise the FTS index alone answers.
    const matches = where.length
      ? `FROM doc_fts JOIN documents d ON d.id = doc_fts.rowid WHERE doc_fts MATCH @match AND ${where.join(' AND ')}`
      : 'FROM doc_fts WHERE doc_fts MATCH @match';
    // FTS5 walks rowids newest first itself, so LIMIT stops the walk; bm25 is computed only when ranked.
    const score = q.sort === 'rank' ? `bm25(doc_fts, ${WEIGHTS.join(', ')})` : 'NULL';
    const window = db.prepare(`SELECT doc_fts.rowid AS id, ${score} AS score ${matches} ORDER BY doc_fts.rowid DESC LIMIT @cap`).all(params) as typeof ids;
    total = window.length;
    const shown = q.sort === 'rank' ? window.slice(0, TOTAL_CAP).sort((a, b) => a.score! - b.score! || b.id - a.id) : window;
    ids = shown.slice(offset, offset + q.pageSize);
  } else {
    const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
    params.limit = q.pageSize;
    params.offset = offset;
    ids = db.prepare(`SELECT d.id, NULL AS score FROM documents d ${filter} ORDER BY d.id DESC LIMIT @limit OFFSET @offset`).all(params) as typeof ids;
    total = (db.prepare(`SELECT count(*) AS n FROM (SELECT 1 FROM documents d ${filter} LIMIT ${TOTAL_CAP + 1})`).get(params) as { n: number }).n;
  }
  // Only the page's rows are read whole.
  const row = db.prepare<[number], Record<string, unknown>>('SELECT * FROM documents WHERE id = ?');
  const items = ids.map(({ id, score }) => ({ ...row.get(id)!, score }));
  return { items, page: q.page, pageSize: q.pageSize, total: Math.min(total, TOTAL_CAP), totalCapped: total > TOTAL_CAP };
}
