import { describe, expect, it } from 'vitest';
import { api } from '../../src-main/contract';
import { CONTRACT_DOMAINS, domainOf, methodDef, type DomainName } from '../../src-main/contract/domains';
import { createDispatcher } from '../../src-main/contract/dispatch';
import { lazyHandlers } from '../../src-main/core/services/lazy';

describe('contract by domain (loaded on first use)', () => {
  it('finds every method of the API, with the same schemas, and nothing else', async () => {
    for (const [name, def] of Object.entries(api)) expect(await methodDef(name), name).toBe(def);
    const served = new Set<string>();
    for (const d of Object.keys(CONTRACT_DOMAINS) as DomainName[]) {
      for (const name of Object.keys(await CONTRACT_DOMAINS[d]())) {
        // Each method is reached through the domain its name starts with.
        expect(await methodDef(name), name).toBeDefined();
        served.add(name);
      }
    }
    expect([...served].sort()).toEqual(Object.keys(api).sort());
    for (const bad of ['verify', 'verify.', '.file', 'nosuch.method', 'verify.nosuch', '__proto__.x', 'constructor.name', 'toString']) {
      expect(await methodDef(bad), bad).toBeUndefined();
    }
    expect(domainOf('digitize.check')).toBe('digitize');
  });

  it('an unknown method of a known domain is refused without building the domain', async () => {
    let built = 0;
    const handlers = lazyHandlers(async () => { built++; return { 'verify.file': async () => ({}) } as never; });
    const dispatch = createDispatcher(methodDef, (m) => (domainOf(m) === 'verify' ? (handlers as Record<string, never>)[m] : undefined));
    const env = await dispatch('verify.nosuch', {}, { transport: 'test' });
    expect(env).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    const bad = await dispatch('verify.file', { fileId: 42 }, { transport: 'test' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
    expect(built).toBe(0);
  });
});
