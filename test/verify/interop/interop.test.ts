import { describe, expect, it } from 'vitest';
import type { VerificationReport } from '../../../src-main/core/verify/index';
import { loadPki } from '../../helpers/pki';
import { verifyWithoutRevocation } from '../helpers';
import { CASES } from './cases';
import { MODIFICATION_POLICY } from '../../../src-main/core/verify/policy';

// The interop suite (cases.ts): each generated file gets the indication written beside it, and over
// the whole suite no legitimate file is TOTAL_FAILED and no attack is TOTAL_PASSED.
const pki = loadPki();
const verify = verifyWithoutRevocation(pki);
const results = new Map<string, VerificationReport>();

describe('interop suite', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const r = await verify(await c.make());
    results.set(c.name, r);
    expect(r.overall, `${c.reason}\n${JSON.stringify(r.signatures.map((s) => [s.indication, s.subIndication, s.reasons, s.changesAfter.filter((x) => !x.allowed).map((x) => x.kind)]))}`).toBe(c.expected);
  });
  it('over the suite: 0 TOTAL_FAILED on legitimate files, 0 TOTAL_PASSED on attacks', () => {
    expect(results.size).toBe(CASES.length);
    const legitFailed = CASES.filter((c) => c.kind === 'legit' && results.get(c.name)!.overall === 'TOTAL_FAILED').map((c) => c.name);
    const attackPassed = CASES.filter((c) => c.kind === 'attack' && results.get(c.name)!.overall === 'TOTAL_PASSED').map((c) => c.name);
    expect(legitFailed).toEqual([]);
    expect(attackPassed).toEqual([]);
    expect(CASES.filter((c) => c.kind === 'legit').length).toBeGreaterThanOrEqual(25);
    expect(CASES.filter((c) => c.kind === 'attack').length).toBeGreaterThanOrEqual(15);
  });
  it('every change the suite saw allowed is a class of the policy table', () => {
    const classes = new Set<string>(MODIFICATION_POLICY.map((c) => c.kind));
    const allowed = [...results.values()].flatMap((r) => r.signatures.flatMap((s) => s.changesAfter.filter((c) => c.allowed).map((c) => c.kind)));
    expect(allowed.length).toBeGreaterThan(10);
    expect(allowed.filter((k) => !classes.has(k))).toEqual([]);
  });
});
