import * as z from 'zod';
import { PAGE_SIZE_MAX, YEAR_MAX, YEAR_MIN } from '../../contract/limits';
import { vnFold } from '../../contract/text';
import { DIRECTIONS } from '../../contract/vocabulary';
import type { Db } from '../db/connection';
import { bookIdSchema } from './records';
import { isoDaySchema } from '../../contract/register';
import { FTS_COLUMNS, ftsValues, words, type SearchField } from './search-columns';
import { checkedColumns, rowCheck, splitWalk } from './search-fields';
import { indexStats, phraseMatch, rankWindow, type IndexStats, type Phrase } from './search-rank';
import { SearchTerms } from './search-terms';

export type { SearchField } from './search-columns';

/** Keeps doc_fts (and the vocabulary, search-terms.ts) in step with documents and doc_text; called inside the writing transaction. */
export class SearchIndex {
  private readonly insertRow;
  private readonly deleteRow;
  private readonly doc;
  private readonly body;
  private readonly terms;

  constructor(db: Db) {
    this.insertRow = db.prepare(`INSERT INTO doc_fts (rowid, ${FTS_COLUMNS.join(', ')}) VALUES (?, ${FTS_COLUMNS.map(() => '?').join(', ')})`);
    this.deleteRow = db.prepare('DELETE FROM doc_fts WHERE rowid = ?');
    this.doc = db.prepare<[number], Record<string, unknown>>('SELECT * FROM documents WHERE id = ?');
    this.body = db.prepare<[number], { body: string }>('SELECT body FROM doc_text WHERE doc_id = ?');
    this.terms = new SearchTerms(db);
  }

  /** A new document (no text yet): the row as written, so it need not be read back. */
  add(id: number, row: Record<string, unknown>): void {
    this.write(id, ftsValues(row, ''));
  }

  reindex(id: number): void {
    const row = this.doc.get(id)!;
    this.deleteRow.run(id);
    this.write(id, ftsValues(row, this.body.get(id)?.body ?? ''));
  }

  private write(id: number, values: string[]): void {
    this.insertRow.run(id, ...values);
    this.terms.record(values);
  }
}

/**
 * Accent-blind, ranked, paginated search. Text is folded with vnFold on both sides, so "quyet dinh"
 * finds "Quyết định" and "dang" finds "Đặng". Each token becomes a quoted FTS5 prefix term: user input
 * never reaches the FTS5 query grammar.
 */
export const SEARCH_FIELDS = FTS_COLUMNS;

const terms = z.string().max(500);
export const searchQuerySchema = z.strictObject({
  text: terms.optional(),
  fields: z.partialRecord(z.enum(FTS_COLUMNS), terms).optional(),
  book: bookIdSchema.optional(),
  direction: z.enum(DIRECTIONS).optional(),
  year: z.number().int().min(YEAR_MIN).max(YEAR_MAX).optional(),
  state: z.string().max(20).optional(),
  priorityAtLeast: z.number().int().min(0).max(4).optional(),
  dateFrom: isoDaySchema.optional(),
  dateTo: isoDaySchema.optional(),
  sort: z.enum(['rank', 'newest']).default('rank'),
  page: z.number().int().min(1).max(100_000).default(1),
  pageSize: z.number().int().min(1).max(PAGE_SIZE_MAX).default(20),
});
export type SearchQuery = z.input<typeof searchQuerySchema>;

/**
 * A query is answered from its newest TOTAL_CAP matches, read once in one newest-first walk of the
 * index that stops there: the walk gives the total (exact up to the cap, "more than" beyond it).
 * Counting every match of a common word over a million rows is what made search slow; a clerk with
 * thousands of matches narrows the query rather than reading page 200.
 */
export const TOTAL_CAP = 2_000;
/**
 * Ranking orders the newest RANK_WINDOW of those matches, best first, and the older ones follow newest
 * first: ranking costs a read of each candidate's row, so the candidate set is bounded whatever the
 * word (search-rank.ts).
 */
export const RANK_WINDOW = 200;

