import type { Db } from '../connection';

/**
 * Registers (sổ) and their per-year counters, documents with the Phụ lục VI fields (tags as column
 * names), outgoing recipients, leaders' assignments, exchange status history, workflow transitions,
 * hồ sơ, attachment metadata and the append-only audit chain.
 */
export const m0010Initial = {
  version: 10,
  name: '0010-initial',
  up(db: Db) {
    db.exec(`
      CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;

      CREATE TABLE books (
        id TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 32),
        direction TEXT NOT NULL CHECK (direction IN ('den', 'di')),
        kind TEXT NOT NULL CHECK (kind IN ('normal', 'copies', 'secret')),
        name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        notation TEXT CHECK (notation IS NULL OR length(notation) <= 30),
        created_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE book_counters (
        book_id TEXT NOT NULL REFERENCES books(id),
        year INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 9999),
        last_number INTEGER NOT NULL CHECK (last_number >= 0),
        PRIMARY KEY (book_id, year)
      ) STRICT;

      CREATE TABLE documents (
        id INTEGER PRIMARY KEY,
        book_id TEXT NOT NULL REFERENCES books(id),
        direction TEXT NOT NULL CHECK (direction IN ('den', 'di')),
        state TEXT NOT NULL,
        year INTEGER,
        number INTEGER CHECK (number IS NULL OR number >= 1),
        reg_date TEXT,
        TypeName TEXT NOT NULL CHECK (length(TypeName) <= 100),
        CodeNumber TEXT CHECK (length(CodeNumber) <= 11),
        CodeNotation TEXT CHECK (length(CodeNotation) <= 30),
        IssuedDate TEXT,
        OrganName TEXT CHECK (length(OrganName) <= 200),
        Subject TEXT NOT NULL CHECK (length(Subject) <= 500),
        Language TEXT CHECK (length(Language) <= 30),
        PageAmount INTEGER CHECK (PageAmount BETWEEN 0 AND 999),
        Description TEXT CHECK (length(Description) <= 500),
        SignerPosition TEXT CHECK (length(SignerPosition) <= 100),
        SignerFullName TEXT CHECK (length(SignerFullName) <= 50),
        Priority INTEGER NOT NULL DEFAULT 0 CHECK (Priority BETWEEN 0 AND 4),
        Secrecy INTEGER NOT NULL DEFAULT 0 CHECK (Secrecy BETWEEN 0 AND 3),
        IssuedAmount INTEGER CHECK (IssuedAmount BETWEEN 0 AND 999),
        DueDate TEXT,
        DueTime TEXT,
        ArrivalDate TEXT,
        ToPlaces TEXT CHECK (length(ToPlaces) <= 1000),
        TraceHeaderList TEXT CHECK (length(TraceHeaderList) <= 100000),
        DocumentId TEXT CHECK (length(DocumentId) <= 100),
        Paper INTEGER NOT NULL DEFAULT 0 CHECK (Paper IN (0, 1)),
        FileCopyHolder TEXT CHECK (length(FileCopyHolder) <= 200),
        received_at TEXT,
        registered_at TEXT,
        signed_at TEXT,
        issued_at TEXT,
        sent_at TEXT,
        handed_at TEXT,
        completed_at TEXT,
        recalled_at TEXT,
        recall_reason TEXT,
        corrected_by INTEGER REFERENCES documents(id),
        created_at TEXT NOT NULL,
        UNIQUE (book_id, year, number)
      ) STRICT;
      -- Số + ký hiệu unique within the year for what we issue (Điều 15).
      CREATE UNIQUE INDEX documents_out_code ON documents (year, CodeNumber, CodeNotation)
        WHERE direction = 'di' AND number IS NOT NULL;
      CREATE INDEX documents_dup_id ON documents (DocumentId) WHERE DocumentId IS NOT NULL;
      CREATE INDEX documents_dup_code ON documents (CodeNumber, CodeNotation);
      CREATE INDEX documents_book_list ON documents (book_id, year, number);
      CREATE INDEX documents_state ON documents (state, Priority);
      CREATE INDEX documents_due ON documents (DueDate) WHERE DueDate IS NOT NULL;

      CREATE TABLE recipients (
        id INTEGER PRIMARY KEY,
        doc_id INTEGER NOT NULL REFERENCES documents(id),
        ord INTEGER NOT NULL,
        OrganId TEXT CHECK (length(OrganId) <= 13),
        OrganName TEXT NOT NULL CHECK (length(OrganName) <= 200),
        status_code TEXT CHECK (status_code IS NULL OR length(status_code) = 2),
        status_at TEXT,
        UNIQUE (doc_id, ord)
      ) STRICT;

      CREATE TABLE assignments (
        id INTEGER PRIMARY KEY,
        doc_id INTEGER NOT NULL REFERENCES documents(id),
        role TEXT NOT NULL CHECK (role IN ('chu_tri', 'phoi_hop', 'de_biet')),
        unit TEXT CHECK (length(unit) <= 200),
        person TEXT CHECK (length(person) <= 100),
        opinion TEXT CHECK (length(opinion) <= 2000),
        due_date TEXT,
        assigned_by TEXT NOT NULL,
        assigned_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX assignments_doc ON assignments (doc_id);

      -- Exchange status codes (docs/register.md, "Workflow"), per recipient for outgoing, ours for incoming.
      CREATE TABLE status_events (
        id INTEGER PRIMARY KEY,
        doc_id INTEGER NOT NULL REFERENCES documents(id),
        recipient_id INTEGER REFERENCES recipients(id),
        code TEXT NOT NULL CHECK (code IN ('01','02','03','04','05','06','13','15','16')),
        at TEXT NOT NULL,
        note TEXT CHECK (length(note) <= 2000)
      ) STRICT;
      CREATE INDEX status_events_doc ON status_events (doc_id, recipient_id);

      CREATE TABLE transitions (
        id INTEGER PRIMARY KEY,
        doc_id INTEGER NOT NULL REFERENCES documents(id),
        from_state TEXT,
        to_state TEXT NOT NULL,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        note TEXT CHECK (length(note) <= 2000)
      ) STRICT;
      CREATE INDEX transitions_doc ON transitions (doc_id);

      CREATE TABLE dossiers (
        id INTEGER PRIMARY KEY,
        OrganId TEXT NOT NULL CHECK (length(OrganId) <= 13),
        FileCatalog INTEGER NOT NULL CHECK (FileCatalog BETWEEN 1000 AND 9999),
        FileNotation TEXT NOT NULL CHECK (length(FileNotation) BETWEEN 1 AND 20),
        Title TEXT NOT NULL CHECK (length(Title) BETWEEN 1 AND 500),
        Maintenance TEXT CHECK (length(Maintenance) <= 30),
        Rights TEXT CHECK (length(Rights) <= 30),
        Creator TEXT CHECK (length(Creator) <= 30),
        Language TEXT CHECK (length(Language) <= 50),
        StartDate TEXT,
        EndDate TEXT,
        Description TEXT CHECK (length(Description) <= 500),
        UNIQUE (OrganId, FileCatalog, FileNotation)
      ) STRICT;
      -- One document in several hồ sơ without copying it (Phụ lục VI.4).
      CREATE TABLE dossier_documents (
        dossier_id INTEGER NOT NULL REFERENCES dossiers(id),
        doc_id INTEGER NOT NULL REFERENCES documents(id),
        DocOrdinal INTEGER NOT NULL CHECK (DocOrdinal BETWEEN 1 AND 999),
        PRIMARY KEY (dossier_id, doc_id),
        UNIQUE (dossier_id, DocOrdinal)
      ) STRICT;

      CREATE TABLE blobs (
        sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
        size INTEGER NOT NULL,
        refcount INTEGER NOT NULL CHECK (refcount >= 0)
      ) STRICT;
      CREATE TABLE attachments (
        id INTEGER PRIMARY KEY,
        doc_id INTEGER NOT NULL REFERENCES documents(id),
        sha256 TEXT NOT NULL REFERENCES blobs(sha256),
        name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
        mime TEXT NOT NULL CHECK (length(mime) <= 100),
        size INTEGER NOT NULL,
        added_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX attachments_doc ON attachments (doc_id);

      -- Append-only audit, each row chained to the previous by SHA-256 (computed in the app).
      CREATE TABLE audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        entity TEXT NOT NULL,
        entity_id TEXT,
        before TEXT,
        after TEXT,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      ) STRICT;
      CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'AUDIT_APPEND_ONLY'); END;
      CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'AUDIT_APPEND_ONLY'); END;
    `);
  },
};
