import { main } from './main';

// The process entry from the sources: bin.mjs imports this through tsx. The built CLI bundles main.ts
// itself and its loader calls main() (tools/build-cli.mjs, tools/cli-loader.mjs).
process.exitCode = await main(process.argv.slice(2));
