import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Dispatch } from '../contract/dispatch';
import type { ErrorPayload } from '../contract/errors';
import type { Logger } from '../core/log';

/**
 * Browser mode: serves the renderer and the API on 127.0.0.1 only, for `npm start` where Electron is
 * absent and for the tests. Every API request must carry the per-run secret; Host must be exactly
 * 127.0.0.1:<port> (DNS-rebinding defence); a browser Origin other than ours is refused; no CORS headers
 * are ever sent, so other sites' pages cannot read replies.
 */
export interface BridgeOptions {
  dispatch: Dispatch;
  /** Subscribe to backend events; returns an unsubscribe function. */
  subscribe: (listener: (event: string, payload: unknown) => void) => () => void;
  /** Built renderer folder (index.html + assets); omitted in API-only tests. */
  staticDir?: string;
  log: Logger;
  /** Largest accepted request body. */
  maxBodyBytes?: number;
}

export interface BridgeHandle {
  port: number;
  secret: string;
  origin: string;
  /** The URL to open: the secret travels in the fragment, which browsers never send to servers. */
  url: string;
  close(): Promise<void>;
}

export const SECRET_HEADER = 'x-vanthu-secret';
export const WS_PROTOCOL_PREFIX = 'vanthu.';
const DEFAULT_MAX_BODY = 4 * 1024 * 1024;
const NOT_ALLOWED: ErrorPayload = { code: 'UNAUTHORIZED', message: 'Yêu cầu không được phép.' };
const TOO_LARGE: ErrorPayload = { code: 'PDF_TOO_LARGE', message: 'Tệp quá lớn: vượt quá giới hạn cho phép của máy trạm.' };

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ttf': 'font/ttf',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

export async function startBridge(opts: BridgeOptions): Promise<BridgeHandle> {
  const secret = randomBytes(32).toString('base64url');
  const secretBuf = Buffer.from(secret);
  const maxBody = opts.maxBodyBytes ?? DEFAULT_MAX_BODY;
  let port = 0;
  const origin = () => `http://127.0.0.1:${port}`;

  const secretOk = (given: string | undefined): boolean => {
    if (!given) return false;
    const b = Buffer.from(given);
    return b.length === secretBuf.length && timingSafeEqual(b, secretBuf);
  };
  const hostOk = (req: IncomingMessage) => req.headers.host === `127.0.0.1:${port}`;
  const originOk = (req: IncomingMessage) => req.headers.origin === undefined || req.headers.origin === origin();

  const server: Server = createServer((req, res) => {
    void handle(req, res).catch((e: unknown) => {
      opts.log.error('bridge request crashed', { err: e instanceof Error ? e.message : String(e) });
      if (!res.headersSent) send(res, 500, { ok: false, error: { code: 'INTERNAL', message: 'Lỗi nội bộ.' } });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!hostOk(req)) return refuse(res, 421, 'bad host', req);
    if (!originOk(req)) return refuse(res, 403, 'foreign origin', req);
    const url = new URL(req.url ?? '/', origin());
    if (url.pathname.startsWith('/rpc/')) {
      if (req.method !== 'POST') return refuse(res, 405, 'rpc needs POST', req);
      if (!secretOk(headerValue(req, SECRET_HEADER))) return refuse(res, 401, 'missing or wrong secret', req);
      if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return refuse(res, 415, 'rpc needs JSON', req);
      const method = decodeURIComponent(url.pathname.slice('/rpc/'.length));
      const body = await readBody(req, maxBody);
      if (body === null) return refuse(res, 413, 'body too large', req, TOO_LARGE);
      let input: unknown;
      try {
        input = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
      } catch {
        return send(res, 400, { ok: false, error: { code: 'INPUT_INVALID', message: 'Dữ liệu gửi lên không hợp lệ.' } });
      }
      const reply = await opts.dispatch(method, input, { transport: 'bridge' });
      return send(res, 200, reply);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'method not allowed', req);
    return serveStatic(url.pathname, res);
  }

  function serveStatic(pathname: string, res: ServerResponse): void {
    if (!opts.staticDir) return void send(res, 404, { ok: false, error: { code: 'NOT_FOUND', message: 'Không tìm thấy.' } });
    const rel = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
    const full = normalize(join(opts.staticDir, rel));
    if (!full.startsWith(normalize(opts.staticDir) + sep) || rel.includes('\0')) return void res.writeHead(404).end();
    let size: number;
    try {
      const st = statSync(full);
      if (!st.isFile()) return void res.writeHead(404).end();
      size = st.size;
    } catch {
      return void res.writeHead(404).end();
    }
    res.writeHead(200, {
      'content-type': MIME[extname(full)] ?? 'application/octet-stream',
      'content-length': size,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'content-security-policy':
        `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self'; ` +
        `connect-src 'self' ws://127.0.0.1:${port}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    });
    createReadStream(full).pipe(res);
  }

  function refuse(res: ServerResponse, status: number, why: string, req: IncomingMessage, error: ErrorPayload = NOT_ALLOWED): void {
    opts.log.warn('bridge refused request', { status, why, path: (req.url ?? '').slice(0, 200) });
    res.setHeader('connection', 'close');
    send(res, status, { ok: false, error });
  }

  // Events: a WebSocket whose subprotocol carries the secret (browsers cannot set headers on WebSocket).
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const sockets = new Set<WebSocket>();
  server.on('upgrade', (req, socket, head) => {
    const protocols = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((s) => s.trim());
    const given = protocols.find((p) => p.startsWith(WS_PROTOCOL_PREFIX))?.slice(WS_PROTOCOL_PREFIX.length);
    const path = new URL(req.url ?? '/', origin()).pathname;
    if (path !== '/events' || !hostOk(req) || !originOk(req) || !secretOk(given)) {
      opts.log.warn('bridge refused websocket', { path: path.slice(0, 200) });
      socket.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', () => ws.close(1008, 'events are one-way'));
    });
  });
  const unsubscribe = opts.subscribe((event, payload) => {
    const msg = JSON.stringify({ event, payload });
    for (const ws of sockets) ws.send(msg);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  opts.log.info('bridge listening', { port });

  return {
    port,
    secret,
    origin: origin(),
    url: `${origin()}/#secret=${secret}`,
    async close() {
      unsubscribe();
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Reads at most `max` bytes; past that, the rest is discarded (so the client can read the 413) and null returned. */
function readBody(req: IncomingMessage, max: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        req.off('data', onData);
        req.resume();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => resolve(size > max ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const data = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': data.length, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(data);
}
