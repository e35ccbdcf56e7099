import type { MethodMap } from '../../contract/api';
import type { Handlers } from '../../contract/dispatch';

/** A value made on first use, once, even when several calls ask for it at the same time. */
export function once<T>(make: () => Promise<T>): { get(): Promise<T> } {
  let value: Promise<T> | null = null;
  return {
    get: () => (value ??= make().catch((e: unknown) => {
      value = null; // a failed start (a missing driver, say) is tried again on the next call
      throw e;
    })),
  };
}

/**
 * A domain's handlers, built on the first call of any of its methods. `methods` (the contract's map)
 * names them up front, so the dispatcher's table is complete from the start while the domain's code —
 * and the native modules it loads — waits until a caller needs it: `vanthu verify` never loads the
 * signer, SQLite or PKCS#11.
 */
export function lazyHandlers<M extends MethodMap>(methods: M, build: () => Promise<Handlers<M>>): Handlers<M> {
  const handlers = once(build);
  const out = {} as Record<string, (input: unknown, ctx: unknown) => Promise<unknown>>;
  for (const name of Object.keys(methods)) {
    out[name] = async (input, ctx) => {
      const h = (await handlers.get()) as unknown as Record<string, (input: unknown, ctx: unknown) => unknown>;
      return h[name]!(input, ctx);
    };
  }
  return out as unknown as Handlers<M>;
}
