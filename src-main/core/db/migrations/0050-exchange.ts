import type { Db } from '../connection';

/** The evidence log's table; the reference hub creates the same one in its own store. */
export const EVIDENCE_DDL = `
CREATE TABLE IF NOT EXISTS exchange_evidence (
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  kind TEXT NOT NULL,
  message_uuid TEXT,
  hub_doc_id TEXT,
  document_id TEXT,
  payload_sha256 TEXT,
  payload_len INTEGER,
  detail TEXT NOT NULL,
  prev TEXT NOT NULL,
  hash TEXT NOT NULL UNIQUE
);
CREATE INDEX IF NOT EXISTS exchange_evidence_doc ON exchange_evidence(hub_doc_id);`;

/**
 * The exchange's durable outbox and inbox (docs/exchange.md): one row per transmission and per
 * fetched hub item, kept beside the register so a received document and its inbox row commit in one
 * transaction. Uniqueness in SQL is what makes import and acknowledgement idempotent across crashes:
 * a hub item id is stored once, and the same content under another id is recognised by its key.
 */
export const m0050Exchange = {
  version: 50,
  name: '0050-exchange',
  up(db: Db) {
    db.exec(`
CREATE TABLE exchange_outbox (
  id INTEGER PRIMARY KEY,
  message_uuid TEXT NOT NULL UNIQUE,
  messagetype TEXT NOT NULL CHECK (messagetype IN ('edoc', 'status')),
  register_doc_id INTEGER,
  document_id TEXT NOT NULL,
  business_type INTEGER,
  status_code TEXT,
  recipients TEXT NOT NULL,
  priority INTEGER NOT NULL DEFAULT 0,
  package BLOB NOT NULL,
  package_sha256 TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('QUEUED', 'SENDING', 'RETRY_WAIT', 'NEEDS_RECONCILE', 'SENT', 'FAILED_PERMANENT')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_at INTEGER NOT NULL DEFAULT 0,
  hub_doc_id TEXT,
  hub_ack_at TEXT,
  hub_code TEXT,
  last_error TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX exchange_outbox_due ON exchange_outbox(state, priority DESC, next_at);
CREATE INDEX exchange_outbox_doc ON exchange_outbox(document_id);
-- A workflow status goes out once per document, code and addressee.
CREATE UNIQUE INDEX exchange_outbox_status_once ON exchange_outbox(document_id, status_code, recipients) WHERE messagetype = 'status';

CREATE TABLE exchange_inbox (
  id INTEGER PRIMARY KEY,
  hub_doc_id TEXT NOT NULL UNIQUE,
  messagetype TEXT NOT NULL CHECK (messagetype IN ('edoc', 'status')),
  dedupe_key TEXT,
  duplicate_of INTEGER REFERENCES exchange_inbox(id),
  state TEXT NOT NULL CHECK (state IN ('STORED', 'RECEIVED', 'INVALID', 'DUPLICATE', 'RECALLED', 'PENDING_DECISION', 'APPLIED', 'ORPHAN')),
  document_id TEXT,
  from_organ TEXT,
  business_type INTEGER,
  status_code TEXT,
  register_doc_id INTEGER,
  meta TEXT,
  raw BLOB NOT NULL,
  raw_sha256 TEXT NOT NULL,
  reason TEXT,
  acked INTEGER NOT NULL DEFAULT 0,
  received_at TEXT NOT NULL
);
CREATE UNIQUE INDEX exchange_inbox_dedupe ON exchange_inbox(dedupe_key) WHERE dedupe_key IS NOT NULL AND state <> 'DUPLICATE';
CREATE INDEX exchange_inbox_doc ON exchange_inbox(document_id, messagetype);
CREATE INDEX exchange_inbox_state ON exchange_inbox(state);

CREATE TABLE exchange_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
${EVIDENCE_DDL}`);
  },
};
