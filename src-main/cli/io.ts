import { writeSync } from 'node:fs';
import { AppError } from '../contract/errors';

/** What a CLI command may touch: arguments, output streams and the PIN source. */
export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  env: NodeJS.ProcessEnv;
  /** PIN from VANTHU_PIN or an interactive prompt, never from an argument. */
  readPin: (prompt?: string) => Promise<Buffer>;
}

export type CliCommand = (args: string[], io: CliIo) => Promise<number>;

/** Exit codes: 0 ok; 1 a check failed; 2 indeterminate; 64+ usage or I/O (sysexits). */
export const EXIT = { OK: 0, FAILED: 1, INDETERMINATE: 2, USAGE: 64, DATA: 65, IO: 74, SOFTWARE: 70 } as const;

export function defaultIo(): CliIo {
  // `vanthu register search … | head`: once the reader has gone, what is left to print goes nowhere and
  // the command still finishes (closes its files, removes its workspace) instead of dying on EPIPE.
  let readerGone = false;
  let stream: NodeJS.WriteStream | null = null;
  const viaStream = (bytes: Uint8Array) => {
    if (!stream) {
      stream = process.stdout;
      stream.on('error', (e: NodeJS.ErrnoException) => {
        if (e.code !== 'EPIPE') throw e;
        readerGone = true;
      });
    }
    stream.write(bytes);
  };
  // Lines go to the descriptor directly: process.stdout builds a stream (node:stream and its helpers,
  // ≈ 2 ms of every start) to print a few lines. A descriptor that is non-blocking and full (EAGAIN)
  // hands the rest to the stream, which waits for it, and every later line follows the same way. Not on
  // Windows: a console there reads raw bytes in its own code page, and only the stream writes the
  // Vietnamese text as text (nodejs/node#24550).
  const direct = process.platform !== 'win32';
  const out = (line: string) => {
    if (readerGone) return;
    const bytes = Buffer.from(`${line}\n`);
    if (stream || !direct) return viaStream(bytes);
    let off = 0;
    try {
      while (off < bytes.length) off += writeSync(1, bytes, off);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') readerGone = true;
      else if (code === 'EAGAIN') viaStream(bytes.subarray(off));
      else throw e;
    }
  };
  return {
    out,
    err: (l) => process.stderr.write(`${l}\n`),
    env: process.env,
    readPin: (prompt = 'Mã PIN: ') => readPinFrom(process.env, prompt),
  };
}

async function readPinFrom(env: NodeJS.ProcessEnv, prompt: string): Promise<Buffer> {
  const fromEnv = env.VANTHU_PIN;
  if (fromEnv !== undefined && fromEnv !== '') return Buffer.from(fromEnv, 'utf8');
  if (!process.stdin.isTTY) {
    throw new AppError('TOKEN_PIN_INVALID', 'Cần mã PIN: đặt biến môi trường VANTHU_PIN hoặc chạy trong cửa sổ dòng lệnh để nhập.', 'no PIN: VANTHU_PIN unset and stdin is not a TTY');
  }
  // Echo off: the muted output hides the typed characters. Loaded here: only a PIN prompt needs it.
  const { createInterface } = await import('node:readline');
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  const muted = rl as unknown as { _writeToOutput: (s: string) => void };
  process.stderr.write(prompt);
  muted._writeToOutput = () => {};
  const answer = await new Promise<string>((resolve) => rl.question('', resolve));
  rl.close();
  process.stderr.write('\n');
  return Buffer.from(answer, 'utf8');
}

/** Minimal flag parser: --name value, --flag, and positionals. Unknown flags are the caller's to reject. */
export function parseArgs(args: string[], booleans: readonly string[] = []): { flags: Map<string, string | true>; positionals: string[] } {
  const flags = new Map<string, string | true>();
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) { flags.set(a.slice(2, eq), a.slice(eq + 1)); continue; }
      const name = a.slice(2);
      if (booleans.includes(name) || i + 1 >= args.length || args[i + 1]!.startsWith('--')) flags.set(name, true);
      else flags.set(name, args[++i]!);
    } else if (a === '-o' && i + 1 < args.length) {
      flags.set('out', args[++i]!);
    } else {
      positionals.push(a);
    }
  }
  return { flags, positionals };
}

export function flagString(flags: Map<string, string | true>, name: string): string | undefined {
  const v = flags.get(name);
  return typeof v === 'string' ? v : undefined;
}
