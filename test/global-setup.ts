import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// Provisions the test PKI and SoftHSM tokens once per run. A missing system package fails the whole
// run loudly (never a silent skip): the message names the set-up script that installs it.
//
// Every temporary folder of the run (the suites', and those of the processes they start: the CLI, the
// hub, Chromium) is made under one folder of its own, through TMPDIR, which the forks and their
// children inherit; it is removed when the run ends, so runs do not pile gigabytes up in /tmp.
export default function setup(): () => void {
  const root = resolve(import.meta.dirname, '..');
  const script = resolve(root, 'native/provision-test-pki.sh');
  if (!existsSync('/usr/lib/softhsm/libsofthsm2.so')) {
    throw new Error('SoftHSM2 is not installed: run `bash native/install-system-packages.sh` first');
  }
  execFileSync('bash', [script], { stdio: 'inherit' });
  const runDir = mkdtempSync(join(tmpdir(), 'vanthu-test-run-'));
  process.env.TMPDIR = runDir;
  return () => rmSync(runDir, { recursive: true, force: true });
}
