import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, win32 } from 'node:path';
import * as z from 'zod';
import { resourcesDir } from '../paths';

const moduleEntry = z.object({
  vendor: z.string().max(200),
  windows: z.array(z.string().max(260)).max(100),
  linux: z.array(z.string().max(1024)).max(100),
  darwin: z.array(z.string().max(1024)).max(100),
});
const catalogueSchema = z.object({
  version: z.literal(1),
  windowsFolders: z.array(z.string().max(1024)).max(100),
  modules: z.array(moduleEntry).max(500),
});
export type ModuleCatalogue = z.infer<typeof catalogueSchema>;

export interface DetectedModule { vendor: string; path: string }

export const DEFAULT_CATALOGUE_PATH = join(resourcesDir, 'pkcs11-modules.json');

export function loadCatalogue(path: string = DEFAULT_CATALOGUE_PATH): ModuleCatalogue {
  return catalogueSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
}

export interface DetectOptions {
  catalogue?: ModuleCatalogue;
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
  home?: string;
  exists?: (path: string) => boolean;
}

/** Every catalogue path for this OS, in probe order, with `~` and %VARS% expanded. */
export function candidatePaths(opts: DetectOptions = {}): DetectedModule[] {
  const catalogue = opts.catalogue ?? loadCatalogue();
  const platform = opts.platform ?? process.platform;
  const env = opts.env ?? process.env;
  const home = opts.home ?? homedir();
  const out: DetectedModule[] = [];
  for (const m of catalogue.modules) {
    if (platform === 'win32') {
      const folders = catalogue.windowsFolders.map((f) => f.replace(/%([^%]+)%/g, (_, name: string) => env[name] ?? `%${name}%`));
      for (const dll of m.windows) for (const folder of folders) if (!folder.includes('%')) out.push({ vendor: m.vendor, path: win32.join(folder, dll) });
    } else {
      const list = platform === 'darwin' ? m.darwin : m.linux;
      for (const p of list) out.push({ vendor: m.vendor, path: p.startsWith('~/') ? join(home, p.slice(2)) : p });
    }
  }
  return out;
}

/**
 * Installed drivers: catalogue paths that exist, one entry per real file. Distributions symlink the
 * same library under several names; loading it twice would share one Cryptoki instance, and the
 * second C_Finalize would pull it from under the first.
 */
export function detectModules(opts: DetectOptions = {}): DetectedModule[] {
  const exists = opts.exists ?? existsSync;
  const real = opts.exists ? (p: string) => p : safeRealpath;
  const seen = new Set<string>();
  return candidatePaths(opts).filter((m) => {
    if (!exists(m.path)) return false;
    const key = real(m.path);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function safeRealpath(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}
