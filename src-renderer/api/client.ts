import type { Api, Events, MethodName, EventName } from '@contract/index';
import type { Envelope, MethodInput, MethodOutput, EventPayload } from '@contract/api';

/**
 * The typed client. Two transports, one shape: Electron's preload exposes `window.vanthu`; browser
 * mode talks to the loopback bridge with the per-run secret. Screens never know which one they use.
 */
export interface Transport {
  invoke(method: string, input: unknown): Promise<Envelope<unknown>>;
  on(listener: (event: string, payload: unknown) => void): () => void;
}

declare global {
  interface Window {
    vanthu?: Transport;
  }
}

export class ApiError extends Error {
  constructor(readonly code: string, readonly vi: string, readonly data?: Record<string, unknown>) {
    super(vi);
  }
}

export interface Client {
  call<K extends MethodName>(method: K, input: MethodInput<Api[K]>): Promise<MethodOutput<Api[K]>>;
  on<K extends EventName>(event: K, cb: (payload: EventPayload<Events[K]>) => void): () => void;
}

export function createClient(transport: Transport): Client {
  return {
    async call(method, input) {
      const env = await transport.invoke(method, input);
      if (!env.ok) throw new ApiError(env.error.code, env.error.message, env.error.data);
      return env.value as never;
    },
    on(event, cb) {
      return transport.on((name, payload) => {
        if (name === event) cb(payload as never);
      });
    },
  };
}

/** Browser mode: the secret arrives once in the URL fragment, then lives in sessionStorage only. */
export function bridgeTransport(): Transport {
  const hash = new URLSearchParams(location.hash.slice(1));
  const fromHash = hash.get('secret');
  if (fromHash) {
    sessionStorage.setItem('vanthu.secret', fromHash);
    history.replaceState(null, '', location.pathname);
  }
  const secret = sessionStorage.getItem('vanthu.secret') ?? '';
  return {
    async invoke(method, input) {
      try {
        const res = await fetch(`/rpc/${encodeURIComponent(method)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-vanthu-secret': secret },
          body: JSON.stringify(input ?? {}),
        });
        return (await res.json()) as Envelope<unknown>;
      } catch {
        return { ok: false, error: { code: 'OFFLINE', message: 'Mất kết nối tới dịch vụ nền của vanthu.' } };
      }
    },
    on(listener) {
      let ws: WebSocket | null = null;
      let closed = false;
      const connect = () => {
        ws = new WebSocket(`ws://${location.host}/events`, [`vanthu.${secret}`]);
        ws.onmessage = (m) => {
          const { event, payload } = JSON.parse(String(m.data)) as { event: string; payload: unknown };
          listener(event, payload);
        };
        ws.onclose = () => {
          if (!closed) setTimeout(connect, 2000);
        };
      };
      connect();
      return () => {
        closed = true;
        ws?.close();
      };
    },
  };
}

export function defaultClient(): Client {
  return createClient(window.vanthu ?? bridgeTransport());
}