function tokens(s: string): string[] {
  return words(vnFold(s)).slice(0, 16);
}

/**
 * Whole words (Vietnamese words are syllables), except a last word of 3 or more letters, which is a
 * prefix because the clerk may still be typing it. Prefixes of one or two letters ("an", "vu") would
 * expand to hundreds of terms over a large register for no gain: such syllables are complete words.
 */
function termGroup(s: string, column: SearchField | null): Phrase[] {
  const t = tokens(s);
  return t.map((term, i) => ({ term, prefix: i === t.length - 1 && term.length >= 3, column }));
}

/** The query's terms, in the order FTS5 numbers its phrases: the free text, then each field. */
export function queryPhrases(q: { text?: string | undefined; fields?: Partial<Record<SearchField, string>> | undefined }): { text: Phrase[]; fields: Phrase[] } {
  const fields = Object.entries(q.fields ?? {}).flatMap(([field, value]) => (value ? termGroup(value, field as SearchField) : []));
  return { text: q.text ? termGroup(q.text, null) : [], fields };
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
  const { text, fields } = queryPhrases(q);
  const vocabulary = new SearchTerms(db);
  const phrases = [...text, ...fields].map((p) => vocabulary.expand(p));
  // A pure field filter is not ranked: every match holds the same terms in the same column, so bm25
  // would only order them by length. Newest first answers it.
  const ranked = q.sort === 'rank' && text.length > 0;
  const offset = (q.page - 1) * q.pageSize;
  // Newest first keeps deep pages reachable: its walk stops at the page asked for, ranking needs none.
  params.cap = Math.max(TOTAL_CAP + 1, ranked ? 0 : offset + q.pageSize);
  let ids: Array<{ id: number; score: number | null }>;
  let total: number;
  if (phrases.length) {
    // Each term quoted: user input never reaches the FTS5 query grammar.
    // A field's common words are checked on the rows the walk finds rather than walked (search-fields.ts).
    // The index's totals and term counts, read once for the split and the ranking, and only if asked.
    let counted: IndexStats | undefined;
    const stats = () => (counted ??= indexStats(db));
    const { walk, onRow } = splitWalk(db, phrases, stats);
    params.match = walk.map((p) => phraseMatch(p)).join(' AND ');
    // The documents table joins in only when a filter or a row check needs it: otherwise the FTS index alone answers.
    const joined = where.length > 0 || onRow.length > 0;
    const matches = joined
      ? `FROM doc_fts JOIN documents d ON d.id = doc_fts.rowid WHERE ${['doc_fts MATCH @match', ...where].join(' AND ')}`
      : 'FROM doc_fts WHERE doc_fts MATCH @match';
    let window: number[];
    if (onRow.length) {
      // The walk goes on until `cap` rows pass the check: the same rows, in the same order, as walking every term.
      const { cap, ...bound } = params;
      const check = rowCheck(onRow);
      window = [];
      const rows = db.prepare(`SELECT doc_fts.rowid AS id, ${checkedColumns(onRow).map((c) => `d.${c}`).join(', ')} ${matches} ORDER BY doc_fts.rowid DESC`).iterate(bound) as Iterable<Record<string, unknown> & { id: number }>;
      for (const row of rows) if (check(row) && window.push(row.id) >= (cap as number)) break;
    } else {
      // FTS5 walks rowids newest first itself, so LIMIT stops the walk.
      window = db.prepare(`SELECT doc_fts.rowid ${matches} ORDER BY doc_fts.rowid DESC LIMIT @cap`).pluck().all(params) as number[];
    }
    total = window.length;
    let shown: Array<{ id: number; score: number | null }>;
    if (ranked) {
      const scores = rankWindow(db, phrases, window.slice(0, RANK_WINDOW), stats);
      const best = [...scores].map(([id, score]) => ({ id, score })).sort((a, b) => a.score - b.score || b.id - a.id);
      shown = [...best, ...window.slice(RANK_WINDOW, TOTAL_CAP).map((id) => ({ id, score: null }))];
    } else {
      shown = window.map((id) => ({ id, score: null }));
    }
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
