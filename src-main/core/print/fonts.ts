import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../contract/errors';
import { repoRoot } from '../config';

const SYSTEM_DIR = '/usr/share/fonts/truetype/liberation2';

/**
 * Liberation Serif (metric-compatible with Times New Roman, full Vietnamese coverage): the copy
 * shipped in resources/fonts first, the Debian system package second.
 */
export function loadSerifFont(weight: 'Regular' | 'Bold'): Uint8Array {
  const name = `LiberationSerif-${weight}.ttf`;
  for (const p of [join(repoRoot, 'resources/fonts', name), join(SYSTEM_DIR, name)]) {
    if (existsSync(p)) return readFileSync(p);
  }
  throw new AppError('IO_ERROR', 'Thiếu phông chữ tiếng Việt để in sổ (Liberation Serif).', `font ${name} not found in resources/fonts or ${SYSTEM_DIR}`);
}
