import { createHash } from 'node:crypto';
import type { Db } from '../db/connection';

/**
 * Append-only evidence log, one record per request/response (docs/exchange.md §4), chained by
 * SHA-256: each record's hash covers its fields and the previous hash, so an edited, removed or
 * reordered record breaks the chain. Used by the workstation (register database) and by the
 * reference hub (its own database), so tests can compare both ends. Payloads are kept as SHA-256 +
 * length; headers never hold secrets (the HMAC secret never leaves the signer). The table is created
 * by migration 0050 (workstation) or the hub store.
 */
export interface EvidenceInput {
  kind: string;
  messageUuid?: string | null;
  hubDocId?: string | null;
  documentId?: string | null;
  payload?: Buffer | null;
  /** Headers (without secrets), response envelope, outcome. */
  detail?: Record<string, unknown>;
}

export interface EvidenceRecord {
  seq: number;
  at: string;
  kind: string;
  message_uuid: string | null;
  hub_doc_id: string | null;
  document_id: string | null;
  payload_sha256: string | null;
  payload_len: number | null;
  detail: string;
  prev: string;
  hash: string;
}

export interface EvidenceReport {
  ok: boolean;
  records: number;
  problems: Array<{ seq: number; problem: 'hash' | 'link' | 'gap' }>;
  head: string;
}

const GENESIS = '0'.repeat(64);
const SECRET_HEADER = /secret|password|authorization|cookie/i;

function recordHash(r: Omit<EvidenceRecord, 'hash'>): string {
  const fields = [r.seq, r.at, r.kind, r.message_uuid, r.hub_doc_id, r.document_id, r.payload_sha256, r.payload_len, r.detail, r.prev];
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}

/** Drops anything that looks like a secret before it reaches the log. */
export function scrub(detail: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(detail, (k, v) => (SECRET_HEADER.test(k) ? undefined : v))) as Record<string, unknown>;
}

export class EvidenceLog {
  private readonly last;
  private readonly insert;
  constructor(private readonly db: Db, private readonly nowIso: () => string) {
    this.last = db.prepare<[], { seq: number; hash: string }>('SELECT seq, hash FROM exchange_evidence ORDER BY seq DESC LIMIT 1');
    this.insert = db.prepare('INSERT INTO exchange_evidence (seq, at, kind, message_uuid, hub_doc_id, document_id, payload_sha256, payload_len, detail, prev, hash) VALUES (@seq, @at, @kind, @message_uuid, @hub_doc_id, @document_id, @payload_sha256, @payload_len, @detail, @prev, @hash)');
  }

  /** Throws when the record cannot be written: callers must not send without evidence. */
  append(e: EvidenceInput): EvidenceRecord {
    const last = this.last.get();
    const base = {
      seq: (last?.seq ?? 0) + 1,
      at: this.nowIso(),
      kind: e.kind,
      message_uuid: e.messageUuid ?? null,
      hub_doc_id: e.hubDocId ?? null,
      document_id: e.documentId ?? null,
      payload_sha256: e.payload ? createHash('sha256').update(e.payload).digest('hex') : null,
      payload_len: e.payload ? e.payload.length : null,
      detail: JSON.stringify(scrub(e.detail ?? {})),
      prev: last?.hash ?? GENESIS,
    };
    const rec = { ...base, hash: recordHash(base) };
    this.insert.run(rec);
    return rec;
  }

  records(q: { hubDocId?: string } = {}): EvidenceRecord[] {
    if (q.hubDocId) return this.db.prepare<[string], EvidenceRecord>('SELECT * FROM exchange_evidence WHERE hub_doc_id = ? ORDER BY seq').all(q.hubDocId);
    return this.db.prepare<[], EvidenceRecord>('SELECT * FROM exchange_evidence ORDER BY seq').all();
  }

  verify(): EvidenceReport {
    const problems: EvidenceReport['problems'] = [];
    let prev = GENESIS;
    let expectSeq = 1;
    let n = 0;
    for (const r of this.db.prepare<[], EvidenceRecord>('SELECT * FROM exchange_evidence ORDER BY seq').iterate()) {
      n++;
      if (r.seq !== expectSeq) problems.push({ seq: r.seq, problem: 'gap' });
      if (r.prev !== prev) problems.push({ seq: r.seq, problem: 'link' });
      const { hash, ...rest } = r;
      if (recordHash(rest) !== hash) problems.push({ seq: r.seq, problem: 'hash' });
      prev = r.hash;
      expectSeq = r.seq + 1;
    }
    return { ok: problems.length === 0, records: n, problems, head: prev };
  }
}
