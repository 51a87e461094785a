import { ManualClock } from '../core/manual-clock.js';
import { openStore } from '../store/index.js';
import { leaseStoreContract } from './lease-store.contract.js';
import { storeLeaseStore } from './store-lease-store.js';

leaseStoreContract('storeLeaseStore over SQLite', async () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1), { auto: false });
  const store = await openStore({ sqlitePath: ':memory:', clock });
  return {
    store: storeLeaseStore(store.leases, { clock }),
    advance: (ms) => clock.advance(ms),
    close: () => store.close(),
  };
});
