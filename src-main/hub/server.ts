import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { DEFAULT_LIMITS, parseEdxml, type EdxmlPackage } from '../core/exchange/edxml/index';
import { EdxmlRefused } from '../core/exchange/edxml/errors';
import { checkSignedHeaders, HEADER_PREFIX } from '../core/exchange/transport/hmac';
import { readMultipart } from '../core/exchange/transport/multipart';
import { isoVietnam } from '../contract/time';
import { edxmlTimestamp } from '../core/exchange/edxml/time';
import { Faults, type FaultPlanInput } from './faults';
import { HubStore, type DeliveryRow } from './store';

/**
 * The reference hub (docs/exchange.md §2): the SDK paths over HTTPS on loopback, HMAC
 * checks with freshness window and replay cache, optional mutual TLS, upload dedup with a switch, and
 * injectable faults. A test and demo component: the workstation's core never imports it.
 */
export interface HubOptions {
  dataDir: string;
  port?: number;
  host?: string;
  tlsCert: string;
  tlsKey: string;
  /** When set, clients must present a certificate issued by this CA. */
  clientCa?: string;
  faults?: FaultPlanInput;
  /** The hub's own OrganId, written into the TraceHeader it appends on delivery. */
  organId?: string;
  now?: () => Date;
  /** Secret for `/_admin/*` (fault switching from outside the process). */
  adminToken?: string;
}

export interface Hub {
  url: string;
  port: number;
  store: HubStore;
  faults: Faults;
  close(): Promise<void>;
}

type Json = Record<string, unknown>;
const DEDUP_WINDOW_MS = 7 * 24 * 3600_000;
const MAX_BODY = DEFAULT_LIMITS.maxPackageBytes + 64 * 1024;
const ok = (extra: Json = {}): Json => ({ status: 'OK', ErrorCode: '0', ErrorDesc: '', ...extra });
const fail = (code: string, desc: string): Json => ({ status: 'FAIL', ErrorCode: code, ErrorDesc: desc });

class HttpError extends Error {
  constructor(readonly statusCode: number, message: string) {
    super(message);
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  let n = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    n += c.length;
    if (n > MAX_BODY) throw new HttpError(413, 'body too large');
    parts.push(c);
  }
  return Buffer.concat(parts);
}

/** The hub's hop, appended to a delivered document's TraceHeaderList, before its Bussiness. */
function withTraceHeader(body: Buffer, organId: string, at: Date): Buffer {
  // The Bussiness element sits in the envelope, before the megabytes of attachments: search the head
  // as text (the whole package only if it is not there) and splice bytes, instead of re-encoding it all.
  const find = (text: string) => /<([A-Za-z0-9_.-]+:)?Bus{1,2}iness>/.exec(text);
  let head = body.subarray(0, 256 * 1024).toString('utf8');
  let m = find(head);
  if (!m && body.length > 256 * 1024) m = find((head = body.toString('utf8')));
  if (!m) return body;
  const p = m[1] ?? '';
  const offset = Buffer.byteLength(head.slice(0, m.index), 'utf8');
  const trace = Buffer.from(`<${p}TraceHeader><${p}OrganId>${organId}</${p}OrganId><${p}Timestamp>${edxmlTimestamp(at)}</${p}Timestamp></${p}TraceHeader>`, 'utf8');
  return Buffer.concat([body.subarray(0, offset), trace, body.subarray(offset)]);
}

function recipientsOf(pkg: EdxmlPackage, toHeader: string | undefined): string[] {
  const set = new Set<string>(pkg.kind === 'status' ? [pkg.ResponseFor.OrganId] : pkg.header.To.map((t) => t.OrganId));
  if (toHeader) {
    try {
      for (const t of JSON.parse(toHeader) as unknown[]) if (typeof t === 'string') set.add(t);
    } catch {
      /* a malformed optional header adds nobody */
    }
  }
  return [...set];
}

function listItem(d: DeliveryRow): Json {
  return { docId: d.doc_id, serviceType: 'eDoc', messageType: d.messagetype, created_time: d.created_at, updated_time: d.updated_at, from: d.from_code, to: d.to_code, status: d.status, status_desc: d.status };
}

