import { appendFileSync } from 'node:fs';

/**
 * Structured English log lines. Redaction happens here, before anything is written: fields whose
 * name says secret are dropped, and CCCD numbers, phone numbers and e-mail addresses are masked in
 * every string, so a careless call site still cannot leak them.
 */
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

export type LogSink = (line: string) => void;

const SECRET_KEY = /pin|password|passphrase|secret|token_?value|private/i;
const PATTERNS: Array<[RegExp, string]> = [
  [/[\w.+-]+@[\w-]+\.[\w.-]+/g, '[email]'],
  [/(?<!\d)\d{12}(?!\d)/g, '[cccd]'],
  [/(?<!\d)(?:\+?84|0)(?:[\s.-]?\d){9}(?!\d)/g, '[phone]'],
  [/([A-Za-z]:\\Users\\)[^\\]+/g, '$1[user]'],
];

export function redactText(s: string): string {
  let out = s;
  for (const [re, rep] of PATTERNS) out = out.replace(re, rep);
  return out;
}

function redact(value: unknown, depth = 0): unknown {
  if (depth > 6) return '[deep]';
  if (typeof value === 'string') return redactText(value);
  if (Buffer.isBuffer(value)) return `[${value.length} bytes]`;
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => redact(v, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) ? '[redacted]' : redact(v, depth + 1);
    return out;
  }
  return value;
}

export function createLogger(sink: LogSink, minLevel: 'debug' | 'info' | 'warn' | 'error' = 'info'): Logger {
  const order = { debug: 10, info: 20, warn: 30, error: 40 } as const;
  const write = (level: keyof typeof order) => (msg: string, fields?: LogFields) => {
    if (order[level] < order[minLevel]) return;
    const rec = { t: new Date().toISOString(), level, msg: redactText(msg), ...(fields ? (redact(fields) as LogFields) : {}) };
    sink(JSON.stringify(rec));
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

export function stderrLogger(minLevel: 'debug' | 'info' | 'warn' | 'error' = 'info'): Logger {
  return createLogger((l) => process.stderr.write(`${l}\n`), minLevel);
}

export function fileLogger(path: string, minLevel: 'debug' | 'info' | 'warn' | 'error' = 'info'): Logger {
  return createLogger((l) => appendFileSync(path, `${l}\n`), minLevel);
}

/** Collects lines in memory (tests, diagnostics export). */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return Object.assign(createLogger((l) => lines.push(l), 'debug'), { lines });
}
