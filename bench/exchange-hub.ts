/**
 * The reference hub as its own process for the exchange bench: a real hub runs on another machine,
 * so its work (TLS, storage, its evidence log) must not share the workstation's thread. Prints its
 * address, then serves until stdin closes.
 */
import { testHub } from '../test/exchange/helpers';

const hub = await testHub();
process.stdout.write(`${hub.url}\n`);
process.stdin.resume();
process.stdin.on('end', () => void hub.close().then(() => process.exit(0)));
