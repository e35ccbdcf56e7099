import { main } from './main';

// The process entry from the sources: bin.cjs imports this through tsx. The built CLI bundles main.ts
// itself and its loader calls main() (tools/build-cli.mjs, tools/cli-loader.cjs).
process.exitCode = await main(process.argv.slice(2));
