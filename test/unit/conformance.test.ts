import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { conformanceTable, readRows, refsOf } from '../../tools/conformance';
import { repoRoot } from '../helpers/pki';

describe('conformance map', () => {
  it('reads the article references a test title starts with', () => {
    expect(refsOf('Đ17.4.c refuses the agency signature')).toEqual(['Đ17.4.c']);
    expect(refsOf('Đ9.3, Đ10.1 registers and acknowledges')).toEqual(['Đ9.3', 'Đ10.1']);
    expect(refsOf('Đ10.2.a–d refuses a 150 dpi scan')).toEqual(['Đ10.2.a–d']);
    expect(refsOf('Đ5.2 ¶2 puts Hỏa tốc first')).toEqual(['Đ5.2 ¶2']);
    expect(refsOf('refuses Đ17 in the middle')).toEqual([]);
  });

  it('every row of docs/conformance.md has a scope the script knows', () => {
    const rows = readRows(readFileSync(join(repoRoot, 'docs/conformance.md'), 'utf8'));
    expect(rows.length).toBeGreaterThan(20);
    for (const r of rows) expect(r.scope).toMatch(/^(In|Partial|Planned)$/);
  });

  it('flags an In row without a test and a failed test, not a Planned row', () => {
    const rows = [
      { ref: 'Đ13.2', behaviour: 'numbers', scope: 'In' },
      { ref: 'Đ14.1', behaviour: 'issues', scope: 'In' },
      { ref: 'Đ21.3', behaviour: 'edXML', scope: 'Planned' },
      { ref: 'Đ17.5', behaviour: 'PIN', scope: 'In' },
    ];
    const results = [
      { title: 'Đ13.2 numbers gap-free', file: 'a.test.ts', status: 'passed' },
      { title: 'Đ17.5 never logs the PIN', file: 'b.test.ts', status: 'failed' },
    ];
    const { lines, problems } = conformanceTable(rows, results);
    expect(problems).toBe(2);
    expect(lines.find((l) => l.startsWith('Đ14.1'))).toContain('NO TEST');
    expect(lines.find((l) => l.startsWith('Đ17.5'))).toContain('FAILED 1/1');
    expect(lines.find((l) => l.startsWith('Đ13.2'))).toContain('passed 1');
  });
});
