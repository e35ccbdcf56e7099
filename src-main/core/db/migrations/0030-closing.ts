import type { Db } from '../connection';

/**
 * Đóng sổ: a closure freezes a register's entries up to a date. Enforced in SQL so no code path (or
 * another tool on the same file) can edit, delete or back-date an entry into a closed period.
 * Workflow columns (state, hand-over and completion times) stay writable: handling goes on after the
 * printed register is bound.
 */
const REGISTER_COLUMNS = [
  'book_id', 'direction', 'year', 'number', 'reg_date', 'TypeName', 'CodeNumber', 'CodeNotation', 'IssuedDate',
  'OrganName', 'Subject', 'Language', 'PageAmount', 'Description', 'SignerPosition', 'SignerFullName', 'Priority',
  'Secrecy', 'IssuedAmount', 'ArrivalDate', 'ToPlaces', 'DocumentId', 'FileCopyHolder',
];

export const m0030Closing = {
  version: 30,
  name: '0030-closing',
  up(db: Db) {
    const covered = (alias: string) =>
      `EXISTS (SELECT 1 FROM closures c WHERE c.book_id = ${alias}.book_id AND ${alias}.reg_date IS NOT NULL AND ${alias}.reg_date <= c.until_date AND substr(c.until_date, 1, 4) = substr(${alias}.reg_date, 1, 4))`;
    db.exec(`
      CREATE TABLE closures (
        id INTEGER PRIMARY KEY,
        book_id TEXT NOT NULL REFERENCES books(id),
        until_date TEXT NOT NULL CHECK (until_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
        closed_at TEXT NOT NULL,
        actor TEXT NOT NULL,
        UNIQUE (book_id, until_date)
      ) STRICT;
      CREATE TRIGGER closures_no_update BEFORE UPDATE ON closures BEGIN SELECT RAISE(ABORT, 'REGISTER_CLOSED'); END;
      CREATE TRIGGER closures_no_delete BEFORE DELETE ON closures BEGIN SELECT RAISE(ABORT, 'REGISTER_CLOSED'); END;
      CREATE TRIGGER documents_closed_update BEFORE UPDATE OF ${REGISTER_COLUMNS.join(', ')} ON documents
        WHEN ${covered('OLD')} OR ${covered('NEW')}
        BEGIN SELECT RAISE(ABORT, 'REGISTER_CLOSED'); END;
      CREATE TRIGGER documents_closed_delete BEFORE DELETE ON documents WHEN ${covered('OLD')}
        BEGIN SELECT RAISE(ABORT, 'REGISTER_CLOSED'); END;
      CREATE TRIGGER documents_closed_insert BEFORE INSERT ON documents WHEN ${covered('NEW')}
        BEGIN SELECT RAISE(ABORT, 'REGISTER_CLOSED'); END;
      CREATE INDEX closures_book ON closures (book_id, until_date);
    `);
  },
};
