import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MODIFICATION_POLICY } from '../../src-main/core/verify/policy';

// The modification policy is data: each class names its tests, and the two documents that describe it
// (REPORT.md for the report's readers, docs/verification.md for maintainers) list every class.
const root = join(__dirname, '..', '..');

describe('modification policy table', () => {
  it('each class has a rule, a reason and existing tests', () => {
    expect(new Set(MODIFICATION_POLICY.map((c) => c.kind)).size).toBe(MODIFICATION_POLICY.length);
    for (const c of MODIFICATION_POLICY) {
      expect(c.rule.length, c.kind).toBeGreaterThan(20);
      expect(c.reason.length, c.kind).toBeGreaterThan(20);
      for (const t of c.tests) expect(existsSync(join(root, t)), `${c.kind}: ${t}`).toBe(true);
    }
  });
  it.each(['src-main/core/verify/REPORT.md', 'docs/verification.md'])('%s lists every class', (doc) => {
    const text = readFileSync(join(root, doc), 'utf8');
    for (const c of MODIFICATION_POLICY) expect(text, c.kind).toContain(`\`${c.kind}\``);
  });
});
