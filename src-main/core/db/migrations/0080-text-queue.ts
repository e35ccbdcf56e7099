import type { Migration } from './index';

/**
 * Attachments whose text is still to be read into the search index. Reading a PDF's text costs far
 * more than storing it, so a caller that receives in bulk (the exchange) stores the file at once and
 * leaves a row here; the register's background indexer empties the queue, and a row left by a crash or
 * a shutdown is picked up at the next start (docs/exchange.md §3).
 */
export const m0080TextQueue: Migration = {
  version: 80,
  name: '0080-text-queue',
  up(db) {
    db.exec(`
      CREATE TABLE text_queue (
        attachment_id INTEGER PRIMARY KEY,
        doc_id INTEGER NOT NULL,
        queued_at TEXT NOT NULL,
        tries INTEGER NOT NULL DEFAULT 0,
        last_error TEXT
      ) STRICT;
    `);
  },
};
