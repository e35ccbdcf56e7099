import type { Db } from '../db/connection';
import { words } from './search-columns';
import type { Phrase } from './search-rank';

/**
 * The register's vocabulary (table search_terms, migration 0100), so that a prefix the clerk is still
 * typing ("hoac") becomes the few whole words it stands for ("hoach"): FTS5 answers a prefix by
 * merging every posting of every word it covers before returning one row (no prefix index on this
 * table), which over a million documents cost more than the rest of the search; whole words are
 * walked newest first and the walk stops at the page. Words of digits only are not kept (every số
 * is one): a prefix of digits stays an FTS5 prefix. Words are added, never removed: a word whose last
 * document is gone only widens a query by a term that matches nothing.
 */
export const MAX_EXPANSION = 16;
const DIGITS = /^[0-9]+$/;

export class SearchTerms {
  private readonly insert;
  private readonly range;

  constructor(db: Db) {
    this.insert = db.prepare('INSERT OR IGNORE INTO search_terms (term) VALUES (?)');
    this.range = db.prepare<[string, string, number], string>('SELECT term FROM search_terms WHERE term >= ? AND term < ? LIMIT ?').pluck();
  }

  /** Keeps the vocabulary complete for a row written to the index (folded column values). */
  record(values: readonly string[]): void {
    const seen = new Set<string>();
    for (const v of values) for (const w of words(v)) if (!seen.has(w) && !DIGITS.test(w)) { seen.add(w); this.insert.run(w); }
  }

  /** A prefix phrase with the whole words it covers, when they are few; any other phrase as it is. */
  expand(p: Phrase): Phrase {
    if (!p.prefix || DIGITS.test(p.term)) return p;
    // U+10FFFF sorts after every character a word can continue with.
    const terms = this.range.all(p.term, `${p.term}\u{10FFFF}`, MAX_EXPANSION + 1);
    return terms.length > 0 && terms.length <= MAX_EXPANSION ? { ...p, terms } : p;
  }
}
