import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { buildEdxml, parseEdxml, STATUS_CODES, type EdxmlPackage } from '../../src-main/core/exchange/edxml/index';
import type { Hub } from '../../src-main/hub/server';
import { AGENCY_A, AGENCY_B, AGENCY_C, sampleDocument, sampleStatus } from './samples';
import { testHub, transportFor } from './helpers';
import { issuedDocument, workstation, type Workstation } from './workstation';

/** The test matrix of docs/exchange.md §7, each row against the reference hub over HTTPS. */
let hub: Hub;
const open: Workstation[] = [];
afterEach(async () => {
  for (const w of open.splice(0)) w.close();
  await hub?.close();
});
async function setup(faults: Parameters<typeof testHub>[0] = {}): Promise<{ a: Workstation; b: Workstation }> {
  hub = await testHub(faults);
  const a = workstation(hub, AGENCY_A);
  const b = workstation(hub, AGENCY_B);
  open.push(a, b);
  return { a, b };
}
const withoutHubHop = (p: EdxmlPackage) => (p.kind === 'edoc' ? { ...p, trace: { ...p.trace, TraceHeader: p.trace.TraceHeader.slice(0, 1) } } : p);

describe('test matrix (docs/exchange.md §7)', () => {
  it('idempotent send: the hub drops the response after commit → one package at the hub, SENT with the original DocId', async () => {
    const { a } = await setup({ faults: { dedup: false, dropResponseAfterCommit: 1 } });
    const doc = await issuedDocument(a, [AGENCY_B]);
    const id = a.engine.queueDocument(doc, [AGENCY_B]);
    await a.engine.syncOnce();
    expect(a.engine.outbox.get(id)!.state).toBe('NEEDS_RECONCILE');
    expect(a.reg.reading.get(doc).document.state).toBe('issued');
    await a.engine.syncOnce();
    const row = a.engine.outbox.get(id)!;
    expect(row.state).toBe('SENT');
    expect(hub.store.messageCount({ messagetype: 'edoc' })).toBe(1);
    expect(row.hub_doc_id).toBe(hub.store.sent(AGENCY_A.OrganId, 'edoc')[0]!.message_id);
    expect(a.reg.reading.get(doc).document.state).toBe('sent');
  });

  it('Đ21.2 exactly-once inbox: the same item delivered twice → one registered document, both acknowledged', async () => {
    const { a, b } = await setup({ faults: { duplicateDelivery: 1 } });
    a.engine.queueDocument(await issuedDocument(a, [AGENCY_B]), [AGENCY_B]);
    await a.engine.syncOnce();
    expect(hub.store.pending(AGENCY_B.OrganId, 'edoc')).toHaveLength(2);
    const r = await b.engine.syncOnce();
    expect(r).toMatchObject({ received: 1, duplicates: 1 });
    expect(b.engine.inbox.list().map((x) => x.state).sort()).toEqual(['DUPLICATE', 'RECEIVED']);
    expect(hub.store.pending(AGENCY_B.OrganId, 'edoc')).toHaveLength(0);
    expect(b.reg.handling.queue({ direction: 'den' })).toHaveLength(1);
    await b.engine.syncOnce();
    expect(b.reg.handling.queue({ direction: 'den' })).toHaveLength(1);
  });

  it('no lost status under "confirm all": the client acks by id and every listed status appears', async () => {
    const { a, b } = await setup({ faults: { confirmAll: true } });
    const doc = await issuedDocument(a, [AGENCY_B]);
    a.engine.queueDocument(doc, [AGENCY_B]);
    await a.engine.syncOnce();
    await b.engine.syncOnce();
    const regId = b.engine.inbox.list({ state: 'RECEIVED' })[0]!.register_doc_id!;
    b.reg.handling.transition(regId, 'register');
    b.reg.handling.transition(regId, 'assign', { assignments: [{ role: 'chu_tri', unit: 'Phòng Tổ chức' }] });
    await b.engine.syncOnce();
    expect(hub.store.pending(AGENCY_A.OrganId, 'status')).toHaveLength(3);
    await a.engine.syncOnce();
    const history = a.reg.reading.get(doc).statusHistory.map((s) => s.code).sort();
    expect(history).toEqual(['01', '03', '04']);
  });

  it('monotonic display: statuses delivered 05, 03, 01 → display 05, history holds all three', async () => {
    const { a } = await setup();
    const doc = await issuedDocument(a, [AGENCY_B]);
    a.engine.queueDocument(doc, [AGENCY_B]);
    await a.engine.syncOnce();
    const sent = a.engine.outbox.list({ registerDocId: doc })[0]!;
    const pkg = (await parseEdxml(a.engine.outbox.get(sent.id)!.package)) as Extract<EdxmlPackage, { kind: "edoc" }>;
    const tb = transportFor(hub, AGENCY_B.OrganId);
    const rf = { OrganId: AGENCY_A.OrganId, Code: `${pkg.header.Code.CodeNumber}/${pkg.header.Code.CodeNotation}`, PromulgationDate: pkg.header.PromulgationInfo.PromulgationDate, DocumentId: pkg.header.DocumentId };
    for (const [code, ts] of [['05', '2026/03/10 11:00:00'], ['03', '2026/03/10 10:00:00'], ['01', '2026/03/10 09:00:00']] as const) {
      await tb.send(buildEdxml(sampleStatus(code, { ResponseFor: rf, Timestamp: ts })), 'status', []);
    }
    tb.close();
    await a.engine.syncOnce();
    const d = a.reg.reading.get(doc);
    expect(d.recipients[0]!.statusCode).toBe('05');
    expect(d.statusHistory.map((s) => s.code)).toEqual(expect.arrayContaining(['05', '03', '01']));
  });

  it('Đ21.3 round trip through the hub for types 0–3 and all nine statuses', async () => {
    hub = await testHub();
    const ta = transportFor(hub, AGENCY_A.OrganId);
    const tb = transportFor(hub, AGENCY_B.OrganId);
    for (const type of [0, 1, 2, 3]) {
      const src = sampleDocument({ type, number: String(200 + type) });
      await ta.send(buildEdxml(src), 'edoc', []);
      const [item] = await tb.listReceived('edoc');
      expect(withoutHubHop(await parseEdxml(await tb.fetch(item!.docId)))).toEqual(src);
      await tb.ack(item!.docId, 'done');
    }
    for (const code of STATUS_CODES) {
      const src = sampleStatus(code, { From: AGENCY_A, ResponseFor: { ...sampleStatus(code).ResponseFor, OrganId: AGENCY_B.OrganId } });
      await ta.send(buildEdxml(src), 'status', []);
      const [item] = await tb.listReceived('status');
      expect(await parseEdxml(await tb.fetch(item!.docId))).toEqual(src);
      await tb.ack(item!.docId, 'done');
    }
    ta.close();
    tb.close();
  });

  it('lenient parsing: foreign-dialect variants are accepted and normalised; a wrong namespace is refused with its reason', async () => {
    const { b } = await setup();
    const ta = transportFor(hub, AGENCY_A.OrganId);
    const xml = buildEdxml(sampleDocument(), { zip: false }).toString('utf8');
    const variant = xml.replaceAll('edXML:', 'x:').replaceAll('xmlns:edXML=', 'xmlns:x=').replaceAll('Bussiness', 'Business').replaceAll('<ContentId>cid:', '<ContentId>');
    await ta.send(Buffer.from(variant), 'edoc', []);
    await b.engine.syncOnce();
    const row = b.engine.inbox.list({ state: 'RECEIVED' })[0]!;
    expect(row.document_id).toBe(sampleDocument().header.DocumentId);
    expect(b.reg.reading.get(row.register_doc_id!).attachments.map((x) => x.name)).toEqual(['125-SNV-VP.signed.pdf']);
    const foreign = xml.replaceAll('http://www.mic.gov.vn/TBT/QCVN_102_2016', 'http://www.go.vn/eDoc');
    await expect(ta.send(Buffer.from(foreign), 'edoc', [])).rejects.toThrow(/FAIL 22 edXML not conformant: WRONG_NAMESPACE/);
    ta.close();
  });

  it('a hostile package that reaches the inbox is kept raw as INVALID, acknowledged fail, nothing registered', async () => {
    const { b } = await setup();
    const bomb = `<?xml version="1.0"?><!DOCTYPE edXML [<!ENTITY a "aaaa">]><edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">&a;</edXML>`;
    const r = await b.engine.accept('usb:1', 'edoc', Buffer.from(bomb));
    expect(r.row).toMatchObject({ state: 'INVALID', register_doc_id: null });
    expect(r.row.reason).toMatch(/^DTD_FORBIDDEN: /);
    expect(b.reg.handling.queue({ direction: 'den' })).toHaveLength(0);
  });

  it('Đ9.4 recall race: 13 arrives before 03 → RECALLED, 15 sent, no 03 ever', async () => {
    const { a, b } = await setup();
    const doc = await issuedDocument(a, [AGENCY_B]);
    a.engine.queueDocument(doc, [AGENCY_B]);
    await a.engine.syncOnce();
    await b.engine.syncOnce();
    await a.engine.recall(doc, 'Sai sót số liệu, sẽ gửi văn bản thay thế');
    await a.engine.syncOnce();
    await b.engine.syncOnce();
    const regId = b.engine.inbox.list({ messagetype: 'edoc' })[0]!.register_doc_id!;
    expect(b.reg.reading.get(regId).document.state).toBe('recalled');
    expect(() => b.reg.handling.transition(regId, 'register')).toThrow();
    await b.engine.syncOnce();
    await a.engine.syncOnce();
    const codes = a.reg.reading.get(doc).statusHistory.map((s) => s.code);
    expect(codes).toContain('15');
    expect(codes).not.toContain('03');
    expect(b.engine.outbox.list().filter((r) => r.status_code === '03')).toHaveLength(0);
  });

  it('a received package is read back only when its content is needed: a recall about it and a second delivery of it read no stored bytes', async () => {
    const { a, b } = await setup({ faults: { duplicateDelivery: 1 } });
    const doc = await issuedDocument(a, [AGENCY_B]);
    // Random bytes: the package stays above the inline limit after the zip deflates it.
    await a.reg.attachments.attach(doc, { name: 'phu-luc.bin', base64: randomBytes(200_000).toString('base64'), mime: 'application/octet-stream' });
    a.engine.queueDocument(doc, [AGENCY_B]);
    await a.engine.syncOnce();
    await b.engine.syncOnce();
    const port = b.engine.ctx.port;
    const readBlob = port.readBlob.bind(port);
    let reads = 0;
    port.readBlob = (sha256) => (reads++, readBlob(sha256));
    await a.engine.recall(doc, 'Sai sót số liệu');
    await a.engine.syncOnce();
    await b.engine.syncOnce();
    expect(b.engine.inbox.list({ state: 'RECALLED' })).toHaveLength(1);
    expect(reads).toBe(0);
    // The crash path still reads the package it has to finish.
    expect(b.engine.inbox.get(b.engine.inbox.list({ state: 'RECALLED' })[0]!.id)!.raw.length).toBeGreaterThan(200_000);
    expect(reads).toBe(1);
  });

  it('recall by a type-1 package and status 13 together: the document ends RECALLED, one 15 goes back', async () => {
    hub = await testHub();
    const a = workstation(hub, AGENCY_A, { config: { recallChannel: 'both' } });
    const b = workstation(hub, AGENCY_B);
    open.push(a, b);
    const doc = await issuedDocument(a, [AGENCY_B]);
    a.engine.queueDocument(doc, [AGENCY_B]);
    await a.engine.syncOnce();
    await b.engine.syncOnce();
    expect(await a.engine.recall(doc, 'Thu hồi để sửa')).toHaveLength(2);
    await a.engine.syncOnce();
    await b.engine.syncOnce();
    const recalls = b.engine.inbox.list().filter((r) => r.business_type === 1 || r.status_code === '13');
    expect(recalls.map((r) => r.state)).toEqual(['APPLIED', 'APPLIED']);
    expect(b.reg.reading.get(b.engine.inbox.list({ state: 'RECALLED' })[0]!.register_doc_id!).document.recallReason).toBe('Thu hồi để sửa');
    await b.engine.syncOnce();
    expect(b.engine.outbox.list().filter((r) => r.status_code === '15')).toHaveLength(1);
  });

  it('Đ4.3, Đ9.2 trả lại: 02 goes back with the clerk\'s reason', async () => {
    const { a, b } = await setup();
    const doc = await issuedDocument(a, [AGENCY_B]);
    a.engine.queueDocument(doc, [AGENCY_B]);
    await a.engine.syncOnce();
    await b.engine.syncOnce();
    const regId = b.engine.inbox.list({ state: 'RECEIVED' })[0]!.register_doc_id!;
    expect(() => b.reg.handling.transition(regId, 'return')).toThrow();
    b.reg.handling.transition(regId, 'return', { reason: 'Thiếu chữ ký của lãnh đạo' });
    await b.engine.syncOnce();
    await a.engine.syncOnce();
    const d = a.reg.reading.get(doc);
    expect(d.recipients[0]!.statusCode).toBe('02');
    expect(d.statusHistory.find((h) => h.code === '02')!.note).toBe('Thiếu chữ ký của lãnh đạo');
  });

  it('orphan status: a status before its document is known waits and is matched later', async () => {
    const { a } = await setup();
    const doc = await issuedDocument(a, [AGENCY_B]);
    const id = a.engine.queueDocument(doc, [AGENCY_B]);
    const pkg = (await parseEdxml(a.engine.outbox.get(id)!.package)) as Extract<EdxmlPackage, { kind: 'edoc' }>;
    const rf = { OrganId: AGENCY_A.OrganId, Code: 'x', PromulgationDate: pkg.header.PromulgationInfo.PromulgationDate, DocumentId: pkg.header.DocumentId };
    const early = await a.engine.accept('hub:early', 'status', buildEdxml(sampleStatus('01', { ResponseFor: rf })));
    expect(early.row.state).toBe('ORPHAN');
    await a.engine.syncOnce();
    expect(a.engine.inbox.get(early.row.id)!.state).toBe('APPLIED');
    expect(a.reg.reading.get(doc).recipients[0]!.statusCode).toBe('01');
  });

  it('directory change: recipient deleted mid-flight → FAILED_PERMANENT 18 with a clear message and the new code', async () => {
    const { a } = await setup();
    const doc = await issuedDocument(a, [AGENCY_C]);
    const id = a.engine.queueDocument(doc, [AGENCY_C]);
    hub.store.deleteAgency(AGENCY_C.OrganId, '000.00.09.H99');
    await a.engine.syncOnce();
    const row = a.engine.outbox.get(id)!;
    expect(row).toMatchObject({ state: 'FAILED_PERMANENT', hub_code: '18' });
    expect(row.last_error).toMatch(/now 000\.00\.09\.H99/);
    const { reasonVi } = await import('../../src-main/core/exchange/sync/outbox');
    expect(reasonVi(row.hub_code, row.last_error)).toBe('Cơ quan nhận không tồn tại trên trục liên thông (mã có thể đã đổi).');
    expect(a.reg.reading.get(doc).document.state).toBe('issued');
  });

  it('Đ5.2 ¶2, Đ6.1, Đ21.2 5xx before upload waits with backoff, urgent documents go first, "Đã gửi" only after the acknowledgement', async () => {
    let now = new Date('2026-03-10T02:00:00Z');
    hub = await testHub({ faults: { fail5xx: 1 } });
    const a = workstation(hub, AGENCY_A, { now: () => now });
    open.push(a);
    const normal = await issuedDocument(a, [AGENCY_B], { subject: 'thường' });
    const urgent = await issuedDocument(a, [AGENCY_B], { subject: 'hỏa tốc', priority: 3 });
    const n = a.engine.queueDocument(normal, [AGENCY_B]);
    const u = a.engine.queueDocument(urgent, [AGENCY_B]);
    await a.engine.syncOnce();
    // The 503 hit the first send, which was the urgent one.
    expect(a.engine.outbox.get(u)!).toMatchObject({ state: 'RETRY_WAIT', attempts: 1 });
    expect(a.engine.outbox.get(u)!.next_at).toBe(now.getTime() + 22_500);
    expect(a.engine.outbox.get(n)!.state).toBe('SENT');
    expect(a.reg.reading.get(urgent).document.state).toBe('issued');
    now = new Date(now.getTime() + 30_000);
    await a.engine.syncOnce();
    expect(a.engine.outbox.get(u)!.state).toBe('SENT');
    expect(a.reg.reading.get(urgent).document.state).toBe('sent');
  });

  it('Đ1.2 documents with độ mật never enter the outbox', async () => {
    const { a } = await setup();
    const secret = await issuedDocument(a, [AGENCY_B], { secrecy: 1 });
    expect(() => a.engine.queueDocument(secret, [AGENCY_B])).toThrow(expect.objectContaining({ vi: 'Văn bản mật không được gửi qua trục liên thông.' }));
    expect(a.engine.outbox.list()).toHaveLength(0);
  });
});
