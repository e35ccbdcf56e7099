import type { Migration } from './index';

/**
 * The register's vocabulary for search (register/search-terms.ts): every word of the full-text index
 * but words of digits only, read from the index itself through FTS5's vocabulary table. No registered
 * row changes (`keepsRows`). About a million distinct words, read in ~1.5 s, at a million documents.
 */
export const m0100SearchTerms: Migration = {
  version: 100,
  name: '0100-search-terms',
  keepsRows: true,
  up(db) {
    db.exec(`
      CREATE TABLE search_terms (term TEXT PRIMARY KEY) STRICT, WITHOUT ROWID;
      CREATE VIRTUAL TABLE temp.m0100_vocab USING fts5vocab(main, doc_fts, row);
      INSERT INTO search_terms SELECT term FROM temp.m0100_vocab WHERE term GLOB '*[^0-9]*';
      DROP TABLE temp.m0100_vocab;
    `);
  },
};
