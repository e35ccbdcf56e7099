import { afterEach, describe, expect, it } from 'vitest';
import { buildEdxml, parseEdxml, type DocumentPackage, type StatusPackage } from '../../src-main/core/exchange/edxml/index';
import type { SdkTransport } from '../../src-main/core/exchange/transport/sdk';
import type { Hub } from '../../src-main/hub/server';
import { AGENCY_A, AGENCY_B, sampleDocument } from './samples';
import { testHub, transportFor } from './helpers';
import { workstation, type Workstation } from './workstation';

/**
 * Update (BussinessDocType 2) and replace (3) applied to the receiving register, through the hub:
 * the earlier entry linked to the later one, marked "Đã đính chính/thay thế" with the sender's reason
 * in its history and the audit chain, and 15 back to the sender; an update the clerk refuses leaves the
 * entry as it was and answers 16; a replacement that arrives before its original is linked later.
 */
let hub: Hub;
let b: Workstation;
let a: SdkTransport;
afterEach(async () => {
  b.close();
  a.close();
  await hub.close();
});

/** A's document number `n` dated `day`, of business type `type` (2: updates itself; 3: replaces `replaces`). */
function pkg(n: string, type: 0 | 2 | 3, over: { day?: string; replaces?: string; subject?: string } = {}): DocumentPackage {
  const p = sampleDocument({ number: n, type });
  const day = over.day ?? '2026/03/10';
  const documentId = `${AGENCY_A.OrganId},${day},${n}/SNV-VP`;
  return {
    ...p,
    header: { ...p.header, DocumentId: documentId, PromulgationInfo: { ...p.header.PromulgationInfo, PromulgationDate: day }, Subject: over.subject ?? p.header.Subject, ResponseFor: type === 0 ? [] : [{ ...p.header.ResponseFor[0]!, DocumentId: documentId }] },
    trace: {
      ...p.trace,
      Bussiness: {
        ...p.trace.Bussiness,
        ...(type === 2 ? { DocumentId: documentId } : {}),
        ...(type === 3 ? { ReplacementInfoList: [{ DocumentId: over.replaces!, OrganIdList: [AGENCY_B.OrganId] }] } : {}),
      },
    },
  };
}

async function deliver(p: DocumentPackage): Promise<void> {
  await a.send(buildEdxml(p), 'edoc', []);
  await b.engine.syncOnce();
}

/** The register entry B made from the package with this DocumentId and business type. */
function entryOf(documentId: string, type: number): number {
  const row = b.engine.inbox.list({ messagetype: 'edoc' }).find((r) => r.business_type === type && r.document_id === documentId && r.state !== 'DUPLICATE');
  return row!.register_doc_id!;
}

/** The statuses A has received from B, as [DocumentId, code, description]. */
async function statusesAtA(): Promise<Array<[string, string, string | undefined]>> {
  const out: Array<[string, string, string | undefined]> = [];
  for (const item of await a.listReceived('status')) {
    const s = (await parseEdxml(await a.fetch(item.docId))) as StatusPackage;
    out.push([s.ResponseFor.DocumentId, s.StatusCode, s.Description]);
  }
  return out;
}