export async function startHub(opts: HubOptions): Promise<Hub> {
  const now = opts.now ?? (() => new Date());
  const store = new HubStore(opts.dataDir, () => isoVietnam(now()));
  const faults = new Faults(opts.faults);
  const hubOrgan = opts.organId ?? '000.00.00.H99';

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<Json | Buffer | 'drop'> {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path.startsWith('/_admin/')) {
      if (!opts.adminToken || req.headers['x-hub-admin'] !== opts.adminToken) throw new HttpError(403, 'admin token');
      if (path === '/_admin/faults') {
        faults.set(JSON.parse((await readBody(req)).toString('utf8')) as FaultPlanInput);
        return ok();
      }
      throw new HttpError(404, 'no such admin path');
    }
    if (faults.plan.delayMs > 0) await new Promise((r) => setTimeout(r, faults.plan.delayMs));
    if (faults.server5xx()) throw new HttpError(503, 'injected 5xx');
    const get = (name: string) => {
      const v = req.headers[name.toLowerCase()];
      return Array.isArray(v) ? v[0] : v;
    };
    const auth = checkSignedHeaders(get, (id) => store.bySystem(id)?.secret ?? undefined, now(), faults.plan.freshnessMs);
    if (!auth.ok) return fail('15', `authentication failed: ${auth.failure}`);
    if (faults.plan.freshnessMs !== null && faults.plan.replayCheck && store.replayed(auth.hashHeader!, now().getTime(), faults.plan.freshnessMs)) return fail('15', 'authentication failed: REPLAY');
    const me = store.bySystem(auth.systemid!)!;
    const p = auth.params!;
    const body = await readBody(req);
    switch (path) {
      case '/sendEdoc':
        return sendEdoc(me.code, p, get, req.headers['content-type'], body);
      case '/getReceivedEdocList': {
        const items = store.pending(me.code, p.messagetype ?? 'edoc').map(listItem);
        return ok({ data: faults.plan.reverseListing ? items.reverse() : items });
      }
      case '/getEdoc':
      case '/downloadEdoc': {
        const d = store.delivery(p.docId ?? p.docid ?? '');
        if (!d || d.to_code !== me.code) return fail('21', 'no such document for this agency');
        const bytes = d.messagetype === 'edoc' ? withTraceHeader(d.body, hubOrgan, new Date(d.created_at)) : d.body;
        store.evidence.append({ kind: path.slice(1), hubDocId: d.doc_id, documentId: d.document_id, payload: bytes, detail: { to: me.code } });
        return path === '/downloadEdoc' ? bytes : ok({ data: bytes.toString('base64') });
      }
      case '/updateStatus': {
        const docId = p.docId ?? p.docid ?? '';
        const status = p.status ?? '';
        if (!['done', 'fail', 'processing'].includes(status)) return fail('21', 'status must be done, fail or processing');
        const d = store.delivery(docId);
        if (!d || d.to_code !== me.code) return fail('21', 'no such document for this agency');
        const n = faults.plan.confirmAll && status === 'done' ? store.confirmAll(me.code) : store.setStatus(docId, status);
        store.evidence.append({ kind: 'updateStatus', hubDocId: docId, detail: { status, changed: n } });
        return ok();
      }
      case '/getSentEdocList':
        return ok({ data: store.sent(me.code, p.messagetype ?? 'edoc', p.docId).map((d) => ({ serviceType: 'eDoc', messageType: d.messagetype, senderDocId: d.message_id, receiverDocId: d.doc_id, fromCode: d.from_code, toCode: d.to_code, title: d.title, notation: d.notation, documentId: d.document_id, hashFile: d.hash_file, sentTime: d.created_at, receivedTime: d.status === 'done' ? d.updated_at : null, sendStatus: 'done', sendStatusDesc: 'Đã gửi', receiveStatus: d.status, receiveStatusDesc: d.status })) });
      case '/countReceiveEdoc':
      case '/countReceiveStatus':
        return ok({ count: store.pending(me.code, path === '/countReceiveEdoc' ? 'edoc' : 'status').length });
      case '/getAgenciesList':
      case '/getAgenciesListQD20':
      case '/getSynchronizeUnit':
        return ok({ data: store.agencies().filter((a) => path === '/getSynchronizeUnit' || !a.deleted).map((a) => ({ id: a.code, pid: null, code: a.code, code102: a.code, name: a.name, mail: a.mail, oldCode: a.alias_of, centerCode: hubOrgan, version: a.version, deleted: a.deleted === 1, modifyDate: a.modified, isAgency: true })) });
      case '/registerAgency': {
        const a = JSON.parse(body.toString('utf8') || '{}') as { code?: string; name?: string; mail?: string };
        if (!a.code || !a.name) return fail('21', 'code and name required');
        store.upsertAgency({ code: a.code, name: a.name, mail: a.mail });
        return ok();
      }
      case '/deleteAgency':
        return store.deleteAgency(p.AgencyCode ?? get('AgencyCode') ?? '') ? ok() : fail('18', 'no such agency');
      default:
        throw new HttpError(404, 'no such path');
    }
  }

  async function sendEdoc(from: string, p: Record<string, string>, get: (n: string) => string | undefined, contentType: string | undefined, body: Buffer): Promise<Json | 'drop'> {
    const messagetype = p.messagetype === 'status' ? 'status' : 'edoc';
    if (p.from && p.from !== from) return fail('19', 'sender does not match the system id');
    const file = readMultipart(contentType, body, 'file_doc');
    if (!file) return fail('10', 'no file_doc part');
    const hash = createHash('sha256').update(file).digest('hex');
    if ((p['hash-file'] ?? get(`${HEADER_PREFIX}hash-file`))?.toLowerCase() !== hash) return fail('10', 'hash-file does not match the upload');
    let pkg: EdxmlPackage;
    try {
      pkg = await parseEdxml(file);
    } catch (e) {
      if (e instanceof EdxmlRefused) return fail('22', `edXML not conformant: ${e.reason}`);
      throw e;
    }
    if ((pkg.kind === 'status') !== (messagetype === 'status')) return fail('22', 'messagetype does not match the package');
    const documentId = pkg.kind === 'status' ? pkg.ResponseFor.DocumentId : pkg.header.DocumentId;
    const to = recipientsOf(pkg, p.to);
    for (const code of to) {
      const a = store.agency(code);
      if (!a || a.deleted) return fail('18', `recipient ${code} does not exist${a?.alias_of ? `; now ${a.alias_of}` : ''}`);
      if (a.locked) return fail('23', `recipient ${code} is locked`);
    }
    const injected = faults.failCode();
    if (injected) return fail(injected, 'injected failure');
    const nowMs = now().getTime();
    const dedupKey = `${from}|${hash}|${documentId}|${messagetype}`;
    const prior = faults.plan.dedup ? store.dedupHit(dedupKey, nowMs - DEDUP_WINDOW_MS) : undefined;
    const id = prior ?? store.commitMessage({
      from, messagetype, documentId, hashFile: hash, body: file, to, duplicate: faults.duplicate(), dedupKey, nowMs,
      notation: pkg.kind === 'status' ? pkg.ResponseFor.Code : `${pkg.header.Code.CodeNumber}/${pkg.header.Code.CodeNotation}`,
      title: pkg.kind === 'status' ? pkg.StatusCode : pkg.header.Subject,
    });
    store.evidence.append({ kind: 'sendEdoc', hubDocId: id, documentId, payload: file, detail: { from, messagetype, to, deduplicated: !!prior } });
    if (faults.dropAfterCommit()) return 'drop';
    return ok({ DocId: id });
  }

  const server: Server = createServer(
    {
      cert: readFileSync(opts.tlsCert),
      key: readFileSync(opts.tlsKey),
      ...(opts.clientCa ? { ca: readFileSync(opts.clientCa), requestCert: true, rejectUnauthorized: true } : {}),
    },
    (req, res) => {
      handle(req, res).then(
        (out) => {
          if (out === 'drop') {
            req.socket.destroy();
            return;
          }
          if (Buffer.isBuffer(out)) {
            res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': out.length });
            res.end(out);
            return;
          }
          const text = JSON.stringify(out);
          res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
          res.end(text);
        },
        (e: unknown) => {
          const code = e instanceof HttpError ? e.statusCode : 500;
          const text = JSON.stringify(fail('20', e instanceof HttpError ? e.message : 'internal error'));
          if (!res.headersSent) res.writeHead(code, { 'content-type': 'application/json; charset=utf-8' });
          res.end(text);
        },
      );
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://${opts.host ?? '127.0.0.1'}:${port}`,
    port,
    store,
    faults,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          store.close();
          resolve();
        });
      }),
  };
}
