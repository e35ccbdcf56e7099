import type { Migration } from './index';

/**
 * The digitised-here records (digitized_files, 0060) join the audit chain: they decide which files may
 * be issued without a leader's signature (Điều 17.4.c), so a row added with `sqlite3` must show. No row
 * changes here; the records already present become the chain's reference for that table alone
 * (`chains`), not a new baseline of the whole register.
 */
export const m0105DigitizedInChain: Migration = {
  version: 105,
  name: '0105-digitized-in-chain',
  keepsRows: true,
  chains: ['digitized_files'],
  up() {
    // Schema unchanged: the register's entity states now include the table (register/entity-state.ts).
  },
};
