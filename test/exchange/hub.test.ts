import { request } from 'node:https';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { buildEdxml, parseEdxml } from '../../src-main/core/exchange/edxml/index';
import { checkSignedHeaders, sdkTimestamp, signedHeaders } from '../../src-main/core/exchange/transport/hmac';
import { TransportError } from '../../src-main/core/exchange/transport/types';
import type { Hub } from '../../src-main/hub/server';
import { AGENCY_A, AGENCY_B, sampleDocument, sampleStatus } from './samples';
import { TLS, testHub, transportFor } from './helpers';

let hub: Hub | undefined;
afterEach(async () => {
  await hub?.close();
  hub = undefined;
});

async function failure(p: Promise<unknown>): Promise<TransportError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(TransportError);
    return e as TransportError;
  }
  throw new Error('call succeeded');
}

describe('HMAC (docs/exchange.md §2)', () => {
  it('matches the test vector and is checked byte for byte', () => {
    const params = [['servicetype', 'eDoc'], ['messagetype', 'edoc'], ['timestamp', '26112025T094512+0123'], ['systemid', '000.00.00.H99'], ['Content-Type', 'application/json']] as const;
    const h = signedHeaders(params, 'test-secret');
    expect(h['XroadVnpt-hash-header']).toBe('d9119505f858de8150623ad3851e452eebe5017440a277e0a36a24cb77c67f04');
    expect(h['XroadVnpt-sign-header-key']).toBe('servicetype;messagetype;timestamp;systemid;Content-Type');
    const at = new Date('2025-11-26T02:45:12.123Z');
    expect(sdkTimestamp(at)).toBe('26112025T094512+0123');
    const get = (hs: Record<string, string>) => (n: string) => hs[n];
    const secret = (id: string) => (id === '000.00.00.H99' ? 'test-secret' : undefined);
    expect(checkSignedHeaders(get(h), secret, at, 600_000)).toMatchObject({ ok: true, systemid: '000.00.00.H99' });
    expect(checkSignedHeaders(get({ ...h, 'XroadVnpt-messagetype': 'status' }), secret, at, 600_000).failure).toBe('HEADER_MISMATCH');
    expect(checkSignedHeaders(get({ ...h, 'XroadVnpt-sign-header': h['XroadVnpt-sign-header']!.replace('edoc', 'stat') }), secret, at, 600_000).failure).toBe('BAD_SIGNATURE');
    expect(checkSignedHeaders(get(h), secret, new Date(at.getTime() + 11 * 60_000), 600_000).failure).toBe('STALE');
    expect(checkSignedHeaders(get(h), secret, new Date(at.getTime() + 11 * 60_000), null).ok).toBe(true);
    expect(checkSignedHeaders(get(h), () => undefined, at, null).failure).toBe('UNKNOWN_SYSTEM');
  });
});

