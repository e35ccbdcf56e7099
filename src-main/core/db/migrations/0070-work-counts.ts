import type { Db } from '../connection';

// Frozen with this migration: the fields a document's alerts depend on (register/deadlines.ts,
// alertClass), as they were at version 70.
const KEY = (r: string) =>
  `${r}.direction, ${r}.state, ${r}.Priority >= 1, ${r}.signed_at IS NOT NULL, coalesce(${r}.DueDate, ''), coalesce(${r}.DueTime, '')`;
const SAME_KEY = (r: string) =>
  `direction = ${r}.direction AND state = ${r}.state AND urgent = (${r}.Priority >= 1) AND signed = (${r}.signed_at IS NOT NULL)
   AND due_date = coalesce(${r}.DueDate, '') AND due_time = coalesce(${r}.DueTime, '')`;

/**
 * The "Hôm nay" dashboard and the navigation counts read this table instead of the documents: one row
 * per class of documents that share everything their deadline alerts depend on (direction, state,
 * urgency, signed or not, due day and hour) with how many documents are in it. A few hundred rows at
 * most, whatever the register's size, so the first screen costs the same at a million documents.
 * SQL triggers keep it exact for every writer (registration, workflow, import, the exchange's own
 * connection, another tool on the file); the count is derived data, so the audit chain does not
 * record it, and a restored backup carries the table consistent with its documents.
 */
export const m0070WorkCounts = {
  version: 70,
  name: '0070-work-counts',
  up(db: Db) {
    db.exec(`
      CREATE TABLE work_counts (
        direction TEXT NOT NULL,
        state TEXT NOT NULL,
        urgent INTEGER NOT NULL,
        signed INTEGER NOT NULL,
        due_date TEXT NOT NULL,
        due_time TEXT NOT NULL,
        n INTEGER NOT NULL CHECK (n >= 0),
        PRIMARY KEY (direction, state, urgent, signed, due_date, due_time)
      ) STRICT, WITHOUT ROWID;
      INSERT INTO work_counts SELECT ${KEY('d')}, count(*) FROM documents d GROUP BY 1, 2, 3, 4, 5, 6;
      CREATE TRIGGER work_counts_insert AFTER INSERT ON documents BEGIN
        INSERT INTO work_counts VALUES (${KEY('NEW')}, 1) ON CONFLICT DO UPDATE SET n = n + 1;
      END;
      CREATE TRIGGER work_counts_delete AFTER DELETE ON documents BEGIN
        UPDATE work_counts SET n = n - 1 WHERE ${SAME_KEY('OLD')};
      END;
      CREATE TRIGGER work_counts_update AFTER UPDATE OF direction, state, Priority, signed_at, DueDate, DueTime ON documents
        WHEN (${KEY('OLD')}) IS NOT (${KEY('NEW')})
      BEGIN
        UPDATE work_counts SET n = n - 1 WHERE ${SAME_KEY('OLD')};
        INSERT INTO work_counts VALUES (${KEY('NEW')}, 1) ON CONFLICT DO UPDATE SET n = n + 1;
      END;
    `);
  },
};
