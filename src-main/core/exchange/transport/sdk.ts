import { createHash } from 'node:crypto';
import { Agent, request } from 'node:https';
import { sdkTimestamp, signedHeaders } from './hmac';
import { buildMultipart } from './multipart';
import { TransportError, type CallRecord, type ExchangeTransport, type MessageType, type ReceivedItem, type SentItem } from './types';

/**
 * The SDK dialect (docs/exchange.md §2): parameters as signed `XroadVnpt-*` headers with a fresh
 * timestamp on every request, `hash-file` on uploads, JSON envelopes. Node's https has no automatic
 * retry, and none is added: the outbox decides what to do after a failure (§3).
 */
export interface SdkConfig {
  endpoint: string;
  systemid: string;
  /** Our OrganId, sent as `from`. */
  organId: string;
  /** HMAC key: from the secret store, never from configuration files or logs. */
  secret: Buffer;
  tls?: { ca?: Buffer; cert?: Buffer; key?: Buffer; passphrase?: string };
  timeoutMs?: number;
  now?: () => Date;
}

interface Answer {
  statusCode: number;
  contentType: string;
  body: Buffer;
}

const RETRYABLE_HUB_CODES = new Set(['20']);

export class SdkTransport implements ExchangeTransport {
  readonly dialect = 'sdk';
  onCall?: (r: CallRecord) => void;
  private readonly agent: Agent;
  private readonly base: URL;
  private lastMs = 0;

  constructor(private readonly cfg: SdkConfig) {
    this.base = new URL(cfg.endpoint);
    if (this.base.protocol !== 'https:') throw new Error('exchange endpoint must be https');
    this.agent = new Agent({ keepAlive: true, maxSockets: 4, ca: cfg.tls?.ca, cert: cfg.tls?.cert, key: cfg.tls?.key, passphrase: cfg.tls?.passphrase });
  }

  close(): void {
    this.agent.destroy();
  }

  /**
   * Strictly increasing per transport: two identical calls in the same millisecond would otherwise
   * carry the same signature and the second would be refused as a replay.
   */
  private nextTimestamp(): string {
    const t = Math.max((this.cfg.now ?? (() => new Date()))().getTime(), this.lastMs + 1);
    this.lastMs = t;
    return sdkTimestamp(new Date(t));
  }

  private headers(params: Array<[string, string]>, contentType: string): Record<string, string> {
    const all: Array<[string, string]> = [...params, ['Content-Type', contentType], ['timestamp', this.nextTimestamp()], ['systemid', this.cfg.systemid]];
    return { ...signedHeaders(all, this.cfg.secret), 'Content-Type': contentType };
  }

