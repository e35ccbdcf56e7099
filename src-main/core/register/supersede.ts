import { AppError } from '../../contract/errors';
import type { ActOptions, RegisterContext } from './context';
import { OPEN_INCOMING } from './deadlines';
import { invalid } from './errors';
import type { Registration } from './registration';

export type SupersedeKind = 'update' | 'replace';

const NOTE_VI: Record<SupersedeKind, string> = { update: 'Đính chính bởi văn bản', replace: 'Thay thế bởi văn bản' };

/**
 * An incoming entry superseded by a later one the sender sent as an update (cập nhật, BussinessDocType
 * 2) or a replacement (thay thế, type 3) through the exchange (docs/exchange.md §3): the earlier entry
 * is linked to the later (`corrected_by`), moves to "Đã đính chính/thay thế" with the reason in its
 * history, gets status 15 (the exchange answers the sender with it), and one audit entry names both.
 * Neither entry's fields are edited: the later one carries the new text, the earlier stays readable.
 */
export class Supersession {
  constructor(private readonly ctx: RegisterContext, private readonly registration: Registration) {}

  mark(id: number, by: number, kind: SupersedeKind, reason: string, act: ActOptions = {}): void {
    if (!reason.trim()) throw invalid('Phải nêu lý do đính chính hoặc thay thế.', 'supersede without reason');
    if (id === by) throw invalid('Văn bản không thể thay thế chính nó.', `supersede ${id} by itself`);
    const actor = this.ctx.actorOf(act);
    this.ctx.write(() => {
      const before = this.ctx.getDoc(id);
      const later = this.ctx.getDoc(by);
      // Applied once: the same link again changes nothing (a package seen twice, a restart).
      if (before.state === 'corrected' && before.correctedBy === by) return;
      if (before.direction !== 'den' || later.direction !== 'den') throw invalid('Chỉ văn bản đến được đính chính hoặc thay thế qua trục liên thông.', `supersede ${before.direction}/${later.direction}`);
      if (!(OPEN_INCOMING as readonly string[]).includes(before.state) && before.state !== 'completed') {
        throw new AppError('CONFLICT', `Không thể đính chính hoặc thay thế văn bản đang ở trạng thái "${before.stateVi}".`, `supersede from ${before.state}`, { state: before.state });
      }
      const at = this.ctx.nowIso();
      const note = `${NOTE_VI[kind]} số ${by}: ${reason}`.slice(0, 2000);
      this.ctx.db.prepare("UPDATE documents SET state = 'corrected', corrected_by = ? WHERE id = ?").run(by, id);
      this.registration.insertStatus(id, null, '15', reason.slice(0, 2000), at);
      this.registration.logTransition(id, before.state, 'corrected', actor, note);
      this.ctx.reindex(id);
      this.ctx.log({ actor, action: kind === 'replace' ? 'document.replaced' : 'document.corrected', entity: 'document', entityId: id, before: { state: before.state, correctedBy: before.correctedBy }, after: { state: 'corrected', correctedBy: by, reason } });
    });
  }
}
