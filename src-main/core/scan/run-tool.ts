import { spawn } from 'node:child_process';
import { AppError } from '../../contract/errors';

/** The Debian package that ships each external program we drive (native/install-system-packages.sh). */
const PACKAGE_OF: Record<string, string> = {
  scanimage: 'sane-utils', tesseract: 'tesseract-ocr', convert: 'imagemagick', identify: 'imagemagick',
  pdftoppm: 'poppler-utils', pdfimages: 'poppler-utils',
};

export interface RunOptions {
  input?: Buffer;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** Bound on what we keep from stdout (bytes); a tool writing more is stopped. */
  maxOutputBytes?: number;
  /** Called with each stderr line as it arrives (progress reports). */
  onStderrLine?: (line: string) => void;
}

export interface RunResult { stdout: Buffer; stderr: string; code: number }

/**
 * Runs an external program without a shell (arguments are never interpreted), collecting bounded
 * output. A missing program is a clear error naming its package; a non-zero exit is returned to the
 * caller, who knows what it means; an abort kills the child and rejects with the abort reason.
 */
export function runTool(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const max = opts.maxOutputBytes ?? 512 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) { reject(cancelled(cmd)); return; }
    const child = spawn(cmd, args, { env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let size = 0;
    let err = '';
    let pending = '';
    let failed: AppError | null = null;
    const onAbort = () => { failed = cancelled(cmd); child.kill('SIGTERM'); };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (d: Buffer) => {
      size += d.length;
      if (size > max) { failed = new AppError('INPUT_INVALID', 'Ảnh hoặc tệp quá lớn để xử lý.', `${cmd}: output over ${max} bytes`); child.kill('SIGKILL'); return; }
      out.push(d);
    });
    child.stderr.on('data', (d: Buffer) => {
      const s = d.toString('utf8');
      if (err.length < 64 * 1024) err += s;
      if (!opts.onStderrLine) return;
      pending += s;
      const lines = pending.split(/\r?\n|\r/);
      pending = lines.pop() ?? '';
      for (const l of lines) if (l.trim()) opts.onStderrLine(l);
    });
    child.stdin.on('error', () => { /* the child may exit before reading all input; its exit code tells */ });
    child.on('error', (e: NodeJS.ErrnoException) => {
      opts.signal?.removeEventListener('abort', onAbort);
      if (e.code === 'ENOENT') {
        reject(new AppError('INTERNAL', `Máy chưa cài chương trình "${cmd}" (gói ${PACKAGE_OF[cmd] ?? cmd}). Hãy chạy native/install-system-packages.sh.`, `${cmd} not found on PATH`));
      } else reject(new AppError('IO_ERROR', `Không chạy được chương trình "${cmd}".`, `${cmd}: ${e.message}`));
    });
    child.on('close', (code) => {
      opts.signal?.removeEventListener('abort', onAbort);
      if (pending.trim() && opts.onStderrLine) opts.onStderrLine(pending);
      if (failed) reject(failed);
      else resolve({ stdout: Buffer.concat(out), stderr: err, code: code ?? -1 });
    });
    child.stdin.end(opts.input ?? Buffer.alloc(0));
  });
}

export function cancelled(what: string): AppError {
  return new AppError('CONFLICT', 'Đã hủy theo yêu cầu.', `${what}: cancelled`, { cancelled: true });
}

/** Throws a Vietnamese error with the tool's own message in the log detail when it exited non-zero. */
export function requireSuccess(cmd: string, r: RunResult, vi: string): Buffer {
  if (r.code !== 0) throw new AppError('INPUT_INVALID', vi, `${cmd} exited ${r.code}: ${r.stderr.trim().slice(0, 500)}`);
  return r.stdout;
}
