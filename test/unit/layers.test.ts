import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkLayers } from '../../tools/check-layers';
import { repoRoot } from '../helpers/pki';

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'vanthu-layers-'));
  for (const [p, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), content);
  }
  return root;
}

describe('layer rules', () => {
  it('the repository itself has no violation', () => {
    expect(checkLayers(repoRoot)).toEqual([]);
  });

  it('fails when a core file imports electron', () => {
    const root = tree({ 'src-main/core/token/bad.ts': "import { app } from 'electron';\nexport const x = app;\n" });
    const v = checkLayers(root);
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ file: 'src-main/core/token/bad.ts', specifier: 'electron' });
  });

  it('fails on a dynamic import or require of electron outside the shell', () => {
    const root = tree({
      'src-main/bridge/a.ts': "const e = await import('electron');\n",
      'src-main/core/b.cjs': "const { app } = require('electron');\n",
    });
    expect(checkLayers(root).map((x) => x.file).sort()).toEqual(['src-main/bridge/a.ts', 'src-main/core/b.cjs']);
  });

  it('allows electron in the shell and the preload', () => {
    const root = tree({
      'src-main/electron/main.ts': "import { app } from 'electron';\n",
      'src-main/preload/index.ts': "import { contextBridge } from 'electron';\n",
    });
    expect(checkLayers(root)).toEqual([]);
  });

  it('fails when the renderer imports Node modules or core', () => {
    const root = tree({
      'src-renderer/a.tsx': "import { readFileSync } from 'node:fs';\n",
      'src-renderer/b.ts': "import fs from 'fs';\n",
      'src-renderer/c.ts': "import Database from 'better-sqlite3';\n",
      'src-renderer/d.ts': "import { x } from '../src-main/core/token';\n",
    });
    expect(checkLayers(root)).toHaveLength(4);
  });

  it('fails when the contract imports anything but zod', () => {
    const root = tree({ 'src-main/contract/x.ts': "import { z } from 'zod';\nimport { createHash } from 'node:crypto';\n" });
    expect(checkLayers(root)).toEqual([expect.objectContaining({ specifier: 'node:crypto' })]);
  });

  describe('order inside core', () => {
    it('fails on an upward import (the verifier reaching into the register)', () => {
      const root = tree({
        'src-main/core/verify/x.ts': "import { y } from '../register/y';\nexport const x = y;\n",
        'src-main/core/register/y.ts': 'export const y = 1;\n',
      });
      expect(checkLayers(root)).toEqual([expect.objectContaining({ file: 'src-main/core/verify/x.ts', specifier: '../register/y', rule: expect.stringContaining('upward import in core: verify') })]);
    });

    it('fails on a folder cycle between units of one rank (register <-> print)', () => {
      const root = tree({
        'src-main/core/register/a.ts': "import { b } from '../print/b';\nexport const a = b;\n",
        'src-main/core/print/b.ts': "import type { A } from '../register/types';\nexport const b = 1;\n",
        'src-main/core/register/types.ts': 'export type A = number;\n',
      });
      const rules = checkLayers(root).map((x) => `${x.file} ${x.rule}`).sort();
      expect(rules).toEqual([
        expect.stringMatching(/^src-main\/core\/print\/b.ts import cycle between core units: print -> register/),
        expect.stringMatching(/^src-main\/core\/register\/a.ts import cycle between core units: register -> print/),
      ]);
    });

    it('fails on a longer loop, an unranked folder, and core reaching the bridge', () => {
      const root = tree({
        'src-main/core/db/a.ts': "import '../token/b';\n",
        'src-main/core/token/b.ts': "import '../cms/c';\n",
        'src-main/core/cms/c.ts': "import '../db/a';\n",
        'src-main/core/gadgets/g.ts': "import '../db/a';\n",
        'src-main/core/verify/v.ts': "import '../../bridge/bridge-host';\n",
      });
      const rules = checkLayers(root).map((x) => x.rule);
      expect(rules.filter((r) => r.startsWith('import cycle'))).toHaveLength(3);
      expect(rules).toContain("core unit 'gadgets' has no rank in tools/core-order.ts");
      expect(rules).toContain('core imports only the contract and core');
    });

    it('allows downward imports, the contract and imports inside one unit', () => {
      const root = tree({
        'src-main/core/pdf/sign/s.ts': "import '../parse/index';\nimport '../../verify/v';\nimport '../../../contract/errors';\nimport './t';\n",
        'src-main/core/pdf/sign/t.ts': 'export {};\n',
        'src-main/core/verify/v.ts': "import '../pdf/parse';\n",
        'src-main/core/pdf/parse/index.ts': 'export {};\n',
        'src-main/contract/errors.ts': 'export {};\n',
      });
      expect(checkLayers(root)).toEqual([]);
    });
  });
});
