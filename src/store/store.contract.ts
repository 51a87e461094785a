/**
 * The behaviour every store dialect must show. Each `*.integration.test.ts` calls
 * `defineStoreContract` with a factory for its dialect; every test gets a fresh database.
 */
import { describe } from 'node:test';
import type { StoreTargetFactory } from './contract/harness.js';
import { historyContract } from './contract/history.js';
import { leasesContract } from './contract/leases.js';
import { schemaAndConnectionsContract } from './contract/schema-and-connections.js';
import { syncStateContract } from './contract/sync-state.js';

export type { StoreTarget, StoreTargetFactory } from './contract/harness.js';

export function defineStoreContract(label: string, factory: StoreTargetFactory): void {
  describe(`store contract: ${label}`, () => {
    schemaAndConnectionsContract(factory);
    syncStateContract(factory);
    historyContract(factory);
    leasesContract(factory);
  });
}
