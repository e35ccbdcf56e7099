/**
 * Sampling helpers and the reporting API of the benches. A bench measures, then calls `figure()` for
 * each number it wants judged; bench/run.ts collects the figures of each condition (quiet, under load)
 * and prints them side by side. Floors are other figures of the same run, so a ratio always compares
 * two numbers measured under the same conditions.
 */

/** Order statistics for benchmark samples (milliseconds). */
export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return NaN;
  const s = [...samples].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

export const median = (s: readonly number[]) => quantile(s, 0.5);

/** Times `fn` `runs` times after `warmup` untimed runs; returns the samples in ms. */
export async function sample(runs: number, fn: () => unknown | Promise<unknown>, warmup = 1): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

export function fmt(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
}

// ---------------------------------------------------------------------------------------------------
// Figures

export type Unit = 'ms' | 's' | 'µs' | 'x' | 'count' | 'MiB' | '/s';

/**
 * What a figure must meet, judged on the under-load column:
 *   max      — the value itself ≤ max (in the figure's unit);
 *   maxRatio — value / floor ≤ maxRatio;
 *   maxAbove — value − floor ≤ maxAbove (in the figure's unit);
 *   min      — the value ≥ min (throughputs).
 */
export type Target = { max: number } | { maxRatio: number } | { maxAbove: number } | { min: number };

export interface FigureOptions {
  unit?: Unit;
  /** Name of another figure of the same bench (measured in the same run), or a fixed number. */
  floor?: string | number;
  target?: Target;
  /** Shown after the name: what is measured, in a few words. */
  note?: string;
}

export interface Figure extends FigureOptions {
  name: string;
  value: number;
}

let sink: Figure[] = [];

/** Records one figure of the running bench (the last call with a name wins) and prints it at once. */
export function figure(name: string, value: number, opts: FigureOptions = {}): void {
  sink = sink.filter((f) => f.name !== name);
  sink.push({ name, value, ...opts });
  console.log(`  · ${name}: ${formatValue(value, opts.unit ?? 'ms')}`);
}

/** Hands over what the bench recorded since the last call (bench/run.ts, once per condition). */
export function takeFigures(): Figure[] {
  const out = sink;
  sink = [];
  return out;
}

export function formatValue(v: number, unit: Unit): string {
  if (!Number.isFinite(v)) return '—';
  switch (unit) {
    case 'count': return String(Math.round(v));
    case 'x': return `${v.toFixed(3)}×`; // a verdict at 1.1× must not read "1.10 ≤ 1.10 ✗"
    case 's': return `${v.toFixed(2)} s`;
    case 'MiB': return `${v.toFixed(0)} MiB`;
    case '/s': return `${Math.round(v).toLocaleString('en')}/s`;
    default: return `${fmt(v)} ${unit}`;
  }
}

/** The floor's value for `f` among the figures of the same run, or NaN when it has none. */
export function floorOf(f: Figure, all: readonly Figure[]): number {
  if (f.floor === undefined) return NaN;
  if (typeof f.floor === 'number') return f.floor;
  return all.find((g) => g.name === f.floor)?.value ?? NaN;
}

export interface Verdict {
  /** The quantity the target speaks of (value, ratio or difference), in words. */
  judged: string;
  met: boolean;
}

/** Judges `f` against its target with the floor of the same run; null when it has no target. */
export function judge(f: Figure, all: readonly Figure[]): Verdict | null {
  const t = f.target;
  if (!t) return null;
  const unit = f.unit ?? 'ms';
  const floor = floorOf(f, all);
  if ('max' in t) return { judged: `${formatValue(f.value, unit)} ≤ ${formatValue(t.max, unit)}`, met: f.value <= t.max };
  if ('min' in t) return { judged: `${formatValue(f.value, unit)} ≥ ${formatValue(t.min, unit)}`, met: f.value >= t.min };
  if ('maxRatio' in t) {
    const r = f.value / floor;
    return { judged: `${r.toFixed(3)}× floor ≤ ${t.maxRatio}×`, met: Number.isFinite(r) && r <= t.maxRatio };
  }
  const d = f.value - floor;
  return { judged: `+${formatValue(d, unit)} over floor ≤ ${formatValue(t.maxAbove, unit)}`, met: Number.isFinite(d) && d <= t.maxAbove };
}

export interface Condition {
  label: string;
  figures: readonly Figure[];
  /** The machine's 1-minute load average when the run started, shown in the column header. */
  loadAverage?: number;
}

/**
 * One table for a bench: each figure with its value and ratio to its floor per condition; the target
 * is judged on the last condition (the loaded one).
 */
export function renderTable(conditions: readonly Condition[]): string {
  const names = [...new Set(conditions.flatMap((c) => c.figures.map((f) => f.name)))];
  if (names.length === 0) return '  (no figures reported: this bench only prints)';
  const judgedOn = conditions[conditions.length - 1]!;
  const header = ['figure', ...conditions.flatMap((c) => [c.loadAverage === undefined ? c.label : `${c.label} (la ${c.loadAverage.toFixed(1)})`, '÷ floor']), `target (judged ${judgedOn.label})`, ''];
  const rows = names.map((name) => {
    const cells = conditions.flatMap((c) => {
      const f = c.figures.find((g) => g.name === name);
      if (!f) return ['—', ''];
      const floor = floorOf(f, c.figures);
      return [formatValue(f.value, f.unit ?? 'ms'), Number.isFinite(floor) && floor > 0 ? `${(f.value / floor).toFixed(2)}×` : ''];
    });
    const f = judgedOn.figures.find((g) => g.name === name);
    const v = f ? judge(f, judgedOn.figures) : null;
    const label = f?.note ? `${name} (${f.note})` : name;
    return [label, ...cells, v?.judged ?? '', v ? (v.met ? '✓' : '✗') : ''];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line)].join('\n');
}
