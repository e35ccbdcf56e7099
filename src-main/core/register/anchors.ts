import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { dateInVietnam } from '../../contract/time';
import type { Db } from '../db/connection';
import { chainHead, type ChainHead } from './audit';
import { checkRegister, type Anchor, type ChainProblem, type EntityProblem } from './audit-check';
import {
  CheckpointStore, installationSigner, signatureHolds, signCheckpoint, type Checkpoint, type CheckpointBody, type CheckpointSigner, type StoredCheckpoint,
} from './checkpoint';

export interface CheckpointCheck {
  count: number;
  head: string;
  source: string;
  ok: boolean;
  kind: 'ok' | 'short' | 'diverged' | 'bad_signature' | 'foreign_key' | 'unreadable';
  messageVi: string;
}

export interface AuditReport {
  ok: boolean;
  count: number;
  head: string;
  problems: ChainProblem[];
  entities: EntityProblem[];
  checkpoints: CheckpointCheck[];
}

export interface AnchorOptions {
  agency: string;
  now: () => Date;
  isoNow: () => string;
  /** The logged-in agency token's signer, when there is one; else the installation key signs. */
  signer?: () => CheckpointSigner | null | undefined;
  installationKeyPath: string;
  dir: string;
}

/** A typed-in printed value: "<count>:<hash or its first 16+ hex digits>". */
export function parseCheckpointText(s: string): { count: number; head: string } | null {
  const m = /^(\d{1,12}):([0-9a-f]{16,64})$/.exec(s.replace(/\s+/g, '').toLowerCase());
  return m ? { count: Number(m[1]), head: m[2]! } : null;
}

/**
 * Writes and checks checkpoints of one register (docs/register.md, "Checkpoints"): at đóng sổ, at
 * every backup, and once a day while the workstation runs.
 */
export class ChainAnchors {
  readonly store: CheckpointStore;
  private installation: CheckpointSigner | null = null;
  private lastDaily: string | null = null;

  constructor(private readonly db: Db, private readonly opts: AnchorOptions) {
    this.store = new CheckpointStore(opts.dir);
  }

  private signer(): CheckpointSigner {
    return this.opts.signer?.() ?? (this.installation ??= installationSigner(this.opts.installationKeyPath));
  }

  /** Signs and stores a checkpoint of `head` (default: the chain's head now). */
  async write(reason: Checkpoint['reason'], extra: Pick<CheckpointBody, 'book' | 'until'> = {}, head: ChainHead = chainHead(this.db)): Promise<{ checkpoint: Checkpoint; file: string }> {
    const checkpoint = await signCheckpoint({ agency: this.opts.agency, count: head.count, head: head.head, at: this.opts.isoNow(), reason, ...extra }, this.signer());
    return { checkpoint, file: this.store.write(checkpoint) };
  }

  /** The day's checkpoint, once per Vietnam calendar day (null when today's exists). */
  async daily(): Promise<Checkpoint | null> {
    const today = dateInVietnam(this.opts.now());
    if (this.lastDaily === today) return null;
    const done = this.store.list().some((s) => s.checkpoint?.reason === 'daily' && s.checkpoint.at.startsWith(today));
    this.lastDaily = today;
    return done ? null : (await this.write('daily')).checkpoint;
  }

  /** The newest đóng sổ checkpoint of a sổ for a year (printed on its closing page). */
  latestClose(book: string, year: number): Checkpoint | null {
    const hits = this.store.list().map((s) => s.checkpoint).filter((c): c is Checkpoint => c?.reason === 'close' && c.book === book && (c.until ?? '').startsWith(String(year)));
    return hits.at(-1) ?? null;
  }

  /** The chain, every registered row against it, every checkpoint file, and a typed-in printed value. */
  verify(typed?: string): AuditReport {
    const checks: CheckpointCheck[] = [];
    const anchors: Anchor[] = [];
    const local = existsSync(this.opts.installationKeyPath) ? (this.installation ??= installationSigner(this.opts.installationKeyPath)).identity : null;
    for (const s of this.store.list()) {
      const problem = signatureProblem(s, local);
      if (problem) checks.push(problem);
      else anchors.push({ count: s.checkpoint!.count, head: s.checkpoint!.head, source: basename(s.file) });
    }
    if (typed !== undefined) {
      const t = parseCheckpointText(typed);
      if (!t) checks.push({ count: 0, head: '', source: typed.slice(0, 100), ok: false, kind: 'unreadable', messageVi: 'Giá trị điểm kiểm tra nhập vào không đúng dạng <số mục>:<mã băm>.' });
      else anchors.push({ ...t, source: 'giá trị in trên trang khóa sổ' });
    }
    const r = checkRegister(this.db, anchors);
    for (const a of r.anchors) {
      const messageVi = a.kind === 'ok'
        ? `Khớp điểm kiểm tra ${a.source} (${a.count} mục).`
        : a.kind === 'short'
          ? `Nhật ký chỉ có ${r.count} mục, ngắn hơn điểm kiểm tra ${a.source} (${a.count} mục): phần cuối nhật ký đã bị cắt.`
          : `Nhật ký khác với điểm kiểm tra ${a.source} tại mục ${a.count}: nhật ký đã bị viết lại.`;
      checks.push({ count: a.count, head: a.head, source: a.source, ok: a.ok, kind: a.kind, messageVi });
    }
    const ok = r.problems.length === 0 && r.entities.length === 0 && checks.every((c) => c.ok);
    return { ok, count: r.count, head: r.head, problems: r.problems, entities: r.entities, checkpoints: checks };
  }
}

/** A checkpoint file that cannot serve as an anchor, with the reason in Vietnamese. */
export function signatureProblem(s: StoredCheckpoint, localIdentity: string | null): CheckpointCheck | null {
  const source = basename(s.file);
  const c = s.checkpoint;
  if (!c) return { count: 0, head: '', source, ok: false, kind: 'unreadable', messageVi: `Tệp điểm kiểm tra ${source} không đọc được hoặc sai định dạng.` };
  if (!signatureHolds(c)) return { count: c.count, head: c.head, source, ok: false, kind: 'bad_signature', messageVi: `Điểm kiểm tra ${source}: chữ ký không hợp lệ (tệp đã bị sửa sau khi ký).` };
  if (c.signer.kind === 'installation' && localIdentity !== null && c.signer.identity !== localIdentity) {
    return { count: c.count, head: c.head, source, ok: false, kind: 'foreign_key', messageVi: `Điểm kiểm tra ${source} được ký bằng khóa cài đặt khác với khóa của máy này.` };
  }
  return null;
}
