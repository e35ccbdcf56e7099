import { main } from './main';

// The process entry of both CLI builds: bin.mjs imports this from the sources (through tsx) or its
// bundled copy out/cli/run.mjs (tools/build-cli.sh).
process.exitCode = await main(process.argv.slice(2));
