import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../../src-main/cli/io';

export function tempDir(prefix = 'vanthu-exchange-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function captureIo(env: NodeJS.ProcessEnv = {}): CliIo & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l), env, readPin: async () => Buffer.alloc(0) };
}
