import type { Db } from '../db/connection';
import { ENTRY_COLUMNS, entryHash, GENESIS_HASH } from './audit';
import { decodeStates, pagesOf, stateDigest, TRACKED_TABLES, type Row, type TrackedTable } from './entity-state';

export interface ChainProblem {
  id: number;
  kind: 'edited' | 'deleted' | 'broken_link';
  messageVi: string;
}

export interface EntityProblem {
  table: TrackedTable;
  rowId: number;
  kind: 'changed' | 'deleted' | 'unlogged' | 'changed_outside';
  field: string | null;
  chainValue: string | null;
  tableValue: string | null;
  messageVi: string;
}

/** A head the chain must pass through: from a checkpoint file or typed in from a printed page. */
export interface Anchor {
  count: number;
  /** Full hash, or a printed prefix of at least 16 hex digits. */
  head: string;
  source: string;
}

export interface AnchorResult extends Anchor {
  ok: boolean;
  kind: 'ok' | 'short' | 'diverged';
}

export interface RegisterCheck {
  count: number;
  head: string;
  problems: ChainProblem[];
  entities: EntityProblem[];
  anchors: AnchorResult[];
}

const TABLE_VI: Record<TrackedTable, string> = {
  books: 'Sổ', book_counters: 'Bộ đếm số', documents: 'Văn bản', recipients: 'Nơi nhận', assignments: 'Giao xử lý',
  status_events: 'Trạng thái', transitions: 'Bước xử lý', closures: 'Đóng sổ', attachments: 'Tệp đính kèm', blobs: 'Tệp lưu trữ',
  dossiers: 'Hồ sơ', dossier_documents: 'Văn bản trong hồ sơ', digitized_files: 'Bản số hóa tại máy này',
};
const CHAIN_VI = { edited: 'bị sửa', deleted: 'bị xóa', broken_link: 'đứt chuỗi' } as const;

/** The last state the chain holds for each row of one table: rowid → slot, 32-byte hashes, entry ids. */
class StateIndex {
  readonly slots = new Map<number, number>();
  private hashes = Buffer.alloc(32 * 1024);
  private entries = new Float64Array(1024);
  private deleted = new Uint8Array(1024);
  seen = new Uint8Array(0);

  set(rowid: number, entry: number, stateHash: Buffer | null): void {
    let slot = this.slots.get(rowid);
    if (slot === undefined) {
      slot = this.slots.size;
      this.slots.set(rowid, slot);
      if (slot >= this.entries.length) this.grow();
    }
    this.entries[slot] = entry;
    this.deleted[slot] = stateHash === null ? 1 : 0;
    if (stateHash !== null) stateHash.copy(this.hashes, slot * 32);
  }

  isDeleted(slot: number): boolean {
    return this.deleted[slot] === 1;
  }

  /** Whether the slot holds exactly this state hash. */
  holds(slot: number, stateHash: Buffer): boolean {
    return !this.deleted[slot] && this.hashes.compare(stateHash, 0, 32, slot * 32, slot * 32 + 32) === 0;
  }

  entryOf(slot: number): number {
    return this.entries[slot]!;
  }

  private grow(): void {
    const n = this.entries.length * 2;
    const h = Buffer.alloc(32 * n);
    this.hashes.copy(h);
    this.hashes = h;
    const e = new Float64Array(n);
    e.set(this.entries);
    this.entries = e;
    const d = new Uint8Array(n);
    d.set(this.deleted);
    this.deleted = d;
  }
}

const show = (v: unknown): string | null => (v === null || v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v));

/**
 * Walks the whole chain (hashes, links, ids), keeping for every registered row the state of its last
 * entry; then reads every tracked table and compares each row with that state. Reports at most
 * `maxProblems` of each kind so a wrecked file stays cheap to report (docs/register.md, "Audit chain").
 */
export function checkRegister(db: Db, anchors: Anchor[] = [], maxProblems = 100): RegisterCheck {
  // One read transaction: the chain and the tables are read from the same snapshot even while
  // another process keeps registering (WAL), so a row written meanwhile is not taken for tampering.
  return db.transaction(() => check(db, anchors, maxProblems))();
}

