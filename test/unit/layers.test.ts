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
});