describe('update and replace applied to the register', () => {
  it('Đ14.2 a replacement links and marks the replaced entry (reason, history, audit) and answers 15; one that comes first waits for its original', async () => {
    hub = await testHub();
    b = workstation(hub, AGENCY_B);
    a = transportFor(hub, AGENCY_A.OrganId);
    const oldId = `${AGENCY_A.OrganId},2026/03/01,100/SNV-VP`;
    await deliver(pkg('100', 0, { day: '2026/03/01' }));
    const earlier = entryOf(oldId, 0);
    b.reg.handling.transition(earlier, 'register');
    await deliver(pkg('101', 3, { replaces: oldId }));
    const later = entryOf(`${AGENCY_A.OrganId},2026/03/10,101/SNV-VP`, 3);
    expect(later).not.toBe(earlier);

    const got = b.reg.reading.get(earlier);
    expect(got.document).toMatchObject({ state: 'corrected', stateVi: 'Đã đính chính/thay thế', correctedBy: later });
    expect(got.transitions.at(-1)).toMatchObject({ to: 'corrected', note: `Thay thế bởi văn bản số ${later}: Thay thế văn bản` });
    expect(b.reg.audit.trail({ entity: 'document', entityId: earlier })[0]).toMatchObject({ action: 'document.replaced' });
    expect(b.reg.audit.verify().ok).toBe(true);
    expect(b.reg.reading.get(later).document.state).toBe('received');
    await b.engine.syncOnce();
    expect(await statusesAtA()).toContainEqual([oldId, '15', 'Thay thế văn bản']);

    // The replacement of 400 arrives before 400 itself: registered at once, the link made when 400 comes.
    const firstId = `${AGENCY_A.OrganId},2026/03/02,400/SNV-VP`;
    await deliver(pkg('401', 3, { replaces: firstId }));
    const replacement = entryOf(`${AGENCY_A.OrganId},2026/03/10,401/SNV-VP`, 3);
    await deliver(pkg('400', 0, { day: '2026/03/02' }));
    expect(b.reg.reading.get(entryOf(firstId, 0)).document).toMatchObject({ state: 'corrected', correctedBy: replacement });
    // Seen again (same package, another hub id): nothing changes twice.
    await deliver(pkg('401', 3, { replaces: firstId }));
    expect(b.reg.reading.get(entryOf(firstId, 0)).transitions.filter((t) => t.to === 'corrected')).toHaveLength(1);
  }, 60_000);

  it('Đ14.2 an update the clerk accepts becomes the new entry and the earlier one is marked corrected (15); a refused one leaves the entry and answers 16', async () => {
    hub = await testHub();
    b = workstation(hub, AGENCY_B);
    a = transportFor(hub, AGENCY_A.OrganId);
    const id200 = `${AGENCY_A.OrganId},2026/03/10,200/SNV-VP`;
    const id300 = `${AGENCY_A.OrganId},2026/03/10,300/SNV-VP`;
    await deliver(pkg('200', 0));
    await deliver(pkg('300', 0));
    const earlier = entryOf(id200, 0);
    const kept = entryOf(id300, 0);
    b.reg.handling.transition(earlier, 'register');
    b.reg.handling.transition(kept, 'register');

    await deliver(pkg('200', 2, { subject: 'V/v đề nghị cung cấp số liệu (đính chính thời hạn)' }));
    await deliver(pkg('300', 2, { subject: 'Nội dung cập nhật không được chấp nhận' }));
    const pending = b.engine.inbox.list({ state: 'PENDING_DECISION' });
    expect(pending.map((r) => r.document_id).sort()).toEqual([id200, id300]);
    expect(b.reg.reading.get(earlier).document.state).toBe('registered');

    await b.engine.answerChange(pending.find((r) => r.document_id === id200)!.id, true);
    await expect(b.engine.answerChange(pending.find((r) => r.document_id === id300)!.id, false)).rejects.toMatchObject({ code: 'INPUT_INVALID' });
    await b.engine.answerChange(pending.find((r) => r.document_id === id300)!.id, false, 'Không có căn cứ cập nhật');

    const later = b.engine.inbox.get(pending.find((r) => r.document_id === id200)!.id)!.register_doc_id!;
    expect(b.reg.reading.get(later).document).toMatchObject({ Subject: 'V/v đề nghị cung cấp số liệu (đính chính thời hạn)', state: 'received' });
    expect(b.reg.reading.get(later).attachments).toHaveLength(1);
    expect(b.reg.reading.get(earlier).document).toMatchObject({ state: 'corrected', correctedBy: later });
    expect(b.reg.audit.trail({ entity: 'document', entityId: earlier })[0]).toMatchObject({ action: 'document.corrected' });
    expect(b.reg.reading.get(kept).document).toMatchObject({ state: 'registered', correctedBy: null });

    await b.engine.syncOnce();
    const at = await statusesAtA();
    expect(at).toContainEqual([id200, '15', 'Cập nhật văn bản']);
    expect(at).toContainEqual([id300, '16', 'Không có căn cứ cập nhật']);
    expect(b.reg.audit.verify().ok).toBe(true);
  }, 60_000);
});
