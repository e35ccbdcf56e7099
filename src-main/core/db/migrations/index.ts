import type { Db } from '../connection';
import { m0010Initial } from './0010-initial';
import { m0020Search } from './0020-search';
import { m0030Closing } from './0030-closing';
import { m0040AuditState } from './0040-audit-state';
import { m0050Exchange } from './0050-exchange';
import { m0060Digitized } from './0060-digitized';
import { m0070WorkCounts } from './0070-work-counts';
import { m0080TextQueue } from './0080-text-queue';
import { m0095RegisterIndexes } from './0095-register-indexes';
import { m0100SearchTerms } from './0100-search-terms';
import { m0105DigitizedInChain } from './0105-digitized-in-chain';

export interface Migration {
  version: number;
  name: string;
  up(db: Db): void;
  /** The step changes no registered row (an index, a derived table): the audit chain needs no new baseline. */
  keepsRows?: true;
  /** Tables the step brings into the audit chain: their rows as they are become its reference (a baseline of those alone). */
  chains?: readonly string[];
}

/** Ordered; checked strictly increasing at start-up. Gaps of 10 leave room for fixes. */
export const MIGRATIONS: readonly Migration[] = [m0010Initial, m0020Search, m0030Closing, m0040AuditState, m0050Exchange, m0060Digitized, m0070WorkCounts, m0080TextQueue, m0095RegisterIndexes, m0100SearchTerms, m0105DigitizedInChain];
