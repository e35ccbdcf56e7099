import * as z from 'zod';
import { nfc } from './text';

/**
 * The one API both transports serve (Electron IPC and the loopback bridge). A method is a name with a
 * strict input schema and an output schema; an event is a name with a payload schema. DTOs are
 * JSON-safe only: no Date, no Uint8Array (structured clone would accept them over IPC and JSON would
 * mangle them over HTTP, so the renderer could tell the transports apart).
 */
export interface MethodDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly kind: 'method';
  readonly input: I;
  readonly output: O;
  /** Long-running methods (signing, batch) report progress through this event name. */
  readonly progressEvent?: string;
}

export interface EventDef<P extends z.ZodType = z.ZodType> {
  readonly kind: 'event';
  readonly payload: P;
}

export function defineMethod<I extends z.ZodType, O extends z.ZodType>(input: I, output: O, opts?: { progressEvent?: string }): MethodDef<I, O> {
  return { kind: 'method', input, output, ...(opts?.progressEvent ? { progressEvent: opts.progressEvent } : {}) };
}

/**
 * A value built on first use and kept. Building a zod schema costs far more than checking a value
 * with it (every schema object carries its own parser closures), and a command-line process checks a
 * handful: `vanthu register search` needs one method of the register's fifteen.
 */
export function lazy<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => (built ??= { value: build() }).value;
}

/**
 * A domain's method map whose entries are built on first lookup (a getter that replaces itself with
 * the definition). Keys, types and enumeration are those of the plain map; only the cost moves to
 * the first call of each method.
 */
export function lazyMethods<T extends Record<string, () => MethodDef>>(builders: T): { readonly [K in keyof T]: ReturnType<T[K]> } {
  const map = {};
  for (const [name, build] of Object.entries(builders)) {
    Object.defineProperty(map, name, {
      enumerable: true,
      configurable: true,
      get: () => {
        const def = build();
        Object.defineProperty(map, name, { value: def, enumerable: true });
        return def;
      },
    });
  }
  return map as { readonly [K in keyof T]: ReturnType<T[K]> };
}

export function defineEvent<P extends z.ZodType>(payload: P): EventDef<P> {
  return { kind: 'event', payload };
}

/** A string normalised to NFC, bounded in length. Every free-text input goes through it. */
export function text(max: number, min = 0) {
  return z.string().min(min).max(max).transform(nfc);
}

/** A filesystem path from the clerk's side; NUL bytes are never legitimate. */
export const pathString = z.string().min(1).max(4096).refine((s) => !s.includes('\0'), 'NUL in path');

export type MethodMap = Record<string, MethodDef>;
export type EventMap = Record<string, EventDef>;

export type MethodInput<M extends MethodDef> = z.input<M['input']>;
export type MethodOutput<M extends MethodDef> = z.output<M['output']>;
export type EventPayload<E extends EventDef> = z.output<E['payload']>;

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: import('./errors').ErrorPayload };
