import type { Migration } from './index';

/**
 * documents_book_list (book_id, year, number) repeated the index SQLite builds for the table's UNIQUE
 * (book_id, year, number): every registration wrote both, one page each, and every query that could
 * use one uses the other. The unique one stays. No registered row changes, so the audit chain needs
 * no new baseline (`keepsRows`).
 */
export const m0095RegisterIndexes: Migration = {
  version: 95,
  name: '0095-register-indexes',
  keepsRows: true,
  up(db) {
    db.exec('DROP INDEX IF EXISTS documents_book_list;');
  },
};
