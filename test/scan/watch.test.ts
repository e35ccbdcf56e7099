import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkConformance } from '../../src-main/core/scan/conformance';
import { watchFolder, type ArrivedFile } from '../../src-main/core/scan/watch';
import { letter } from './fixtures';

const dir = mkdtempSync(join(tmpdir(), 'vanthu-watch-'));
const jpg = readFileSync(letter(dir, 'src.jpg', 300));
const until = async (cond: () => boolean, ms: number) => {
  for (const end = Date.now() + ms; !cond() && Date.now() < end;) await new Promise((r) => setTimeout(r, 50));
  return cond();
};

describe('watched folder for network scanners', () => {
  it('hands over a file once it stops growing, once, and only images and PDFs', async () => {
    const inbox = join(dir, 'inbox');
    mkdirSync(inbox);
    const got: ArrivedFile[] = [];
    const stop = new AbortController();
    const run = watchFolder(inbox, (f) => { got.push(f); }, { signal: stop.signal, pollMs: 50, settleMs: 2000 });
    // Settling takes 2 s, far beyond the 150 ms below: a stalled machine must not see the half-written file pass for whole.
    writeFileSync(join(inbox, 'scan-001.jpg'), jpg.subarray(0, 1000));
    writeFileSync(join(inbox, 'notes.txt'), 'not a scan');
    await new Promise((r) => setTimeout(r, 150));
    expect(got).toEqual([]);
    appendFileSync(join(inbox, 'scan-001.jpg'), jpg.subarray(1000));
    expect(await until(() => got.length === 1, 5000)).toBe(true);
    expect(got[0]!.bytes.equals(jpg)).toBe(true);
    await new Promise((r) => setTimeout(r, 500));
    expect(got.map((f) => f.name)).toEqual(['scan-001.jpg']);
    stop.abort();
    await run;
    expect(readFileSync(join(inbox, 'scan-001.jpg')).equals(jpg)).toBe(true);
  });

  it('vanthu digitize watch: each dropped file becomes its own checked PDF until Ctrl+C', async () => {
    const inbox = join(dir, 'drop');
    const out = join(dir, 'out');
    mkdirSync(inbox);
    mkdirSync(out);
    const child = spawn(process.execPath, ['src-main/cli/bin.cjs', 'digitize', 'watch', inbox, '--out-dir', out], { env: { ...process.env, VANTHU_DATA_DIR: join(dir, 'data') }, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (d: Buffer) => (text += d.toString()));
    child.stderr.on('data', (d: Buffer) => (text += d.toString()));
    expect(await until(() => text.includes('Đang theo dõi'), 30_000)).toBe(true);
    writeFileSync(join(inbox, 'cong-van.jpg'), jpg);
    expect(await until(() => existsSync(join(out, 'cong-van.pdf')), 30_000), text).toBe(true);
    expect(checkConformance(readFileSync(join(out, 'cong-van.pdf'))).conforms).toBe(true);
    const exited = new Promise<number | null>((r) => child.once('exit', r));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(text).toContain('Tệp mới: cong-van.jpg');
  }, 60_000);
});
