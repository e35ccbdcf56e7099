/**
 * The fixed background load of `npm run bench`: one Node process spinning on one core (a clerk's PC
 * with a browser, the QLVB web app or an antivirus scan busy beside the workstation). Started and
 * stopped by bench/run.ts around each loaded run.
 *
 * The hog polls its parent id between short bursts and exits when it has been re-parented, so a
 * harness killed with SIGKILL (no exit handler runs) still leaves no spinning orphan behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';

// The parent's pid comes as an argument, not from process.ppid at start-up: on a busy machine Node
// may boot after the harness has already died, and would then take the reaper for its parent.
const HOG_SOURCE = `
const parent = Number(process.argv[1]);
let x = 0;
for (;;) {
  for (let i = 0; i < 2e6; i++) x = (x * 31 + i) | 0;
  if (process.ppid !== parent) process.exit(0);
}`;

export interface Hog {
  readonly pid: number;
  /** Kills the hog and resolves once it has exited. */
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Starts one busy process; resolves when it runs. */
export async function startHog(): Promise<Hog> {
  if (!exitHookInstalled) {
    // A harness that throws or exits early must not leave the hog running until its next poll.
    process.once('exit', () => { for (const c of live) c.kill('SIGKILL'); });
    exitHookInstalled = true;
  }
  const child = spawn(process.execPath, ['-e', HOG_SOURCE, String(process.pid)], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  live.add(child);
  return {
    pid: child.pid!,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
      live.delete(child);
    },
  };
}
