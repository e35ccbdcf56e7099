import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { sniff } from './images';

/** How often the folder is listed; network shares do not deliver change events reliably, so we poll. */
export const WATCH_POLL_MS = 1000;

export interface ArrivedFile { name: string; path: string; bytes: Buffer }

/**
 * Watches a folder a network scanner drops files into. A file is taken once its size and modification
 * time have not changed for `settleMs` (the scanner has finished writing it) and its bytes are an image
 * or a PDF; each file (name, size and time) is handed over once per run, and never moved, changed or
 * deleted. Resolves when the signal aborts. A file that cannot be read yet is tried again on the next
 * round; a handler's failure is reported and the file is not retried (it would fail the same way).
 */
export async function watchFolder(dir: string, onFile: (f: ArrivedFile) => Promise<void> | void, opts: { signal: AbortSignal; pollMs?: number; settleMs?: number; onError?: (name: string, e: unknown) => void }): Promise<void> {
  const pollMs = opts.pollMs ?? WATCH_POLL_MS;
  const settleMs = opts.settleMs ?? 2 * pollMs;
  const seen = new Map<string, { size: number; mtimeMs: number; since: number }>();
  const taken = new Set<string>();
  while (!opts.signal.aborted) {
    const now = Date.now();
    let names: string[] = [];
    try { names = readdirSync(dir); } catch (e) { opts.onError?.(dir, e); }
    for (const name of names) {
      if (name.startsWith('.')) continue;
      const path = join(dir, name);
      let st;
      try { st = statSync(path); } catch { continue; }
      if (!st.isFile()) continue;
      const key = `${name}\0${st.size}\0${st.mtimeMs}`;
      if (taken.has(key)) continue;
      const prev = seen.get(name);
      if (!prev || prev.size !== st.size || prev.mtimeMs !== st.mtimeMs) { seen.set(name, { size: st.size, mtimeMs: st.mtimeMs, since: now }); continue; }
      if (now - prev.since < settleMs) continue;
      let bytes: Buffer;
      try { bytes = readFileSync(path); } catch { continue; }
      taken.add(key);
      if (sniff(bytes) === null) continue;
      try {
        await onFile({ name, path, bytes });
      } catch (e) {
        opts.onError?.(name, e);
      }
    }
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, pollMs);
      opts.signal.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
    });
  }
}
