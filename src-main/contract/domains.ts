import type { MethodDef, MethodMap } from './api';

/**
 * The contract by domain, each domain's schemas built on first use. Building every schema of the API
 * costs a command-line process more than its own work: `vanthu verify` needs the file and verify maps
 * only. The full map (`api` in ./index.ts) stays for types and for whoever needs all of it.
 *
 * A method's domain is the part of its name before the first dot. `digitize.*` is served with the
 * scanner (one map, ./scan.ts). test/unit/contract-domains.test.ts holds this table to `api`.
 */
export const CONTRACT_DOMAINS = {
  app: () => import('./app').then((m) => m.appMethods),
  file: () => import('./files').then((m) => m.fileMethods),
  token: () => import('./token').then((m) => m.tokenMethods),
  register: () => import('./register').then((m) => m.registerMethods),
  verify: () => import('./verify').then((m) => m.verifyMethods),
  sign: () => import('./sign').then((m) => m.signMethods),
  scan: () => import('./scan').then((m) => m.scanMethods),
  digitize: () => import('./scan').then((m) => m.scanMethods),
  settings: () => import('./settings').then((m) => m.settingsMethods),
  exchange: () => import('./exchange').then((m) => m.exchangeMethods),
  trust: () => import('./trust').then((m) => m.trustMethods),
} as const;

export type ContractDomains = typeof CONTRACT_DOMAINS;
export type DomainName = keyof ContractDomains;
/** The method map a domain loads (the scanner's for `digitize`). */
export type DomainMethods<D extends DomainName> = Awaited<ReturnType<ContractDomains[D]>>;

export function domainOf(method: string): DomainName | null {
  const d = method.slice(0, Math.max(0, method.indexOf('.')));
  return Object.hasOwn(CONTRACT_DOMAINS, d) ? (d as DomainName) : null;
}

/** A method's schemas, loading its domain; undefined when the contract has no such method. */
export async function methodDef(method: string): Promise<MethodDef | undefined> {
  const d = domainOf(method);
  if (!d) return undefined;
  const map: MethodMap = await CONTRACT_DOMAINS[d]();
  return Object.hasOwn(map, method) ? map[method] : undefined;
}
