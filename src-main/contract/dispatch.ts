import * as z from 'zod';
import { AppError, GENERIC_VI, isAppError, type ErrorPayload } from './errors';
import type { Envelope, MethodDef, MethodMap } from './api';

/** What a host knows about the caller; handlers use it to send progress to that caller only. */
export interface CallContext {
  /** Transport that carried the call, for logs only: handlers must not branch on it. */
  transport: 'ipc' | 'bridge' | 'cli' | 'test';
  /** Emits a progress event to the caller of this call. */
  progress?: (event: string, payload: unknown) => void;
}

export type Handler<M extends MethodDef> = (input: z.output<M['input']>, ctx: CallContext) => Promise<z.input<M['output']>> | z.input<M['output']>;
export type Handlers<A extends MethodMap> = { [K in keyof A]: Handler<A[K]> };

export interface DispatchLog {
  (line: { level: 'info' | 'warn' | 'error'; msg: string; method: string; code?: string; detail?: string }): void;
}

/** A method's schemas by name, possibly loaded on first use (contract/domains.ts). */
export type MethodLookup = (method: string) => Promise<MethodDef | undefined>;
/** A method's handler by name; asked only for methods the contract has. */
export type HandlerLookup = (method: string) => Handler<MethodDef> | undefined;

export interface DispatchOptions {
  /**
   * Parse outputs too, to catch drift between a handler and its schema: on in tests and development
   * builds, off in production builds (core/paths.ts `checksOutputs` says which this process is).
   */
  checkOutputs?: boolean;
  log?: DispatchLog;
}

/**
 * The single entry point both transports call: method lookup, strict input validation, the handler,
 * and an envelope. Thrown AppErrors keep their code and Vietnamese text; anything else becomes
 * INTERNAL with a generic sentence (its text goes to the log, never to the renderer).
 */
export function createDispatcher<A extends MethodMap>(api: A | MethodLookup, handlers: Partial<Handlers<A>> | HandlerLookup, options: DispatchOptions = {}) {
  const log: DispatchLog = options.log ?? (() => {});
  const defOf: MethodLookup = typeof api === 'function' ? api : async (m) => (Object.hasOwn(api, m) ? api[m] : undefined);
  const handlerOf: HandlerLookup = typeof handlers === 'function' ? handlers
    : (m) => (Object.hasOwn(handlers, m) ? (handlers as Record<string, Handler<MethodDef>>)[m] : undefined);
  return async function dispatch(method: string, rawInput: unknown, ctx: CallContext): Promise<Envelope<unknown>> {
    const def = typeof method === 'string' ? await defOf(method) : undefined;
    const handler = def ? handlerOf(method) : undefined;
    if (!def || !handler) {
      log({ level: 'warn', msg: 'unknown method', method });
      return fail({ code: 'UNKNOWN_METHOD', message: GENERIC_VI.UNKNOWN_METHOD });
    }
    const parsed = def.input.safeParse(rawInput);
    if (!parsed.success) {
      const fields = parsed.error.issues.map((i) => i.path.join('.') || '(root)').slice(0, 8).join(', ');
      log({ level: 'warn', msg: 'input rejected', method, code: 'INPUT_INVALID', detail: fields });
      return fail({ code: 'INPUT_INVALID', message: GENERIC_VI.INPUT_INVALID, data: { fields } });
    }
    try {
      const value = await handler(parsed.data, ctx);
      if (options.checkOutputs) {
        const out = def.output.safeParse(value);
        if (!out.success) throw new AppError('INTERNAL', GENERIC_VI.INTERNAL, `output of ${method} does not match its schema: ${out.error.message}`);
        // A field the schema does not declare would reach the renderer unchecked (and only in builds
        // that skip this parse): the parsed copy drops it, so any key missing there is an error here.
        const extra = undeclaredKeys(value, out.data);
        if (extra.length > 0) throw new AppError('INTERNAL', GENERIC_VI.INTERNAL, `output of ${method} has fields its schema does not declare: ${extra.slice(0, 8).join(', ')}`);
        // The handler's own value goes out, not the parsed copy (which drops extra keys): checked and
        // unchecked builds must send the renderer the same data.
        return { ok: true, value };
      }
      return { ok: true, value };
    } catch (e) {
      if (isAppError(e)) {
        log({ level: e.code === 'INTERNAL' ? 'error' : 'warn', msg: 'call failed', method, code: e.code, detail: e.message });
        return fail(e.toPayload());
      }
      log({ level: 'error', msg: 'call crashed', method, code: 'INTERNAL', detail: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
      return fail({ code: 'INTERNAL', message: GENERIC_VI.INTERNAL });
    }
  };
}

export type Dispatch = ReturnType<typeof createDispatcher>;

/** Paths of keys present (and not undefined) in `value` but absent from its parsed copy. */
export function undeclaredKeys(value: unknown, parsed: unknown, path = ''): string[] {
  if (Array.isArray(value) && Array.isArray(parsed)) return value.flatMap((v, i) => undeclaredKeys(v, parsed[i], `${path}[${i}]`));
  if (!isPlainObject(value) || !isPlainObject(parsed)) return [];
  return Object.entries(value).flatMap(([k, v]) => {
    if (v === undefined) return [];
    const at = path ? `${path}.${k}` : k;
    return Object.hasOwn(parsed, k) ? undeclaredKeys(v, parsed[k], at) : [at];
  });
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function fail(error: ErrorPayload): Envelope<never> {
  return { ok: false, error };
}
