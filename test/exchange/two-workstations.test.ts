import { afterAll, describe, expect, it } from 'vitest';
import { verifyPdf } from '../../src-main/core/verify/index';
import type { EvidenceRecord } from '../../src-main/core/exchange/evidence';
import { addSignature } from '../fixtures-gen/pades';
import { makeBasePdf } from '../fixtures-gen/base-pdf';
import { identity } from '../fixtures-gen/test-certs';
import { loadPki } from '../helpers/pki';
import { AGENCY_A, AGENCY_B } from './samples';
import { testHub } from './helpers';
import { issuedDocument, workstation } from './workstation';

const shaOf = (records: EvidenceRecord[], kind: string) => new Map(records.filter((r) => r.kind === kind).map((r) => [r.hub_doc_id ?? r.message_uuid, r.payload_sha256]));

describe('two workstations and one hub', () => {
  const cleanup: Array<() => unknown> = [];
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c();
  });

  it('Đ5.3, Đ9.1, Đ9.3, Đ9.4 A sends, B verifies, registers (03), assigns (04), completes (06); A recalls another, B answers 15; the evidence logs agree', async () => {
    const hub = await testHub();
    cleanup.push(() => hub.close());
    const a = workstation(hub, AGENCY_A);
    const b = workstation(hub, AGENCY_B);
    cleanup.push(() => a.close(), () => b.close());

    const doc1 = await issuedDocument(a, [AGENCY_B], { subject: 'V/v báo cáo biên chế' });
    const signed = addSignature(await makeBasePdf(), { signer: identity('rsa'), widget: { page: 0, rect: [72, 600, 272, 680] } });
    await a.reg.attachments.attach(doc1, { name: 'bao-cao.signed.pdf', base64: signed.toString('base64'), mime: 'application/pdf' });
    const doc2 = await issuedDocument(a, [AGENCY_B], { subject: 'V/v mời họp' });
    a.engine.queueDocument(doc1, [AGENCY_B]);
    a.engine.queueDocument(doc2, [AGENCY_B]);
    expect(await a.engine.syncOnce()).toMatchObject({ sent: 2, error: null });

    const arrived: number[] = [];
    b.engine.ctx.emit = (e) => void (e.type === 'arrived' && arrived.push(e.registerDocId));
    expect(await b.engine.syncOnce()).toMatchObject({ received: 2 });
    expect(arrived).toHaveLength(2);
    const [r1, r2] = b.engine.inbox.list({ messagetype: 'edoc' });
    const inDoc1 = r1!.register_doc_id!;
    const detail = b.reg.reading.get(inDoc1);
    expect(detail.document).toMatchObject({ state: 'received', Subject: 'V/v báo cáo biên chế', OrganName: AGENCY_A.OrganName });
    const pdf = b.reg.attachments.read(detail.attachments.find((x) => x.name === 'bao-cao.signed.pdf')!.id);
    expect(pdf.equals(signed)).toBe(true);
    const report = await verifyPdf(pdf, { trustDir: loadPki().trustDir, revocation: 'skip' });
    expect(report.signatures).toHaveLength(1);
    expect(report.overall).toBe('TOTAL_PASSED');

    b.reg.handling.transition(inDoc1, 'register');
    b.reg.handling.transition(inDoc1, 'assign', { assignments: [{ role: 'chu_tri', unit: 'Phòng Kế hoạch' }] });
    b.reg.handling.transition(inDoc1, 'complete', { note: 'Đã báo cáo' });
    await b.engine.syncOnce();

    await a.engine.syncOnce();
    const out1 = a.reg.reading.get(doc1);
    expect(out1.document.state).toBe('sent');
    expect(out1.recipients[0]!.statusCode).toBe('06');
    expect(out1.statusHistory.map((s) => s.code).sort()).toEqual(['01', '03', '04', '06']);

    await a.engine.recall(doc2, 'Hoãn cuộc họp');
    await a.engine.syncOnce();
    await b.engine.syncOnce();
    expect(b.reg.reading.get(r2!.register_doc_id!).document.state).toBe('recalled');
    await b.engine.syncOnce();
    await a.engine.syncOnce();
    expect(a.reg.reading.get(doc2).recipients[0]!.statusCode).toBe('15');

    // Both logs verify, and every package agrees with the hub's own record of it.
    for (const w of [a, b]) expect(w.engine.evidence.verify()).toMatchObject({ ok: true, problems: [] });
    expect(hub.store.evidence.verify().ok).toBe(true);
    const hubRecords = hub.store.evidence.records();
    const hubSent = shaOf(hubRecords, 'sendEdoc');
    const hubServed = shaOf(hubRecords, 'downloadEdoc');
    for (const w of [a, b]) {
      const sent = w.engine.outbox.list().filter((r) => r.state === 'SENT');
      expect(sent.length).toBeGreaterThan(0);
      for (const row of sent) expect(hubSent.get(row.hub_doc_id)).toBe(row.package_sha256);
      const fetched = shaOf(w.engine.evidence.records(), 'fetched');
      expect(fetched.size).toBeGreaterThan(0);
      for (const [docId, sha] of fetched) expect(hubServed.get(docId)).toBe(sha);
    }
  }, 60_000);
});
