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
 * A domain's handlers, built on the first call of any of its methods: the domain's code — and the
 * native modules it loads — waits until a caller needs it (`vanthu verify` never loads the signer,
 * SQLite or PKCS#11). The dispatcher asks for a handler only by a name the contract has (it checks
 * the name against the domain's schemas first), so any name read here stands for one of the domain's
 * methods, and no list of names is needed before the domain's schemas are built.
 */
export function lazyHandlers<M extends MethodMap>(build: () => Promise<Handlers<M>>): Handlers<M> {
  const handlers = once(build);
  const wrappers = new Map<string, (input: unknown, ctx: unknown) => Promise<unknown>>();
  const wrap = (name: string) => async (input: unknown, ctx: unknown) => {
    const h = (await handlers.get()) as unknown as Record<string, (input: unknown, ctx: unknown) => unknown>;
    return h[name]!(input, ctx);
  };
  return new Proxy({}, {
    get: (_, name) => {
      // Not a thenable: an await of the table must not take it for a promise.
      if (typeof name !== 'string' || name === 'then') return undefined;
      let w = wrappers.get(name);
      if (!w) wrappers.set(name, (w = wrap(name)));
      return w;
    },
  }) as Handlers<M>;
}