  /** One HTTPS exchange. `uploaded` tells whether the whole body left before a failure. */
  private call(path: string, method: 'GET' | 'POST', headers: Record<string, string>, body: Buffer | null): Promise<Answer> {
    return new Promise((resolve, reject) => {
      let uploaded = false;
      const req = request(new URL(path, this.base), { method, agent: this.agent, headers: { ...headers, 'Content-Length': String(body?.length ?? 0) }, timeout: this.cfg.timeoutMs ?? 60_000 }, (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () => resolve({ statusCode: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body: Buffer.concat(parts) }));
        res.on('error', (e) => reject(new TransportError('ambiguous', `${path}: response broken: ${e.message}`)));
      });
      req.on('finish', () => (uploaded = true));
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', (e: NodeJS.ErrnoException) => {
        const before = !uploaded || e.code === 'ECONNREFUSED' || e.code === 'ENOTFOUND' || e.code === 'EHOSTUNREACH';
        reject(new TransportError(before ? 'retry' : 'ambiguous', `${path}: ${e.code ?? ''} ${e.message}`.trim()));
      });
      req.end(body ?? undefined);
    });
  }

  /**
   * One signed call. A JSON envelope is checked (`FAIL` → permanent, or retry for the hub's internal
   * error); with `bytes`, a non-JSON 200 answer is the payload itself (`/downloadEdoc`).
   */
  private async exchange(path: string, params: Array<[string, string]>, opts: { body?: Buffer; contentType?: string; method?: 'GET' | 'POST'; bytes?: boolean } = {}): Promise<Record<string, unknown> | Buffer> {
    const headers = this.headers(params, opts.contentType ?? 'application/json');
    const record: CallRecord = { call: path, headers, request: opts.body };
    try {
      const a = await this.call(path, opts.method ?? 'POST', headers, opts.body ?? null);
      if (a.statusCode >= 500) throw new TransportError('retry', `${path}: HTTP ${a.statusCode}`);
      if (opts.bytes && a.statusCode === 200 && !a.contentType.startsWith('application/json')) {
        record.response = { status: 'OK', length: a.body.length };
        return a.body;
      }
      let env: Record<string, unknown>;
      try {
        env = JSON.parse(a.body.toString('utf8')) as Record<string, unknown>;
      } catch {
        throw new TransportError('retry', `${path}: HTTP ${a.statusCode}, not JSON`);
      }
      record.response = { status: env.status, ErrorCode: env.ErrorCode, ErrorDesc: env.ErrorDesc, DocId: env.DocId };
      if (env.status !== 'OK') {
        const code = String(env.ErrorCode ?? '');
        throw new TransportError(RETRYABLE_HUB_CODES.has(code) ? 'retry' : 'permanent', `${path}: FAIL ${code} ${String(env.ErrorDesc ?? '').slice(0, 200)}`, code);
      }
      return env;
    } catch (e) {
      record.error = (e as Error).message;
      throw e;
    } finally {
      this.onCall?.(record);
    }
  }

  private async json(path: string, params: Array<[string, string]>, opts: { body?: Buffer; contentType?: string } = {}): Promise<Record<string, unknown>> {
    return (await this.exchange(path, params, opts)) as Record<string, unknown>;
  }

  async send(pkg: Buffer, type: MessageType, to: readonly string[]): Promise<{ docId: string }> {
    const { contentType, body } = buildMultipart('file_doc', 'package.edxml', pkg);
    const params: Array<[string, string]> = [['from', this.cfg.organId], ['servicetype', 'eDoc'], ['messagetype', type], ['hash-file', createHash('sha256').update(pkg).digest('hex')]];
    if (to.length) params.push(['to', JSON.stringify(to)]);
    const env = await this.json('/sendEdoc', params, { body, contentType });
    if (typeof env.DocId !== 'string' || env.DocId === '') throw new TransportError('ambiguous', '/sendEdoc: OK without DocId');
    return { docId: env.DocId };
  }

  async listReceived(type: MessageType): Promise<ReceivedItem[]> {
    const env = await this.json('/getReceivedEdocList', [['servicetype', 'eDoc'], ['messagetype', type]]);
    const data = Array.isArray(env.data) ? (env.data as Array<Record<string, unknown>>) : [];
    return data.filter((d) => typeof d.docId === 'string').map((d) => ({ docId: d.docId as string, messageType: type, from: String(d.from ?? ''), createdTime: String(d.created_time ?? '') }));
  }

  /**
   * The package's bytes by `/downloadEdoc` (the SDK's streamed download): no base64 inside JSON, a
   * third fewer bytes on the wire and no megabyte JSON to parse. A hub answering it with a JSON
   * envelope instead (some do, with `data`) is read too.
   */
  async fetch(docId: string): Promise<Buffer> {
    const answer = await this.exchange('/downloadEdoc', [['docId', docId]], { method: 'GET', bytes: true });
    if (Buffer.isBuffer(answer)) return answer;
    if (typeof answer.data !== 'string') throw new TransportError('retry', '/downloadEdoc: no data');
    return Buffer.from(answer.data, 'base64');
  }

  async ack(docId: string, status: 'done' | 'fail'): Promise<void> {
    await this.json('/updateStatus', [['docId', docId], ['status', status]]);
  }

  async listSent(type: MessageType, senderDocId?: string): Promise<SentItem[]> {
    const params: Array<[string, string]> = [['servicetype', 'eDoc'], ['messagetype', type]];
    if (senderDocId) params.push(['docId', senderDocId]);
    const env = await this.json('/getSentEdocList', params);
    const data = Array.isArray(env.data) ? (env.data as Array<Record<string, unknown>>) : [];
    return data.map((d) => ({
      senderDocId: String(d.senderDocId ?? ''), receiverDocId: String(d.receiverDocId ?? ''), toCode: String(d.toCode ?? ''),
      documentId: typeof d.documentId === 'string' ? d.documentId : null, notation: typeof d.notation === 'string' ? d.notation : null,
      title: typeof d.title === 'string' ? d.title : null, hashFile: typeof d.hashFile === 'string' ? d.hashFile : null,
      sentTime: String(d.sentTime ?? ''), receiveStatus: String(d.receiveStatus ?? ''),
    }));
  }
}
