import pkcs11js from 'pkcs11js';
import { makePkcs11Error, type Pkcs11Like } from '../../src-main/core/token';

/**
 * The real SoftHSM module with some calls replaced: the only way to see what SoftHSM never does
 * (locked PINs, removed devices, lost sessions, CKA_ALWAYS_AUTHENTICATE keys). Everything not
 * overridden goes to the real library.
 */
export type Overrides = { [K in keyof Pkcs11Like]?: (real: Pkcs11Like, ...args: Parameters<Pkcs11Like[K]>) => ReturnType<Pkcs11Like[K]> };

export function fakeFactory(overrides: Overrides, calls: string[] = []): () => Pkcs11Like {
  return () => {
    const real = new pkcs11js.PKCS11() as unknown as Pkcs11Like;
    return new Proxy(real, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (typeof prop !== 'string' || typeof value !== 'function') return value;
        const override = (overrides as Record<string, ((real: Pkcs11Like, ...a: unknown[]) => unknown) | undefined>)[prop];
        return (...args: unknown[]) => {
          calls.push(prop);
          return override ? override(target, ...args) : (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  };
}

export const ckr = (name: keyof typeof pkcs11js & `CKR_${string}`, method: string) => makePkcs11Error(name, pkcs11js[name] as number, method);
