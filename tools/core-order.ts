/**
 * The order of the units inside src-main/core (docs/architecture.md, "Layers inside core"). A unit is a
 * top-level folder of core (`register`), a folder of `pdf` (`pdf/sign`), or a top-level file (`backend`).
 * A unit may import units of its own rank or a lower one; an import of a higher rank is upward, and a
 * loop between units of any rank is a cycle. Both are reported, as is a unit the table does not know:
 * a new folder must say where it stands before it is used.
 */
import { dirname, relative, resolve, sep } from 'node:path';

export const CORE_RANKS: Readonly<Record<string, number>> = {
  // foundations: no domain knowledge
  paths: 0, log: 0, events: 0, crypto: 0, fsx: 0,
  // storage, tokens, CMS, configuration
  db: 1, token: 1, cms: 1, filestore: 1, workspace: 1, config: 1, trust: 1,
  // reading PDFs and drawing appearances
  'pdf/parse': 2, 'pdf/appearance': 2,
  // verification
  verify: 3,
  // signing (layout proposes, sign signs)
  'pdf/layout': 4, 'pdf/sign': 4,
  // registers, printing, digitisation
  register: 5, print: 5, scan: 5,
  // the exchange builds on the register, the verifier and the signer
  exchange: 6,
  // contract handlers, then the backend that serves them and the process entries
  services: 7,
  backend: 8, host: 9,
};

export interface CoreImport { from: string; to: string; file: string; specifier: string }

/** The unit of a file below core, or null for a file outside it. */
export function coreUnit(coreDir: string, file: string): string | null {
  const rel = relative(coreDir, file);
  if (rel.startsWith('..') || rel === '') return null;
  const parts = rel.split(sep);
  if (parts.length === 1) return parts[0]!.replace(/\.[^.]+$/, '');
  return parts[0] === 'pdf' ? `pdf/${parts[1]!.replace(/\.[^.]+$/, '')}` : parts[0]!;
}

/** Checks the imports between core units; `imports` are relative specifiers already read from files. */
export function checkCoreOrder(root: string, imports: Array<{ file: string; specifier: string }>): Array<{ file: string; specifier: string; rule: string }> {
  const core = resolve(root, 'src-main', 'core');
  const contract = resolve(root, 'src-main', 'contract');
  const out: Array<{ file: string; specifier: string; rule: string }> = [];
  const edges: CoreImport[] = [];
  for (const { file, specifier } of imports) {
    const from = coreUnit(core, file);
    if (!from || !specifier.startsWith('.')) continue;
    const at = relative(root, file);
    if (!(from in CORE_RANKS)) {
      out.push({ file: at, specifier, rule: `core unit '${from}' has no rank in tools/core-order.ts` });
      continue;
    }
    const target = resolve(dirname(file), specifier);
    if (target === contract || target.startsWith(contract + sep)) continue;
    const to = coreUnit(core, target);
    if (!to) {
      out.push({ file: at, specifier, rule: 'core imports only the contract and core' });
      continue;
    }
    if (to === from) continue;
    if (!(to in CORE_RANKS)) {
      out.push({ file: at, specifier, rule: `core unit '${to}' has no rank in tools/core-order.ts` });
      continue;
    }
    if (CORE_RANKS[to]! > CORE_RANKS[from]!) out.push({ file: at, specifier, rule: `upward import in core: ${from} (rank ${CORE_RANKS[from]}) imports ${to} (rank ${CORE_RANKS[to]})` });
    edges.push({ from, to, file: at, specifier });
  }
  for (const e of edgesInCycles(edges)) out.push({ file: e.file, specifier: e.specifier, rule: `import cycle between core units: ${e.from} -> ${e.to} -> … -> ${e.from}` });
  return out;
}

/** Edges whose two ends lie in one strongly connected component (Tarjan), i.e. on some loop. */
function edgesInCycles(edges: CoreImport[]): CoreImport[] {
  const next = new Map<string, Set<string>>();
  for (const e of edges) (next.get(e.from) ?? next.set(e.from, new Set()).get(e.from)!).add(e.to);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const comp = new Map<string, number>();
  const stack: string[] = [];
  let counter = 0;
  let comps = 0;
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (!comp.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      let w: string;
      do {
        w = stack.pop()!;
        comp.set(w, comps);
      } while (w !== v);
      comps++;
    }
  };
  for (const v of next.keys()) if (!index.has(v)) visit(v);
  return edges.filter((e) => comp.get(e.from) === comp.get(e.to));
}
