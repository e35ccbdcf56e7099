import { vnFold } from '../../contract/text';
import type { Db } from '../db/connection';
import { FTS_COLUMNS, SOURCES_OF, ftsValues, hasWord, joinParts, type SearchField } from './search-columns';
import { indexStats, type IndexStats, type Phrase } from './search-rank';

/**
 * Which of a query's terms the full-text walk intersects, and which are checked on the rows it finds.
 * A field's words are dense and tied together: "so noi vu" is "so" in 70 % of a register's agencies,
 * "nguyen van an" is "van" in most signers, and FTS5's cost is intersecting those posting lists (tens
 * of milliseconds at a million documents). Within one field, its rarest word already narrows the rows
 * about as much as all of them (a signer or an agency is one of a few hundred values), so the walk
 * keeps that one and the field's other words are tested on each row found, in the column's folded
 * value the index was written from (search-columns.ts). The text's words and the body column stay in
 * the walk (the body is not on the row); so does a prefix FTS5 answers as a prefix (estimating how
 * common it is would cost the merge the walk avoids).
 */
export function splitWalk(db: Db, phrases: readonly Phrase[], stats: () => IndexStats = () => indexStats(db)): { walk: Phrase[]; onRow: Phrase[] } {
  const checkable = (p: Phrase) => p.column !== null && p.column !== 'body' && (!p.prefix || p.terms !== undefined);
  const byColumn = new Map<string, Phrase[]>();
  for (const p of phrases) if (checkable(p)) byColumn.set(p.column!, [...(byColumn.get(p.column!) ?? []), p]);
  const onRow = new Set<Phrase>();
  const columns = [...byColumn.values()].filter((ps) => ps.length > 1);
  if (columns.length) {
    const { frequency } = stats();
    for (const ps of columns) {
      const rarest = ps.map((p) => ({ p, n: frequency(p) })).sort((a, b) => a.n - b.n)[0]!.p;
      for (const p of ps) if (p !== rarest) onRow.add(p);
    }
  }
  return { walk: phrases.filter((p) => !onRow.has(p)), onRow: [...onRow] };
}

/** The documents columns a row check of these terms reads. */
export function checkedColumns(onRow: readonly Phrase[]): string[] {
  return [...new Set(onRow.flatMap((p) => SOURCES_OF[p.column as SearchField]))];
}

/**
 * A test of a documents row (its checkedColumns at least) against terms left out of the walk. A field holds few distinct values, so
 * each value is folded and judged once per query.
 */
export function rowCheck(onRow: readonly Phrase[]): (row: Record<string, unknown>) => boolean {
  const tests = onRow.map((p) => ({ c: FTS_COLUMNS.indexOf(p.column as SearchField), p, seen: new Map<string, boolean>() }));
  return (row) => {
    const values = ftsValues(row, '', joinParts);
    return tests.every(({ c, p, seen }) => {
      const value = values[c]!;
      let ok = seen.get(value);
      if (ok === undefined) seen.set(value, (ok = hasWord(vnFold(value), p.term, p.prefix)));
      return ok;
    });
  };
}
