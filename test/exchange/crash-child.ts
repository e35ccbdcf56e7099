/**
 * Child process for the crash test: receives from the hub and is killed with SIGKILL at the moment
 * it acknowledges, i.e. after the package was stored and registered but before the hub heard of it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openRegister } from '../../src-main/core/register/index';
import { SyncEngine } from '../../src-main/core/exchange/sync/engine';
import { registerPort } from '../../src-main/core/exchange/sync/register-port';
import { SdkTransport } from '../../src-main/core/exchange/transport/sdk';

const [dir, url, organId, secret, ca] = process.argv.slice(2) as [string, string, string, string, string];
const reg = openRegister(join(dir, 'register.db'), { agency: { name: organId, code: organId, abbr: 'VP' } });
const transport = new SdkTransport({ endpoint: url, systemid: organId, organId, secret: Buffer.from(secret), tls: { ca: readFileSync(ca) } });
transport.ack = async () => {
  process.kill(process.pid, 'SIGKILL');
};
const engine = new SyncEngine({ port: registerPort(reg), transport, self: { OrganId: organId } });
await engine.syncOnce();
process.stdout.write('not killed\n');
