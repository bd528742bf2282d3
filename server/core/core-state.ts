import { emptyLedger, type LedgerSlice } from './accounting/ledger-state.js';
import type { JobsSlice } from './jobs/job-types.js';
import type { LiteratureSlice } from './literature/library.js';
import type { IpWindow } from './policy/quota-rules.js';
import type { SessionsSlice } from './policy/session-record.js';
import type { Slice } from './store/slice.js';

/** Hourly request windows per client IP, keyed by a keyed hash of the address (never the address). */
export interface IpWindowsSlice {
  ip_windows: Record<string, IpWindow>;
}

/** The slices of the state document the core itself keeps. */
export type CoreState = JobsSlice & LedgerSlice & SessionsSlice & IpWindowsSlice & LiteratureSlice;

/** The core's slices, with the migrations that brought them in (v2: cost control; v7: the literature cache). */
export const CORE_SLICES: ReadonlyArray<Slice<object>> = [
  { empty: (): SessionsSlice => ({ sessions: {} }) },
  { empty: (): JobsSlice => ({ jobs: {}, job_stats: {} }) },
  { empty: (): Pick<LedgerSlice, 'ledger'> => ({ ledger: emptyLedger() }), migrations: [{ to: 2, up: (s) => ({ ...s, ledger: emptyLedger() }) }] },
  { empty: (): IpWindowsSlice => ({ ip_windows: {} }), migrations: [{ to: 2, up: (s) => ({ ...s, ip_windows: {} }) }] },
  { empty: (): LiteratureSlice => ({ literature_cache: {} }), migrations: [{ to: 7, up: (s) => ({ ...s, literature_cache: {} }) }] },
];
