import type { Db } from '../db/connection';
import { vnFold } from '../../contract/text';
import { FTS_COLUMNS, FTS_SOURCE_COLUMNS, WEIGHTS, ftsValues, hasWord, joinParts } from './search-columns';

/** One term of a query as FTS5 sees it: a whole word or a prefix, in every column or in one. */
export interface Phrase {
  term: string;
  prefix: boolean;
  /** The FTS column the term is restricted to (a field search), or null for all columns. */
  column: string | null;
  /** For a prefix, the whole words it covers when known (search-terms.ts): matched instead of it. */
  terms?: readonly string[];
}

export function phraseMatch(p: Phrase, column: string | null = p.column): string {
  const t = p.terms ? `(${p.terms.map((x) => `"${x}"`).join(' OR ')})` : `"${p.term}"${p.prefix ? '*' : ''}`;
  return column ? `{${column}} : ${t}` : t;
}

// FTS5's bm25 constants (its documented defaults): the ranking below is its formula.
const K1 = 1.2;
const B = 0.75;
/**
 * A term's document frequency (the IDF input) is estimated from its newest IDF_HITS postings: the
 * share of the register they span, scaled to the whole. FTS5's own bm25 walks every posting of every
 * query word for it, which over a million documents costs more than the whole search. A term with
 * fewer postings is counted exactly, so on a small register the scores are exact.
 */
export const IDF_HITS = 200;

/** SQLite's varint (FTS5 stores its sizes and totals with it): 7 bits a byte, high bit = more. */
function varints(buf: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < buf.length; ) {
    let v = 0;
    for (let n = 0; ; n++) {
      const byte = buf[i++]!;
      if (n === 8) { v = v * 256 + byte; break; }
      v = v * 128 + (byte & 0x7f);
      if (!(byte & 0x80)) break;
    }
    out.push(v);
  }
  return out;
}

const SEP = '\u0001';
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

export interface IndexStats { rows: number; avgdl: number; frequency: (p: Phrase) => number }

/**
 * The index's totals (row count, average row length, newest rowid) and a term's estimated document
 * count: from its newest IDF_HITS postings, the share of the register they span, scaled to the whole.
 * Each term is counted once: a search asks for a field's terms when splitting its walk and again
 * when ranking.
 */
export function indexStats(db: Db): IndexStats {
  // The table's row count and token totals: FTS5's averages record (rowid 1 of its data table), as
  // FTS5's bm25 reads them. Deleting from a contentless table does not take a row out of them, so a
  // document indexed again (its text arrived) counts twice there: both grow alike, the average barely moves.
  // An index never written to has no such record yet.
  const block = db.prepare('SELECT block FROM doc_fts_data WHERE id = 1').pluck().get() as Uint8Array | undefined;
  const totals = block ? varints(block) : [0];
  const rows = totals[0]!;
  const newest = db.prepare('SELECT max(id) FROM doc_fts_docsize').pluck().get() as number;
  const hits = db.prepare('SELECT rowid FROM doc_fts WHERE doc_fts MATCH ? ORDER BY rowid DESC LIMIT ?').pluck();
  const counted = new Map<string, number>();
  const frequency = (p: Phrase): number => {
    const match = phraseMatch(p);
    let n = counted.get(match);
    if (n === undefined) {
      const newestHits = hits.all(match, IDF_HITS) as number[];
      n = newestHits.length < IDF_HITS ? newestHits.length : Math.min(rows, (IDF_HITS * rows) / Math.max(1, newest - newestHits.at(-1)! + 1));
      counted.set(match, n);
    }
    return n;
  };
  return { rows, avgdl: sum(totals.slice(1)) / rows, frequency };
}

/**
 * bm25 with FTS5's formula and the column weights, over a bounded candidate window. FTS5's own bm25
 * cannot be used on this index: with detail=column it finds the columns a term is in by re-reading the
 * row's text, which a contentless table does not keep, so it scores every row 0. Here a candidate's
 * columns are re-derived from its documents row (the index is written from the same row, search.ts),
 * its length comes from the FTS5 size table, and a term counts once per column holding it (detail=
 * column records which columns hold a term, not how often). Lower is better, as in FTS5.
 */
export function rankWindow(db: Db, phrases: readonly Phrase[], ids: readonly number[], stats: () => IndexStats = () => indexStats(db)): Map<number, number> {
  const scores = new Map<number, number>();
  if (ids.length === 0) return scores;
  const { rows, avgdl, frequency } = stats();

  // Each candidate's source columns and its FTS5 sizes, in one statement.
  const found = db.prepare(`SELECT d.id, s.sz, ${FTS_SOURCE_COLUMNS.map((c) => `d.${c}`).join(', ')} FROM json_each(?) j
    JOIN documents d ON d.id = j.value JOIN doc_fts_docsize s ON s.id = j.value`).all(JSON.stringify(ids)) as Array<Record<string, unknown> & { id: number; sz: Uint8Array }>;
  const rowsOf = found.map((row) => {
    const sizes = varints(row.sz);
    // One fold a row: the column values joined by a character no word holds (a value that holds it
    // anyway is folded column by column).
    const joined = vnFold(ftsValues(row, '', joinParts).join(SEP)).split(SEP);
    const columns = joined.length === FTS_COLUMNS.length ? joined : ftsValues(row, '');
    return { id: row.id, length: sum(sizes), hasBody: (sizes[FTS_COLUMNS.indexOf('body')] ?? 0) > 0, columns };
  });
  // The body is the one column not re-read (it can be a whole PDF's text): asked of the index, for
  // the candidates' rowid range only. Rowids are bound through CAST: FTS5 seeks to a rowid bound only
  // when it is an integer, and better-sqlite3 binds a JS number as a real.
  const withBody = rowsOf.filter((r) => r.hasBody).map((r) => r.id);
  const inBody = db.prepare('SELECT rowid FROM doc_fts WHERE doc_fts MATCH ? AND rowid BETWEEN CAST(? AS INTEGER) AND CAST(? AS INTEGER)').pluck();

  for (const p of phrases) {
    const n = frequency(p);
    const idf = Math.max(Math.log((rows - n + 0.5) / (n + 0.5)), 1e-6);
    const bodyHits = p.column === null || p.column === 'body'
      ? new Set(withBody.length ? (inBody.all(phraseMatch(p, 'body'), Math.min(...withBody), Math.max(...withBody)) as number[]) : [])
      : new Set<number>();
    for (const r of rowsOf) {
      let f = 0;
      FTS_COLUMNS.forEach((column, c) => {
        if (p.column !== null && p.column !== column) return;
        if (column === 'body' ? bodyHits.has(r.id) : hasWord(r.columns[c]!, p.term, p.prefix)) f += WEIGHTS[column];
      });
      const s = idf * ((f * (K1 + 1)) / (f + K1 * (1 - B + (B * r.length) / avgdl)));
      scores.set(r.id, (scores.get(r.id) ?? 0) - s);
    }
  }
  return scores;
}
