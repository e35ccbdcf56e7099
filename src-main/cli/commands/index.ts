import type { CliCommand } from '../io';

type Loader = () => Promise<{ default: CliCommand }>;

/**
 * Every command group, loaded only when named: a static table (not a computed path) so that the built
 * CLI (tools/build-cli.sh) splits each group into its own chunk and `vanthu verify` never loads the
 * signer, the register or the exchange.
 */
export const COMMANDS: Readonly<Record<string, Loader>> = {
  start: () => import('./start'),
  token: () => import('./token'),
  sign: () => import('./sign'),
  verify: () => import('./verify'),
  trust: () => import('./trust'),
  register: () => import('./register'),
  scan: () => import('./scan'),
  digitize: () => import('./digitize'),
  edxml: () => import('./edxml'),
  inbox: () => import('./inbox'),
  send: () => import('./send'),
  sync: () => import('./sync'),
  hub: () => import('./hub'),
};