function check(db: Db, anchors: Anchor[], maxProblems: number): RegisterCheck {
  const problems: ChainProblem[] = [];
  const entities: EntityProblem[] = [];
  const chain = (id: number, kind: ChainProblem['kind']) => {
    if (problems.length < maxProblems) problems.push({ id, kind, messageVi: `Mục nhật ký ${id}: ${CHAIN_VI[kind]}.` });
  };
  const entity = (p: Omit<EntityProblem, 'messageVi'>, messageVi: string) => {
    if (entities.length < maxProblems) entities.push({ ...p, messageVi });
  };
  const index = new Map<TrackedTable, StateIndex>(TRACKED_TABLES.map((t) => [t, new StateIndex()]));
  const wanted = new Set(anchors.map((a) => a.count));
  const headAt = new Map<number, string>();

  let prevHash = GENESIS_HASH;
  let sawState = false;
  let expectedId = 1;
  let count = 0;
  const page = db.prepare(`SELECT ${ENTRY_COLUMNS} FROM audit WHERE id > ? ORDER BY id LIMIT 1000`).raw(true);
  for (let last = -Number.MAX_VALUE, rows = page.all(last) as unknown[][]; rows.length > 0; last = rows.at(-1)![0] as number, rows = page.all(last) as unknown[][]) {
    for (const r of rows) {
      const id = r[0] as number;
      const state = r[9] as string | null;
      const hashed = r[10] as string;
      count++;
      if (id !== expectedId) chain(expectedId, 'deleted');
      if (r[1] !== prevHash) chain(id, 'broken_link');
      if (entryHash(r.slice(0, 9), state) !== hashed) chain(id, 'edited');
      if (wanted.has(id)) headAt.set(id, hashed);
      prevHash = hashed;
      expectedId = id + 1;
      if (state === null) continue;
      sawState = true;
      for (const [table, rowid, text, before] of decodeStates(state)) {
        const idx = index.get(table);
        if (!idx) continue;
        if (before !== undefined) {
          const slot = idx.slots.get(rowid);
          if (slot === undefined || !idx.holds(slot, Buffer.from(before, 'hex'))) {
            entity({ table, rowId: rowid, kind: 'changed_outside', field: null, chainValue: null, tableValue: null },
              `${TABLE_VI[table]} #${rowid} đã bị sửa bên ngoài phần mềm trước mục nhật ký ${id} (trạng thái trước đó không khớp nhật ký).`);
          }
        }
        idx.set(rowid, id, text === null ? null : stateDigest(text));
      }
    }
  }
  const seq = db.prepare<[], { seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'audit'").get()?.seq ?? 0;
  if (seq >= expectedId) chain(expectedId, 'deleted');

  const stateIn = db.prepare<[number], { state: string | null }>('SELECT state FROM audit WHERE id = ?');
  const chainRow = (entry: number, table: TrackedTable, rowid: number): Row | null => {
    const s = stateIn.get(entry)?.state;
    const hit = s ? decodeStates(s).find((x) => x[0] === table && x[1] === rowid) : undefined;
    return hit?.[2] ? (JSON.parse(hit[2]) as Row) : null;
  };

  // A chain from before entity states (schema < 40, never opened since) has nothing to compare rows with.
  for (const table of sawState ? TRACKED_TABLES : []) {
    const idx = index.get(table)!;
    idx.seen = new Uint8Array(idx.slots.size);
    for (const rows of pagesOf(db, table)) {
      for (const [rowid, current] of rows) {
        const slot = idx.slots.get(rowid);
        if (slot === undefined || idx.isDeleted(slot)) {
          entity({ table, rowId: rowid, kind: 'unlogged', field: null, chainValue: null, tableValue: current },
            `${TABLE_VI[table]} #${rowid} có trong sổ nhưng không có mục nhật ký nào ghi nhận.`);
          continue;
        }
        idx.seen[slot] = 1;
        if (idx.holds(slot, stateDigest(current))) continue;
        const was = chainRow(idx.entryOf(slot), table, rowid) ?? {};
        const row = JSON.parse(current) as Row;
        for (const field of new Set([...Object.keys(was), ...Object.keys(row)])) {
          if (show(was[field]) === show(row[field])) continue;
          const chainValue = show(was[field]);
          const tableValue = show(row[field]);
          entity({ table, rowId: rowid, kind: 'changed', field, chainValue, tableValue },
            `${TABLE_VI[table]} #${rowid}, trường ${field}: trong sổ là "${tableValue ?? '(trống)'}", nhật ký ghi "${chainValue ?? '(trống)'}" (mục ${idx.entryOf(slot)}).`);
        }
      }
    }
    for (const [rowid, slot] of idx.slots) {
      if (idx.seen[slot] || idx.isDeleted(slot)) continue;
      entity({ table, rowId: rowid, kind: 'deleted', field: null, chainValue: show(chainRow(idx.entryOf(slot), table, rowid)), tableValue: null },
        `${TABLE_VI[table]} #${rowid} có trong nhật ký (mục ${idx.entryOf(slot)}) nhưng đã bị xóa khỏi sổ.`);
    }
  }

  const head = count ? prevHash : GENESIS_HASH;
  const anchorResults = anchors.map((a): AnchorResult => {
    const at = headAt.get(a.count);
    if (at === undefined || a.count > count) return { ...a, ok: false, kind: 'short' };
    return { ...a, ok: at.startsWith(a.head.toLowerCase()), kind: at.startsWith(a.head.toLowerCase()) ? 'ok' : 'diverged' };
  });
  return { count, head, problems, entities, anchors: anchorResults };
}
