import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { main } from '../../../src-main/cli/main';
import { repoRoot } from '../../helpers/pki';

export interface CliRun { status: number; stdout: string; stderr: string }

/**
 * `vanthu …` in this process through main(argv, io): what the command says and its exit code, without
 * paying a Node start-up per call. The PIN comes from env.VANTHU_PIN as it would from the environment;
 * the token library reads SOFTHSM2_CONF from the process environment, set here for the call.
 */
export async function runCli(argv: string[], env: Record<string, string>): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const saved = { SOFTHSM2_CONF: process.env.SOFTHSM2_CONF };
  if (env.SOFTHSM2_CONF) process.env.SOFTHSM2_CONF = env.SOFTHSM2_CONF;
  try {
    const status = await main(argv, {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      env: { ...process.env, ...env },
      readPin: async () => {
        if (!env.VANTHU_PIN) throw new Error('test gave no PIN');
        return Buffer.from(env.VANTHU_PIN, 'utf8');
      },
    });
    return { status, stdout: out.map((l) => `${l}\n`).join(''), stderr: err.map((l) => `${l}\n`).join('') };
  } finally {
    if (saved.SOFTHSM2_CONF === undefined) delete process.env.SOFTHSM2_CONF;
    else process.env.SOFTHSM2_CONF = saved.SOFTHSM2_CONF;
  }
}

/** The same command as a separate process: kept once per command, for what only a process shows. */
export function spawnCli(argv: string[], env: Record<string, string>): CliRun {
  const r = spawnSync(process.execPath, [join(repoRoot, 'src-main/cli/bin.cjs'), ...argv], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
