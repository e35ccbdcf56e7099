#!/usr/bin/env node
// The `vanthu` command. Runs the TypeScript sources through tsx, so the CLI, the bridge and the tests
// share one code path with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
