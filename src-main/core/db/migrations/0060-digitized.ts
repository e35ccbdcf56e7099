import type { Migration } from './index';

/**
 * Provenance of digitised files: the SHA-256 of every PDF this workstation produced by scanning or
 * importing paper. The agency-signature exception for digitised documents (regulation Điều 17.4.c)
 * applies only to files found here, never to a flag carried by the file (docs/digitization.md §5).
 * Rows are append-only: a provenance that could be edited could be forged after the fact.
 */
export const m0060Digitized: Migration = {
  version: 60,
  name: '0060-digitized',
  up(db) {
    db.exec(`
      CREATE TABLE digitized_files (
        sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),
        created_at TEXT NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('scan', 'import')),
        page_count INTEGER NOT NULL CHECK (page_count > 0),
        conforms INTEGER NOT NULL CHECK (conforms IN (0, 1)),
        ocr INTEGER NOT NULL CHECK (ocr IN (0, 1)),
        actor TEXT NOT NULL
      ) STRICT;
      CREATE TRIGGER digitized_files_no_update BEFORE UPDATE ON digitized_files BEGIN SELECT RAISE(ABORT, 'PROVENANCE_APPEND_ONLY'); END;
      CREATE TRIGGER digitized_files_no_delete BEFORE DELETE ON digitized_files BEGIN SELECT RAISE(ABORT, 'PROVENANCE_APPEND_ONLY'); END;
    `);
  },
};
