/**
 * The exchange through the real backend's dispatch (what the UI calls): a workstation configured for
 * the reference hub sends, another one (an engine over its own register) receives and answers, and the
 * backend shows the outbox with per-recipient status, the inbox, the sync indicator and the events.
 */
import { readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../src-main/core/backend';
import { demoSettings, registerDbPath } from '../../src-main/core/config';
import { memoryLogger } from '../../src-main/core/log';
import { writeSecret } from '../../src-main/core/exchange/secrets';
import { openRegister } from '../../src-main/core/register/index';
import type { Envelope } from '../../src-main/contract/api';
import type { Hub } from '../../src-main/hub/server';
import { AGENCY_A, AGENCY_B } from './samples';
import { addSignature } from '../fixtures-gen/pades';
import { makeBasePdf } from '../fixtures-gen/base-pdf';
import { identity } from '../fixtures-gen/test-certs';
import { SECRETS, TLS, tempDir, testHub } from './helpers';
import { issuedDocument, workstation } from './workstation';

let backend: Backend | undefined;
let hub: Hub | undefined;
afterAll(async () => {
  await backend?.close();
  await hub?.close();
});

describe('exchange API', () => {
  it('send, sync, outbox with statuses, inbox, verify, indicator, events', async () => {
    hub = await testHub();
    const dataDir = tempDir('vanthu-xapi-');
    writeFileSync(join(dataDir, 'exchange.json'), JSON.stringify({ endpoint: hub.url, systemid: AGENCY_A.OrganId, organId: AGENCY_A.OrganId, organName: AGENCY_A.OrganName, tls: { ca: TLS.ca }, pollMs: 3_600_000 }));
    writeSecret(dataDir, 'exchange-hmac', Buffer.from(SECRETS[AGENCY_A.OrganId]!));
    const settings = { ...demoSettings({ ...process.env, VANTHU_DATA_DIR: dataDir }), dataDir };
    // The document to send, made in A's register before the backend opens it.
    const seed = openRegister(registerDbPath(dataDir), { agency: settings.agency });
    const a = { reg: seed } as unknown as Parameters<typeof issuedDocument>[0];
    const docId = await issuedDocument(a, [AGENCY_B]);
    seed.dispose();

    backend = await createBackend(settings, memoryLogger(), { host: 'cli', checkOutputs: true });
    const events: Array<[string, unknown]> = [];
    backend.subscribe((e, p) => events.push([e, p]));
    const call = async <T>(method: string, input: unknown): Promise<T> => {
      const env = (await backend!.dispatch(method, input, { transport: 'test' })) as Envelope<T>;
      if (!env.ok) throw new Error(`${method}: ${env.error.code} ${env.error.message}`);
      return env.value;
    };

    expect(await call('exchange.status', {})).toMatchObject({ configured: true, lastSuccessAt: null });
    const { outboxId } = await call<{ outboxId: number }>('exchange.send', { registerDocId: docId, to: [{ OrganId: AGENCY_B.OrganId, OrganName: AGENCY_B.OrganName }] });
    await call('exchange.syncNow', {});
    const b = workstation(hub, AGENCY_B);
    await b.engine.syncOnce();
    const inRow = b.engine.inbox.list()[0]!;
    b.reg.handling.transition(inRow.register_doc_id!, 'register');
    // B also sends A a signed document, to be verified on arrival.
    const back = await issuedDocument(b, [AGENCY_A], { subject: 'Trả lời' });
    const signed = addSignature(await makeBasePdf(), { signer: identity('rsa'), widget: { page: 0, rect: [72, 600, 272, 680] } });
    await b.reg.attachments.attach(back, { name: 'tra-loi.signed.pdf', base64: signed.toString('base64'), mime: 'application/pdf' });
    b.engine.queueDocument(back, [AGENCY_A]);
    await b.engine.syncOnce();
    b.close();
    const report = await call<{ statusesApplied: number; error: string | null }>('exchange.syncNow', {});
    expect(report).toMatchObject({ error: null });

    const items = (await call<{ items: Array<Record<string, unknown>> }>('exchange.outbox', {})).items.filter((i) => i.kind === 'edoc');
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ id: outboxId, state: 'SENT', stateVi: 'Đã gửi', registerDocId: docId, recipients: [{ organId: AGENCY_B.OrganId, statusCode: '03' }] });
    expect((items[0]!.recipients as Array<{ history: unknown[] }>)[0]!.history).toHaveLength(2);
    expect(items[0]!.sentAt).toMatch(/\+07:00$/);
    const inbox = await call<{ items: Array<Record<string, unknown>> }>('exchange.inbox', {});
    expect(inbox.items.filter((i) => i.kind === 'status').map((i) => i.statusCode).sort()).toEqual(['01', '03']);
    const arrived = inbox.items.find((i) => i.kind === 'edoc')!;
    expect(arrived).toMatchObject({ state: 'RECEIVED', stateVi: 'Đã đến', subject: 'Trả lời', from: AGENCY_B.OrganId });
    const verified = await call<{ attachments: Array<{ name: string; report: { overall: string } | null }> }>('exchange.verifyArrived', { inboxId: arrived.id });
    expect(verified.attachments.find((x) => x.name === 'tra-loi.signed.pdf')!.report).toMatchObject({ signatures: [expect.anything()] });
    expect(events.some(([e]) => e === 'exchange.arrived')).toBe(true);
    const st = await call<Record<string, unknown>>('exchange.status', {});
    expect(st).toMatchObject({ configured: true, outbox: { SENT: 2 }, evidence: { ok: true } });
    expect(st.lastSuccessAt).toMatch(/\+07:00$/);
    expect(events.some(([e]) => e === 'exchange.statusChanged')).toBe(true);
    expect(events.some(([e]) => e === 'exchange.progress')).toBe(true);
    const bad = await backend.dispatch('exchange.answer', { inboxId: 999, accept: true }, { transport: 'test' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: 'Yêu cầu này không chờ quyết định.' } });

    // One connection to the register file: the exchange works inside the register worker, and the
    // register's own calls see what it wrote (the arrived document, with its sender).
    const db = registerDbPath(dataDir);
    const open = readdirSync('/proc/self/fd').filter((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`) === db;
      } catch {
        return false;
      }
    });
    expect(open).toHaveLength(1);
    const got = await call<{ document: { Subject: string; state: string } }>('register.get', { id: arrived.registerDocId });
    expect(got.document).toMatchObject({ Subject: 'Trả lời', state: 'received' });
  }, 60_000);
});
