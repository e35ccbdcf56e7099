import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../../contract/errors';
import { requireSuccess, runTool } from './run-tool';
import { SCAN_DEFAULTS } from './standard';

/** Scanners through SANE's `scanimage` (Linux). On Windows there is no SANE: import from the scanner's own software. */
export interface ScannerDevice { name: string; vendor: string; model: string; type: string }

export interface ScannerCapabilities {
  modes: string[];
  sources: string[];
  /** Resolutions offered: a list, or a range [min, max]. */
  resolutions: { list: number[] } | { min: number; max: number };
  /** Largest scan area in mm (null when the device does not say). */
  maxWidthMm: number | null;
  maxHeightMm: number | null;
  duplex: boolean;
}

export type ScanMode = 'color' | 'gray';
export type ScanSource = 'flatbed' | 'adf' | 'adf-duplex';

export interface ScanRequest {
  device: string;
  dpi?: number;
  mode?: ScanMode;
  source?: ScanSource;
  /** Scan area; clamped to what the device can reach. Default A4. */
  widthMm?: number;
  heightMm?: number;
}

export interface ScannedPage { index: number; png: Buffer }

/** Paper sizes the clerk picks from (mm). */
export const PAPER_MM = { a4: [210, 297], a5: [148, 210], a3: [297, 420], letter: [215.9, 279.4] } as const;

export async function listScanners(env?: NodeJS.ProcessEnv): Promise<ScannerDevice[]> {
  const r = await runTool('scanimage', ['-f', '%d\u001f%v\u001f%m\u001f%t%n'], { env });
  const out = requireSuccess('scanimage', r, 'Không liệt kê được máy quét.').toString('utf8');
  return out.split('\n').filter((l) => l.includes('\u001f')).map((l) => {
    const [name = '', vendor = '', model = '', type = ''] = l.split('\u001f');
    return { name, vendor, model, type };
  });
}

/** Reads the device's options from `scanimage -A` (modes, sources, resolutions, scan area). */
export async function scannerCapabilities(device: string, env?: NodeJS.ProcessEnv): Promise<ScannerCapabilities> {
  const r = await runTool('scanimage', ['-d', device, '-A'], { env });
  const text = requireSuccess('scanimage', r, `Không mở được máy quét "${device}".`).toString('utf8');
  const option = (name: string): string | null => new RegExp(`^\\s+${name} (.+?)(?: \\[[^\\]]*\\])?$`, 'm').exec(text)?.[1] ?? null;
  const values = (name: string) => option(name)?.split('|').map((s) => s.trim()).filter(Boolean) ?? [];
  const res = option('--resolution') ?? '';
  const range = /^(\d+)\.\.(\d+)dpi/.exec(res);
  const maxOf = (name: string) => { const m = /\.\.([\d.]+)mm/.exec(option(name) ?? ''); return m ? Number(m[1]) : null; };
  const sources = values('--source');
  return {
    modes: values('--mode'),
    sources,
    resolutions: range ? { min: Number(range[1]), max: Number(range[2]) } : { list: res.replace(/dpi.*$/, '').split('|').map(Number).filter((n) => n > 0) },
    maxWidthMm: maxOf('-x'),
    maxHeightMm: maxOf('-y'),
    duplex: sources.some((s) => /duplex/i.test(s)),
  };
}

/** The device's own word for what the clerk asked, or a Vietnamese refusal naming what it offers. */
function pick(values: string[], wanted: RegExp, not: RegExp | null, what: string): string {
  const v = values.find((x) => wanted.test(x) && !(not && not.test(x)));
  if (!v) throw new AppError('INPUT_INVALID', `Máy quét không có ${what} (có: ${values.join(', ') || 'không rõ'}).`, `no option value matching ${wanted} among ${values.join('|')}`);
  return v;
}

