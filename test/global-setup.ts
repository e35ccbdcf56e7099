import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

// Provisions the test PKI and SoftHSM tokens once per run. A missing system package fails the whole
// run loudly (never a silent skip): the message names the set-up script that installs it.
export default function setup(): void {
  const root = resolve(import.meta.dirname, '..');
  const script = resolve(root, 'native/provision-test-pki.sh');
  if (!existsSync('/usr/lib/softhsm/libsofthsm2.so')) {
    throw new Error('SoftHSM2 is not installed: run `bash native/install-system-packages.sh` first');
  }
  execFileSync('bash', [script], { stdio: 'inherit' });
}
