import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import vi from '../../resources/i18n/vi.json';
import { repoRoot } from '../helpers/pki';

// UI text lives in resources/i18n/vi.json: raw words between JSX tags are refused, and every key the
// renderer asks for exists in the catalogue.
function tsxFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsxFiles(join(dir, e.name)) : e.name.endsWith('.tsx') ? [join(dir, e.name)] : [],
  );
}

describe('renderer strings', () => {
  const files = tsxFiles(join(repoRoot, 'src-renderer'));

  it('has no raw text in JSX', () => {
    const offenders: string[] = [];
    for (const f of files) {
      const src = readFileSync(f, 'utf8');
      // Text after a tag's closing '>' (not an arrow '=>') up to the next tag or expression.
      for (const m of src.matchAll(/(?<![=-])>([^<>{}]*\p{L}[^<>{}]*)</gu)) {
        const text = m[1]!.trim();
        // Statements (';') and comparisons caught between generics are code, not JSX text.
        if (/[;]|&&|\|\||===/.test(text)) continue;
        offenders.push(`${f}: ${text}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('every t() key exists in the catalogue', () => {
    const missing: string[] = [];
    for (const f of files.concat(join(repoRoot, 'src-renderer/i18n.ts'))) {
      for (const m of readFileSync(f, 'utf8').matchAll(/\bt\('([\w.]+)'/g)) if (!(m[1]! in vi)) missing.push(`${f}: ${m[1]}`);
    }
    expect(missing).toEqual([]);
  });

  it('takes every date picker from ui/DatePicker.tsx, whose "now" is Vietnam\'s clock, not antd\'s stock one', () => {
    const stock = files.filter((f) => !f.endsWith(join('ui', 'DatePicker.tsx')) && /import \{[^}]*\bDatePicker\b[^}]*\} from 'antd'/.test(readFileSync(f, 'utf8')));
    expect(stock).toEqual([]);
    expect(files.filter((f) => /<DatePicker\b/.test(readFileSync(f, 'utf8'))).length).toBeGreaterThan(3);
  });
});