/**
 * Scans with `scanimage --batch` into a private folder, handing each page to `onPage` as soon as
 * scanimage has finished it (pages arrive while the feeder is still running). Aborting the signal
 * stops the scanner (SIGTERM: scanimage cancels the device) and rejects; nothing is kept.
 */
export async function scanPages(req: ScanRequest, opts: { env?: NodeJS.ProcessEnv; signal?: AbortSignal; onPage?: (p: ScannedPage) => void } = {}): Promise<ScannedPage[]> {
  const caps = await scannerCapabilities(req.device, opts.env);
  const mode = req.mode ?? SCAN_DEFAULTS.mode;
  const source = req.source ?? 'flatbed';
  const dpi = req.dpi ?? SCAN_DEFAULTS.dpi;
  const resOk = 'list' in caps.resolutions ? caps.resolutions.list.includes(dpi) : dpi >= caps.resolutions.min && dpi <= caps.resolutions.max;
  if (!resOk) throw new AppError('INPUT_INVALID', `Máy quét không hỗ trợ độ phân giải ${dpi} dpi.`, `resolution ${dpi} not offered by ${req.device}`);
  const args = ['-d', req.device, '--format=png', '--resolution', String(dpi)];
  if (caps.modes.length) args.push('--mode', pick(caps.modes, mode === 'color' ? /colou?r/i : /gr[ae]y/i, null, mode === 'color' ? 'chế độ màu' : 'chế độ xám'));
  if (caps.sources.length) {
    const wanted = source === 'flatbed' ? /flatbed/i : source === 'adf' ? /adf|feeder/i : /duplex/i;
    args.push('--source', pick(caps.sources, wanted, source === 'adf' ? /duplex/i : null, source === 'flatbed' ? 'mặt kính phẳng' : source === 'adf' ? 'khay nạp giấy tự động' : 'khay nạp hai mặt'));
  } else if (source !== 'flatbed') {
    throw new AppError('INPUT_INVALID', 'Máy quét không có khay nạp giấy tự động.', `${req.device} has no --source option`);
  }
  const width = Math.min(req.widthMm ?? PAPER_MM.a4[0], caps.maxWidthMm ?? Infinity);
  const height = Math.min(req.heightMm ?? PAPER_MM.a4[1], caps.maxHeightMm ?? Infinity);
  args.push('-x', String(width), '-y', String(height));
  const dir = mkdtempSync(join(tmpdir(), 'vanthu-scan-'));
  const pageFile = (n: number) => join(dir, `p${String(n).padStart(4, '0')}.png`);
  args.push(`--batch=${join(dir, 'p%04d.png')}`);
  if (source === 'flatbed') args.push('--batch-count=1');
  const pages: ScannedPage[] = [];
  let waiting = Promise.resolve();
  try {
    const r = await runTool('scanimage', args, {
      env: opts.env, signal: opts.signal,
      onStderrLine: (line) => {
        const m = /^Scanned page (\d+)\./.exec(line);
        if (!m) return;
        const n = Number(m[1]);
        // scanimage renames the finished page into place just after saying so.
        waiting = waiting.then(async () => {
          for (let i = 0; i < 500 && !existsSync(pageFile(n)); i++) await new Promise((res) => setTimeout(res, 20));
          if (!existsSync(pageFile(n))) return;
          const page = { index: pages.length, png: readFileSync(pageFile(n)) };
          pages.push(page);
          opts.onPage?.(page);
        });
      },
    });
    await waiting;
    // With an empty feeder scanimage ends with "no documents" (exit 7 in batch mode after page 1+).
    if (r.code !== 0 && !(pages.length > 0 && /Document feeder out of documents|no more documents/i.test(r.stderr))) {
      requireSuccess('scanimage', r, `Quét không thành công trên máy "${req.device}".`);
    }
    if (pages.length === 0) throw new AppError('INPUT_INVALID', 'Máy quét không trả về trang nào (khay nạp trống?).', `scanimage produced no page: ${r.stderr.trim().slice(0, 300)}`);
    return pages;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