describe('reference hub over HTTPS', () => {
  it('routes a document to its recipient and a status back; ack by id', async () => {
    hub = await testHub();
    const a = transportFor(hub, AGENCY_A.OrganId);
    const b = transportFor(hub, AGENCY_B.OrganId);
    const doc = buildEdxml(sampleDocument());
    const { docId } = await a.send(doc, 'edoc', []);
    expect(docId).toMatch(/^[0-9a-f]{24}$/);
    const list = await b.listReceived('edoc');
    expect(list).toHaveLength(1);
    const fetched = await b.fetch(list[0]!.docId);
    const pkg = await parseEdxml(fetched);
    expect(pkg.kind === 'edoc' && pkg.trace.TraceHeader.length).toBe(2);
    await b.ack(list[0]!.docId, 'done');
    expect(await b.listReceived('edoc')).toHaveLength(0);
    await b.send(buildEdxml(sampleStatus('01')), 'status', []);
    expect((await a.listReceived('status')).length).toBe(1);
    const sent = await a.listSent('edoc', docId);
    expect(sent).toMatchObject([{ senderDocId: docId, toCode: AGENCY_B.OrganId, receiveStatus: 'done' }]);
    expect(hub.store.evidence.verify().ok).toBe(true);
    a.close();
    b.close();
  });

  it('Đ22.2 refuses a wrong secret, a stale timestamp and a replayed request; 18 for an unknown recipient; 22 for a bad package', async () => {
    const clock = new Date();
    hub = await testHub({ now: () => clock });
    const doc = buildEdxml(sampleDocument());
    const wrong = transportFor(hub, AGENCY_A.OrganId, { secret: 'nope' });
    expect((await failure(wrong.send(doc, 'edoc', []))).hubCode).toBe('15');
    const stale = transportFor(hub, AGENCY_A.OrganId, { now: () => new Date(clock.getTime() - 20 * 60_000) });
    expect((await failure(stale.listReceived('edoc'))).message).toMatch(/STALE/);
    // A byte-identical replay of a signed request: same timestamp, same hash-header.
    const headers = signedHeaders([['servicetype', 'eDoc'], ['messagetype', 'edoc'], ['Content-Type', 'application/json'], ['timestamp', sdkTimestamp(clock)], ['systemid', AGENCY_A.OrganId]], 'secret-a');
    const raw = () => new Promise<Record<string, unknown>>((resolve, reject) => {
      const req = request(`${hub!.url}/getReceivedEdocList`, { method: 'POST', ca: readFileSync(TLS.ca), headers }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve(JSON.parse(body) as Record<string, unknown>));
      });
      req.on('error', reject);
      req.end();
    });
    expect(await raw()).toMatchObject({ status: 'OK' });
    expect(await raw()).toMatchObject({ status: 'FAIL', ErrorCode: '15', ErrorDesc: 'authentication failed: REPLAY' });
    // Our client never replays: two calls in the same millisecond get distinct timestamps.
    const fixed = new Date(clock.getTime() + 1000);
    const same = transportFor(hub, AGENCY_A.OrganId, { now: () => fixed });
    await same.listReceived('edoc');
    await same.listReceived('edoc');
    const a = transportFor(hub, AGENCY_A.OrganId);
    const ghost = sampleDocument({ to: [{ OrganId: '000.00.77.H99', OrganName: 'Không có' }] });
    expect((await failure(a.send(buildEdxml(ghost), 'edoc', []))).hubCode).toBe('18');
    const foreign = buildEdxml(sampleDocument()).toString('utf8').replaceAll('http://www.mic.gov.vn/TBT/QCVN_102_2016', 'http://www.go.vn/eDoc');
    const e = await failure(a.send(Buffer.from(foreign), 'edoc', []));
    expect(e.hubCode).toBe('22');
    expect(e.kind).toBe('permanent');
    expect(hub.store.messageCount()).toBe(0);
  });

  it('Đ22.2 mutual TLS: no certificate and a foreign CA are refused, the provisioned client certificate works', async () => {
    hub = await testHub({ mtls: true });
    const none = transportFor(hub, AGENCY_A.OrganId);
    expect((await failure(none.listReceived('edoc'))).kind).not.toBe('permanent');
    const rogue = transportFor(hub, AGENCY_A.OrganId, { cert: TLS.rogueCert, key: TLS.rogueKey });
    await failure(rogue.listReceived('edoc'));
    const good = transportFor(hub, AGENCY_A.OrganId, { cert: TLS.clientCert, key: TLS.clientKey });
    expect(await good.listReceived('edoc')).toEqual([]);
    for (const t of [none, rogue, good]) t.close();
  });

  it('hub-side dedup returns the first DocId; with dedup off the same upload is stored twice', async () => {
    hub = await testHub();
    const a = transportFor(hub, AGENCY_A.OrganId);
    const doc = buildEdxml(sampleDocument());
    const first = await a.send(doc, 'edoc', []);
    expect((await a.send(doc, 'edoc', [])).docId).toBe(first.docId);
    expect(hub.store.messageCount()).toBe(1);
    hub.faults.set({ dedup: false });
    expect((await a.send(doc, 'edoc', [])).docId).not.toBe(first.docId);
    expect(hub.store.messageCount()).toBe(2);
    a.close();
  });

  it('admin endpoint switches faults only with the admin token', async () => {
    hub = await testHub();
    const post = (token: string) => new Promise<number>((resolve, reject) => {
      const req = request(`${hub!.url}/_admin/faults`, { method: 'POST', ca: readFileSync(TLS.ca), headers: { 'x-hub-admin': token } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end(JSON.stringify({ fail5xx: 1 }));
    });
    expect(await post('wrong')).toBe(403);
    expect(hub.faults.plan.fail5xx).toBe(0);
  });
});
