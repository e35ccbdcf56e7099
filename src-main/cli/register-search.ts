import { createDispatcher, type Dispatch, type DispatchLog } from '../contract/dispatch';
import { registerMethods } from '../contract/register';
import { openDatabase } from '../core/db/connection';
import { latestVersion, schemaVersion } from '../core/db/migrate';
import { checksOutputs } from '../core/paths';
import { registerApi } from '../core/register/api';
import type { RegisterContext } from '../core/register/context';
import type { Register } from '../core/register/open';
import { Reading } from '../core/register/reading';

const searchOnly = { 'register.search': registerMethods['register.search'] };

/**
 * `vanthu register search` without opening the whole register: a read-only connection, no worker, no
 * migration, none of the register's other parts (opening them loads the printing stack, pdf-lib and
 * fontkit, and takes a write transaction) — the same search (Reading.search) behind the same contract
 * handler and dispatch as every other face. Only for a file already at the current schema version:
 * null otherwise (missing, older or newer), and the caller opens the register in full, which migrates
 * it or refuses it with its own message.
 */
export function openSearchOnly(dbPath: string, log: DispatchLog): { dispatch: Dispatch; close: () => void } | null {
  let db;
  try {
    db = openDatabase(dbPath, { readonly: true });
  } catch {
    return null;
  }
  if (schemaVersion(db) !== latestVersion()) {
    db.close();
    return null;
  }
  // Searching reads only the connection: no write, clock, audit or book is reached from here.
  const reading = new Reading({ db } as RegisterContext, () => []);
  // registerApi's search handler reads only `reading`; the dispatcher serves nothing but search.
  const handlers = registerApi({ reading } as unknown as Register);
  const dispatch = createDispatcher(searchOnly, { 'register.search': handlers['register.search'] }, { log, checkOutputs: checksOutputs });
  return { dispatch, close: () => db.close() };
}
