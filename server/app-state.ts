import { CORE_SLICES, type CoreState } from './core/core-state.js';
import { assembleDocument, type DocumentHeader } from './core/store/slice.js';
import { openStore, type OpenStoreOptions, type Store } from './core/store/store.js';
import { batchSlice, type BatchState } from './features/batch/feature.js';
import { gatewaySlice, type GatewayState } from './features/gateway/feature.js';
import { researchSlice } from './features/research/feature.js';
import type { ResearchState } from './features/research/run-store.js';

/**
 * The state document, assembled from the slices the core and the features keep (the store knows
 * none of them). A feature that adds a slice adds its migration, and bumps CURRENT_SCHEMA_VERSION.
 */
export type AppState = DocumentHeader & CoreState & ResearchState & BatchState & GatewayState;

export const CURRENT_SCHEMA_VERSION = 8;

const document = assembleDocument<AppState>(CURRENT_SCHEMA_VERSION, [...CORE_SLICES, researchSlice, batchSlice, gatewaySlice]);

export const emptyState = document.empty;
export const MIGRATIONS = document.migrations;

/** The store of this app's document. */
export type AppStore = Store<AppState>;

/** Opens DATA_DIR's state as this app's document (its empty state, version and migrations). */
export function openAppStore(opts: Omit<OpenStoreOptions<AppState>, 'document'> & { document?: OpenStoreOptions<AppState>['document'] }): Promise<AppStore> {
  return openStore<AppState>({ document, ...opts });
}
